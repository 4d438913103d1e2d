package dev.sseproxy.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sseproxy.kms.TransitTestAuth.Policy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The test server against the request and response samples of Vault's API documentation
 * (hashicorp/vault website/content/api-docs/secret/transit.mdx, auth/approle.mdx, auth/kubernetes.mdx),
 * spoken as raw HTTP, so the adapter's tests rest on Vault's documented wire format and not on a
 * server shaped after the adapter.
 */
class TransitTestServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** transit.mdx "Encrypt data": base64 of "the quick brown fox\n". */
    private static final String DOC_PLAINTEXT = "dGhlIHF1aWNrIGJyb3duIGZveAo=";

    private final MutableClock clock = new MutableClock(Instant.parse("2015-09-22T19:50:12Z"));
    private final TransitTestServer vault = new TransitTestServer("transit", "", clock);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void stop() {
        vault.close();
    }

    private record Reply(int status, String contentType, JsonNode body) {
    }

    private Reply call(String method, String path, String token, String payload) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(vault.address() + "/v1/" + path))
                .method(method, payload == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(payload));
        if (token != null) {
            b.header("X-Vault-Token", token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""),
                r.body().isEmpty() ? null : JSON.readTree(r.body()));
    }

    private String root() {
        return vault.rootToken();
    }

    @Test
    void encryptAndDecryptAnswerTheDocumentedShapes() throws Exception {
        assertEquals(200, call("POST", "transit/keys/my-key", root(), "{}").status());
        Reply enc = call("POST", "transit/encrypt/my-key", root(), "{\"plaintext\":\"" + DOC_PLAINTEXT + "\"}");
        assertEquals(200, enc.status());
        assertEquals("application/json", enc.contentType());
        String ct = enc.body().at("/data/ciphertext").asText();
        assertTrue(ct.matches("vault:v1:[A-Za-z0-9+/]+=*"), ct);
        Reply dec = call("POST", "transit/decrypt/my-key", root(), "{\"ciphertext\":\"" + ct + "\"}");
        assertEquals(DOC_PLAINTEXT, dec.body().at("/data/plaintext").asText());
        for (String field : List.of("request_id", "lease_id", "renewable", "lease_duration", "data", "wrap_info",
                "warnings", "auth")) {
            assertTrue(dec.body().has(field), field);
        }
    }

    @Test
    void readKeyHasEveryFieldOfTheDocumentedSample() throws Exception {
        call("POST", "transit/keys/foo", root(), "{}");
        JsonNode d = call("GET", "transit/keys/foo", root(), null).body().get("data");
        assertEquals("aes256-gcm96", d.get("type").asText());
        assertFalse(d.get("derived").asBoolean());
        // creation time in epoch seconds (the sample's text: "September 22, 2015 7:50:12 PM GMT")
        assertEquals(1442951412L, d.at("/keys/1").asLong());
        assertEquals(1, d.get("min_decryption_version").asInt());
        assertEquals(0, d.get("min_encryption_version").asInt());
        assertEquals("foo", d.get("name").asText());
        for (String field : List.of("deletion_allowed", "exportable", "allow_plaintext_backup", "supports_encryption",
                "supports_decryption", "supports_derivation", "supports_signing", "latest_version")) {
            assertTrue(d.has(field), field);
        }
    }

    @Test
    void dataKeyAndRewrapAnswerTheDocumentedShapes() throws Exception {
        call("POST", "transit/keys/my-key", root(), "{\"derived\":true}");
        Reply dk = call("POST", "transit/datakey/plaintext/my-key", root(), "{\"context\":\"YWJj\"}");
        assertEquals(32, java.util.Base64.getDecoder().decode(dk.body().at("/data/plaintext").asText()).length);
        String v1 = dk.body().at("/data/ciphertext").asText();
        assertTrue(v1.startsWith("vault:v1:"));
        Reply wrapped = call("POST", "transit/datakey/wrapped/my-key", root(), "{\"context\":\"YWJj\"}");
        assertTrue(wrapped.body().at("/data/plaintext").isMissingNode());
        call("POST", "transit/keys/my-key/rotate", root(), null);
        Reply re = call("POST", "transit/rewrap/my-key", root(), "{\"ciphertext\":\"" + v1 + "\",\"context\":\"YWJj\"}");
        assertTrue(re.body().at("/data/ciphertext").asText().startsWith("vault:v2:"));
    }

    @Test
    void errorsAreVaultsErrorsArrays() throws Exception {
        Reply denied = call("GET", "transit/keys/foo", "hvs.unknown", null);
        assertEquals(403, denied.status());
        assertEquals("[\"permission denied\"]", denied.body().get("errors").toString());
        Reply missing = call("GET", "transit/keys/nope", root(), null);
        assertEquals(404, missing.status());
        assertEquals("[]", missing.body().get("errors").toString());
        Reply noKey = call("POST", "transit/decrypt/nope", root(), "{\"ciphertext\":\"vault:v1:abcd\"}");
        assertEquals(400, noKey.status());
        assertEquals("[\"encryption key not found\"]", noKey.body().get("errors").toString());
    }

    @Test
    void aTokenWithoutThePolicyIsDeniedAndCannotUpsertKeys() throws Exception {
        String proxy = vault.issueToken(Policy.proxy("transit"), Duration.ofHours(1));
        String none = vault.issueToken(Policy.DEFAULT_ONLY, Duration.ofHours(1));
        assertEquals(403, call("POST", "transit/keys/k", none, "{}").status());
        assertEquals(400, call("POST", "transit/encrypt/k", proxy, "{\"plaintext\":\"" + DOC_PLAINTEXT + "\"}").status());
        assertEquals(403, call("POST", "transit/datakey/wrapped/k", proxy, "{}").status());
        assertEquals(403, call("POST", "transit/keys/k/trim", proxy, "{\"min_available_version\":2}").status());
    }

    @Test
    void derivedKeysNeedAContextAndPlainKeysIgnoreIt() throws Exception {
        call("POST", "transit/keys/derived", root(), "{\"derived\":true}");
        Reply noCtx = call("POST", "transit/encrypt/derived", root(), "{\"plaintext\":\"" + DOC_PLAINTEXT + "\"}");
        assertEquals(400, noCtx.status());
        assertTrue(noCtx.body().get("errors").get(0).asText().startsWith("missing 'context' for key derivation"));
        call("POST", "transit/keys/plain", root(), "{}");
        String ct = call("POST", "transit/encrypt/plain", root(), "{\"plaintext\":\"" + DOC_PLAINTEXT
                + "\",\"context\":\"YWJj\"}").body().at("/data/ciphertext").asText();
        Reply other = call("POST", "transit/decrypt/plain", root(), "{\"ciphertext\":\"" + ct + "\",\"context\":\"eHl6\"}");
        assertEquals(DOC_PLAINTEXT, other.body().at("/data/plaintext").asText(), "Vault ignores context without derivation");
    }

    @Test
    void appRoleLoginAnswersTheDocumentedAuthEnvelope() throws Exception {
        vault.addAppRole("59d6d1ca-47bb-4e7e-a40b-8be3bc5a0ba8", "84896a0c-1347-aa90-a4f6-aca8b7558780",
                Policy.proxy("transit"), Duration.ofSeconds(1200));
        Reply r = call("POST", "auth/approle/login", null,
                "{\"role_id\":\"59d6d1ca-47bb-4e7e-a40b-8be3bc5a0ba8\",\"secret_id\":\"84896a0c-1347-aa90-a4f6-aca8b7558780\"}");
        assertEquals(200, r.status());
        JsonNode auth = r.body().get("auth");
        assertEquals(1200, auth.get("lease_duration").asInt());
        assertTrue(auth.get("renewable").asBoolean());
        for (String field : List.of("client_token", "accessor", "token_policies", "policies", "metadata")) {
            assertTrue(auth.has(field), field);
        }
        assertEquals(404, call("GET", "transit/keys/none", auth.get("client_token").asText(), null).status(),
                "the issued token is accepted: 404 (no such key), not 403");
        Reply bad = call("POST", "auth/approle/login", null, "{\"role_id\":\"59d6d1ca-47bb-4e7e-a40b-8be3bc5a0ba8\","
                + "\"secret_id\":\"wrong\"}");
        assertEquals(400, bad.status());
        assertEquals("[\"invalid role or secret ID\"]", bad.body().get("errors").toString());
    }

    @Test
    void kubernetesLoginAnswersTheDocumentedAuthEnvelope() throws Exception {
        vault.addKubernetesRole("dev-role", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...", Policy.proxy("transit"),
                Duration.ofSeconds(2764800));
        Reply r = call("POST", "auth/kubernetes/login", null,
                "{\"role\":\"dev-role\",\"jwt\":\"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...\"}");
        JsonNode auth = r.body().get("auth");
        assertEquals(2764800, auth.get("lease_duration").asInt());
        for (String field : List.of("client_token", "accessor", "policies", "metadata", "renewable")) {
            assertTrue(auth.has(field), field);
        }
        assertEquals(403, call("POST", "auth/kubernetes/login", null, "{\"role\":\"dev-role\",\"jwt\":\"x\"}").status());
    }

    @Test
    void quotaAnswers429WithVaultsMessageUntilTheNextSecond() throws Exception {
        vault.quota(1);
        assertEquals(404, call("GET", "transit/keys/a", root(), null).status());
        Reply limited = call("GET", "transit/keys/a", root(), null);
        assertEquals(429, limited.status());
        assertEquals("[\"request path \\\"transit/keys/a\\\": rate limit quota exceeded\"]",
                limited.body().get("errors").toString());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(404, call("GET", "transit/keys/a", root(), null).status());
    }
}
