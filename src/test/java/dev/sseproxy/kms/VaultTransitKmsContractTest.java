package dev.sseproxy.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.kms.TransitTestServer.Endpoint;
import dev.sseproxy.kms.TransitTestServer.Outage;
import dev.sseproxy.kms.TransitTestAuth.Policy;
import dev.sseproxy.kms.vault.VaultSettings;
import dev.sseproxy.kms.vault.VaultTransitKmsClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract suite against {@link VaultTransitKmsClient} talking HTTP to {@link TransitTestServer},
 * plus what only Vault can do: tokens, policies, logins, namespaces, quotas and outages.
 */
class VaultTransitKmsContractTest extends KmsContractTest {
    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private TransitTestServer vault;
    private ExecutorService workers;
    private String token;
    private KmsClient kms;

    @BeforeEach
    void start() {
        vault = new TransitTestServer("transit", "", clock);
        workers = Executors.newCachedThreadPool();
        token = vault.issueToken(Policy.proxy("transit"), Duration.ofDays(1));
        kms = client(settings(new VaultSettings.Token(token)));
    }

    @AfterEach
    void stop() {
        vault.close();
        workers.shutdownNow();
    }

    @Override
    protected KmsClient kms() {
        return kms;
    }

    private VaultSettings settings(VaultSettings.Auth auth) {
        return VaultSettings.of(URI.create(vault.address()), auth);
    }

    private KmsClient client(VaultSettings s) {
        return new VaultTransitKmsClient(s, workers, clock);
    }

    // ---- tokens and policies ----

    @Test
    void unknownTokenIsAccessDeniedAndTheMessageHoldsNoToken() {
        String bogus = "hvs.not-a-token-1234567890";
        KmsException e = fails(KmsException.AccessDenied.class,
                client(settings(new VaultSettings.Token(bogus))).keyInfo("any-key"));
        assertFalse(e.getMessage().contains(bogus));
        assertTrue(e.getMessage().contains("permission denied"), e.getMessage());
    }

    @Test
    void tokenWithoutTheTransitPolicyIsAccessDenied() {
        KeyRef key = newKey();
        KmsClient weak = client(settings(new VaultSettings.Token(vault.issueToken(Policy.DEFAULT_ONLY, Duration.ofHours(1)))));
        fails(KmsException.AccessDenied.class, weak.generateDataKey(key, CTX));
        fails(KmsException.AccessDenied.class, weak.createKey(freshKeyName()));
    }

    @Test
    void revokedFixedTokenIsAccessDeniedWithoutRetrying() {
        KeyRef key = newKey();
        vault.revoke(token);
        vault.resetCalls();
        fails(KmsException.AccessDenied.class, kms.generateDataKey(key, CTX));
        assertEquals(1, vault.calls(Endpoint.DATAKEY));
    }

    // ---- quotas and outages ----

    @Test
    void exceededRateLimitQuotaIsThrottled() {
        KeyRef key = newKey();
        vault.quota(2);
        await(kms.generateDataKey(key, CTX)).close();
        await(kms.generateDataKey(key, CTX)).close();
        KmsException e = fails(KmsException.Throttled.class, kms.generateDataKey(key, CTX));
        assertTrue(e.getMessage().contains("rate limit quota exceeded"), e.getMessage());
        clock.advance(Duration.ofSeconds(1));
        await(kms.generateDataKey(key, CTX)).close();
    }

    @Test
    void sealedVaultIsUnavailable() {
        KeyRef key = newKey();
        vault.outage(Outage.SEALED);
        fails(KmsException.Unavailable.class, kms.generateDataKey(key, CTX));
        fails(KmsException.Unavailable.class, kms.keyInfo(key.name()));
    }

    @Test
    void refusedConnectionsAreUnavailableAndTheClientRecoversAfterwards() {
        KeyRef key = newKey();
        vault.outage(Outage.REFUSE_CONNECTIONS);
        fails(KmsException.Unavailable.class, kms.generateDataKey(key, CTX));
        vault.outage(Outage.NONE);
        await(kms.generateDataKey(key, CTX)).close();
    }

    @Test
    void aStalledVaultIsUnavailableOnceTheCallTimeoutPasses() {
        KeyRef key = newKey();
        KmsClient impatient = client(settings(new VaultSettings.Token(token)).withTimeout(Duration.ofMillis(300)));
        vault.stallFor(Duration.ofSeconds(3));
        vault.outage(Outage.STALL);
        long start = System.nanoTime();
        KmsException e = fails(KmsException.Unavailable.class, impatient.generateDataKey(key, CTX));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(elapsedMs < 2_000, "gave up after " + elapsedMs + " ms");
        assertTrue(e.getMessage().contains("did not answer"), e.getMessage());
    }

    // ---- logins ----

    @Test
    void appRoleLogsInOnceAndUsesItsToken() {
        vault.addAppRole("role-1", "secret-1", Policy.proxy("transit"), Duration.ofHours(1));
        KmsClient approle = client(settings(new VaultSettings.AppRole("approle", "role-1", Optional.of("secret-1"),
                Optional.empty())));
        KeyRef key = KeyRef.of(await(approle.createKey(freshKeyName())).name());
        for (int i = 0; i < 3; i++) {
            await(approle.generateDataKey(key, CTX)).close();
        }
        assertEquals(1, vault.calls(Endpoint.APPROLE_LOGIN));
        assertEquals(3, vault.calls(Endpoint.DATAKEY));
    }

    @Test
    void appRoleSecretIdIsReadFromItsFile() throws IOException {
        vault.addAppRole("role-1", "secret-from-file", Policy.proxy("transit"), Duration.ofHours(1));
        Path secret = Files.writeString(tmp.resolve("secret-id"), "secret-from-file\n");
        KmsClient approle = client(settings(new VaultSettings.AppRole("approle", "role-1", Optional.empty(),
                Optional.of(secret))));
        assertEquals(1, await(approle.createKey(freshKeyName())).latestVersion());
    }

    @Test
    void appRoleWithAWrongSecretIsAccessDenied() {
        vault.addAppRole("role-1", "secret-1", Policy.proxy("transit"), Duration.ofHours(1));
        KmsClient wrong = client(settings(new VaultSettings.AppRole("approle", "role-1", Optional.of("nope"),
                Optional.empty())));
        KmsException e = fails(KmsException.AccessDenied.class, wrong.keyInfo("any-key"));
        assertTrue(e.getMessage().contains("invalid role or secret ID"), e.getMessage());
        assertFalse(e.getMessage().contains("nope"));
    }

    @Test
    void aRevokedLoginTokenIsReplacedByLoggingInAgain() {
        vault.addAppRole("role-1", "secret-1", Policy.proxy("transit"), Duration.ofHours(1));
        KmsClient approle = client(settings(new VaultSettings.AppRole("approle", "role-1", Optional.of("secret-1"),
                Optional.empty())));
        KeyRef key = KeyRef.of(await(approle.createKey(freshKeyName())).name());
        vault.revokeAllButRoot();
        await(approle.generateDataKey(key, CTX)).close();
        assertEquals(2, vault.calls(Endpoint.APPROLE_LOGIN));
    }

    @Test
    void theLoginIsRenewedBeforeItsLeaseRunsOut() {
        vault.addAppRole("role-1", "secret-1", Policy.proxy("transit"), Duration.ofSeconds(60));
        KmsClient approle = client(settings(new VaultSettings.AppRole("approle", "role-1", Optional.of("secret-1"),
                Optional.empty())));
        KeyRef key = KeyRef.of(await(approle.createKey(freshKeyName())).name());
        clock.advance(Duration.ofSeconds(40));
        await(approle.generateDataKey(key, CTX)).close();
        assertEquals(1, vault.calls(Endpoint.APPROLE_LOGIN));
        clock.advance(Duration.ofSeconds(10));
        vault.resetCalls();
        await(approle.generateDataKey(key, CTX)).close();
        assertEquals(1, vault.calls(Endpoint.APPROLE_LOGIN), "logged in again at 3/4 of the lease");
        assertEquals(1, vault.calls(Endpoint.DATAKEY), "without a 403 first");
    }

    @Test
    void kubernetesLoginReadsTheServiceAccountJwtFromItsFile() throws IOException {
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.c2ln";
        vault.addKubernetesRole("sse-proxy", jwt, Policy.proxy("transit"), Duration.ofHours(1));
        Path jwtFile = Files.writeString(tmp.resolve("token"), jwt);
        KmsClient k8s = client(settings(new VaultSettings.Kubernetes("kubernetes", "sse-proxy", jwtFile)));
        KeyRef key = KeyRef.of(await(k8s.createKey(freshKeyName())).name());
        try (DataKey dk = await(k8s.generateDataKey(key, CTX)); Plaintext p = await(k8s.decrypt(key, dk.ciphertext(), CTX))) {
            assertArrayEquals(dk.plaintext().bytes(), p.bytes());
        }
        assertEquals(1, vault.calls(Endpoint.KUBERNETES_LOGIN));
    }

    @Test
    void kubernetesLoginWithAForeignJwtOrNoJwtFileIsAccessDenied() throws IOException {
        vault.addKubernetesRole("sse-proxy", "the-right-jwt", Policy.proxy("transit"), Duration.ofHours(1));
        Path jwtFile = Files.writeString(tmp.resolve("token"), "another-jwt");
        fails(KmsException.AccessDenied.class,
                client(settings(new VaultSettings.Kubernetes("kubernetes", "sse-proxy", jwtFile))).keyInfo("k"));
        fails(KmsException.AccessDenied.class,
                client(settings(new VaultSettings.Kubernetes("kubernetes", "sse-proxy", tmp.resolve("missing")))).keyInfo("k"));
    }

    // ---- namespace, mount, key checks, call counts ----

    @Test
    void theNamespaceTravelsWithEveryCallAndLogin() {
        try (TransitTestServer nsVault = new TransitTestServer("transit", "team-a", clock)) {
            nsVault.addAppRole("role-1", "secret-1", Policy.proxy("transit"), Duration.ofHours(1));
            VaultSettings s = VaultSettings.of(URI.create(nsVault.address()),
                    new VaultSettings.AppRole("approle", "role-1", Optional.of("secret-1"), Optional.empty()));
            KmsClient inNamespace = client(s.withNamespace("team-a"));
            KeyRef key = KeyRef.of(await(inNamespace.createKey(freshKeyName())).name());
            await(inNamespace.generateDataKey(key, CTX)).close();
            assertEquals(List.of("team-a", "team-a", "team-a"), nsVault.namespaceHeaders());
            fails(KmsException.AccessDenied.class, client(s).generateDataKey(key, CTX));
        }
    }

    @Test
    void aCustomMountIsUsed() {
        try (TransitTestServer other = new TransitTestServer("kms-transit", "", clock)) {
            String t = other.issueToken(Policy.proxy("kms-transit"), Duration.ofHours(1));
            VaultSettings s = VaultSettings.of(URI.create(other.address()), new VaultSettings.Token(t));
            KmsClient custom = client(s.withMount("/kms-transit/"));
            KeyRef key = KeyRef.of(await(custom.createKey(freshKeyName())).name());
            await(custom.generateDataKey(key, CTX)).close();
            assertEquals(1, other.calls(Endpoint.DATAKEY));
            VaultSettings root = VaultSettings.of(URI.create(other.address()), new VaultSettings.Token(other.rootToken()));
            fails(KmsException.NotFound.class, client(root).keyInfo(key.name()));
            fails(KmsException.AccessDenied.class, client(s).keyInfo(key.name()));
        }
    }

    @Test
    void aNonDerivedKeyIsRefusedBecauseVaultWouldIgnoreTheContext() {
        vault.createKey("made-by-hand", false);
        KmsException e = fails(KmsException.UnusableKey.class, kms.generateDataKey(KeyRef.of("made-by-hand"), CTX));
        assertTrue(e.getMessage().contains("derived"), e.getMessage());
        fails(KmsException.UnusableKey.class, kms.createKey("made-by-hand"));
        assertEquals(0, vault.calls(Endpoint.DATAKEY));
    }

    @Test
    void aKeyIsCheckedOnceThenEachDataKeyIsOneVaultCall() {
        vault.createKey("existing", true);
        for (int i = 0; i < 5; i++) {
            await(kms.generateDataKey(KeyRef.of("existing"), CTX)).close();
        }
        assertEquals(5, vault.calls(Endpoint.DATAKEY));
        assertEquals(1, vault.calls(Endpoint.READ_KEY));
    }

    @Test
    void vaultsThatAnswerKeyChangesWithNoContentAreReadBack() {
        vault.legacyNoContent(true);
        KeyRef key = newKey();
        assertEquals(new KeyInfo(key.name(), 2, 1), await(kms.rotateKey(key.name())));
        assertEquals(new KeyInfo(key.name(), 2, 2), await(kms.setMinDecryptionVersion(key.name(), 2)));
        assertEquals(3, vault.calls(Endpoint.READ_KEY));
    }
}
