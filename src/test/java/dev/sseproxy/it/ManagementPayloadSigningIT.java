package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Issue #10 item 8: the management APIs (admin, KMS, CloudTrail's LookupEvents) take only requests
 * whose body the signature covers. curl {@code --aws-sigv4} signs the body's hash, and sends the
 * {@code x-amz-content-sha256} it is given instead, so the same client sends both forms; the AWS SDKs
 * sign the payload for KMS and CloudTrail. Also: a proxy whose {@code master.key} others may read
 * does not start.
 */
class ManagementPayloadSigningIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KMS_TARGET = "TrentService.";
    private static final String LOOKUP_EVENTS = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents";

    static ProxyProcess proxy;
    static String[] tenant;

    @BeforeAll
    static void setUp() {
        proxy = ProxyProcess.get();
        tenant = proxy.newAccount("unsigned-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** What curl got: status and body. */
    record Answer(int status, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    /** curl --aws-sigv4 for {@code service}; {@code payloadHash} null lets curl sign the body's hash. */
    static Answer curl(String service, String accessKey, String secretKey, String method, String path, String body,
            String payloadHash, String... headers) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-m", "30", "--aws-sigv4",
                "aws:amz:us-east-1:" + service, "--user", accessKey + ":" + secretKey, "-X", method,
                "-w", "\n%{http_code}"));
        if (payloadHash != null) {
            cmd.addAll(List.of("-H", "x-amz-content-sha256: " + payloadHash));
        }
        for (String h : headers) {
            cmd.addAll(List.of("-H", h));
        }
        if (body != null) {
            cmd.addAll(List.of("--data-binary", body));
        }
        cmd.add(proxy.managementEndpoint() + path);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "curl failed: " + out);
        int nl = out.lastIndexOf('\n');
        return new Answer(Integer.parseInt(out.substring(nl + 1).trim()), out.substring(0, nl));
    }

    static Answer admin(String method, String path, String body, String payloadHash) throws Exception {
        return curl("s3", ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY, method, path, body, payloadHash,
                "Content-Type: application/json");
    }

    static Answer json(String service, String target, String body, String payloadHash) throws Exception {
        return curl(service, tenant[1], tenant[2], "POST", "/", body, payloadHash,
                "Content-Type: application/x-amz-json-1.1", "X-Amz-Target: " + target);
    }

    static boolean accountListed(String name) {
        for (JsonNode a : proxy.admin("GET", "/admin/accounts", null)) {
            if (name.equals(a.path("name").asText())) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- admin

    @ParameterizedTest
    @ValueSource(strings = {"UNSIGNED-PAYLOAD", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"})
    void theAdminApiRefusesAnUnsignedBodyAndChangesNothing(String marker) throws Exception {
        String name = "unsigned-admin-" + UUID.randomUUID().toString().substring(0, 8);
        Answer a = admin("POST", "/admin/accounts", "{\"name\":\"" + name + "\"}", marker);
        assertEquals(400, a.status(), a.body());
        assertEquals("InvalidRequest", a.json().path("code").asText(), a.body());
        assertTrue(a.json().path("error").asText().contains("signed payload"), a.body());
        assertFalse(accountListed(name));
        Answer get = admin("GET", "/admin/accounts", null, marker);
        assertEquals(400, get.status(), get.body());
    }

    @Test
    void theAdminApiTakesABodyCurlSignsAndChecksADeclaredHash() throws Exception {
        String name = "signed-admin-" + UUID.randomUUID().toString().substring(0, 8);
        String body = "{\"name\":\"" + name + "\"}";
        Answer mismatch = admin("POST", "/admin/accounts", body,
                ProxyProcess.sha256Hex("{\"name\":\"other\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(400, mismatch.status(), mismatch.body());
        assertEquals("XAmzContentSHA256Mismatch", mismatch.json().path("code").asText(), mismatch.body());
        assertFalse(accountListed(name));

        Answer declared = admin("POST", "/admin/accounts", body, ProxyProcess.sha256Hex(body.getBytes(StandardCharsets.UTF_8)));
        assertEquals(201, declared.status(), declared.body());
        Answer signed = admin("POST", "/admin/accounts", "{\"name\":\"" + name + "-2\"}", null);
        assertEquals(201, signed.status(), signed.body());
        assertTrue(accountListed(name) && accountListed(name + "-2"));
        assertEquals(200, admin("GET", "/admin/kms/rate-limit", null, null).status());
        // a PUT with a body, as README's example sends it (an empty change leaves the settings as they are)
        Answer put = admin("PUT", "/admin/kms/rate-limit", "{}", null);
        assertEquals(200, put.status(), put.body());
        assertEquals(400, admin("PUT", "/admin/kms/rate-limit", "{}", "UNSIGNED-PAYLOAD").status());
    }

    // ---------------------------------------------------------------- KMS

    @ParameterizedTest
    @ValueSource(strings = {"UNSIGNED-PAYLOAD", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"})
    void theKmsApiRefusesAnUnsignedBodyAndChangesNothing(String marker) throws Exception {
        String description = "unsigned-" + UUID.randomUUID();
        Answer a = json("kms", KMS_TARGET + "CreateKey", "{\"Description\":\"" + description + "\"}", marker);
        assertEquals(400, a.status(), a.body());
        assertEquals("IncompleteSignatureException", a.json().path("__type").asText(), a.body());
        assertTrue(a.json().path("message").asText().contains("signed payload"), a.body());
        try (KmsClient kms = kms()) {
            assertTrue(kms.listKeys().keys().stream().noneMatch(k -> description.equals(
                    kms.describeKey(b -> b.keyId(k.keyId())).keyMetadata().description())));
        }
    }

    @Test
    void theKmsApiTakesBodiesCurlAndTheSdkSign() throws Exception {
        Answer signed = json("kms", KMS_TARGET + "CreateKey", "{\"Description\":\"signed by curl\"}", null);
        assertEquals(200, signed.status(), signed.body());
        String keyId = signed.json().path("KeyMetadata").path("KeyId").asText();
        try (KmsClient kms = kms()) {
            assertEquals("signed by curl", kms.describeKey(b -> b.keyId(keyId)).keyMetadata().description());
        }
        Answer mismatch = json("kms", KMS_TARGET + "DescribeKey", "{\"KeyId\":\"" + keyId + "\"}",
                ProxyProcess.sha256Hex("{}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(400, mismatch.status(), mismatch.body());
        assertEquals("InvalidSignatureException", mismatch.json().path("__type").asText(), mismatch.body());
    }

    // ---------------------------------------------------------------- CloudTrail LookupEvents

    @ParameterizedTest
    @ValueSource(strings = {"UNSIGNED-PAYLOAD", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"})
    void lookupEventsRefusesAnUnsignedBody(String marker) throws Exception {
        Answer a = json("cloudtrail", LOOKUP_EVENTS, "{\"MaxResults\":1}", marker);
        assertEquals(400, a.status(), a.body());
        assertEquals("IncompleteSignatureException", a.json().path("__type").asText(), a.body());
        assertTrue(a.json().path("message").asText().contains("signed payload"), a.body());
    }

    @Test
    void lookupEventsTakesBodiesCurlAndTheSdkSign() throws Exception {
        Answer signed = json("cloudtrail", LOOKUP_EVENTS, "{\"MaxResults\":1}", null);
        assertEquals(200, signed.status(), signed.body());
        assertTrue(signed.json().path("Events").isArray(), signed.body());
        try (CloudTrailClient trail = AuditTrailIT.cloudTrail(proxy.managementEndpoint(), tenant[1], tenant[2])) {
            assertTrue(trail.lookupEvents(b -> b.maxResults(1)).hasEvents());
        }
    }

    // ---------------------------------------------------------------- master key file

    @Test
    void aProxyWhoseMasterKeyFileOthersMayReadDoesNotStart() throws Exception {
        String name = "masterkey-open";
        Path target = proxy.projectRoot().resolve("target");
        Path data = Files.createDirectories(target.resolve("it-data-" + name));
        Path key = data.resolve("master.key");
        byte[] random = new byte[32];
        new java.security.SecureRandom().nextBytes(random);
        Files.deleteIfExists(key);
        Files.writeString(key, Base64.getEncoder().encodeToString(random));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        Path log = target.resolve("it-proxy-" + name + ".log");
        long from = Files.exists(log) ? Files.size(log) : 0;
        IllegalStateException e;
        try {
            e = assertThrows(IllegalStateException.class, () -> ProxyProcess.startDedicated(name, 603, Map.of())
                    .stop());
        } catch (AssertionError started) {
            fail("the proxy started with a world-readable master key file");
            return;
        }
        assertTrue(e.getMessage().contains("exited"), e.getMessage());
        String out = Files.readString(log).substring((int) from);
        assertTrue(out.contains("The master key file " + key.toAbsolutePath()) && out.contains("chmod 600 "
                + key.toAbsolutePath()), out.length() > 4000 ? out.substring(0, 4000) : out);
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    }

    static KmsClient kms() {
        return KmsClient.builder().endpointOverride(proxy.managementEndpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(tenant[1], tenant[2])))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}
