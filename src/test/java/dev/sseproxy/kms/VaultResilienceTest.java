package dev.sseproxy.kms;

import static dev.sseproxy.kms.KmsContractTest.await;
import static dev.sseproxy.kms.KmsContractTest.fails;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.kms.TransitTestAuth.Policy;
import dev.sseproxy.kms.TransitTestServer.Endpoint;
import dev.sseproxy.kms.TransitTestServer.Outage;
import dev.sseproxy.kms.vault.VaultSettings;
import dev.sseproxy.kms.vault.VaultTransitKmsClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retries, circuit breaker and re-login of {@link VaultTransitKmsClient}, counted at
 * {@link TransitTestServer}. Back-offs are a few milliseconds; the breaker's delay runs on the
 * injected clock, so nothing waits for it.
 */
class VaultResilienceTest {
    private static final Map<String, String> CTX = Map.of("aws:s3:arn", "arn:aws:s3:::bucket/key");
    private static final Duration BREAKER_DELAY = Duration.ofSeconds(30);
    private static final VaultSettings.Resilience FAST = new VaultSettings.Resilience(3, Duration.ofMillis(2),
            Duration.ofMillis(10), 5, BREAKER_DELAY);

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private TransitTestServer vault;
    private ExecutorService workers;
    private KmsClient kms;
    private KeyRef key;

    @BeforeEach
    void start() {
        vault = new TransitTestServer("transit", "", clock);
        workers = Executors.newCachedThreadPool();
        kms = client(new VaultSettings.Token(vault.issueToken(Policy.proxy("transit"), Duration.ofDays(1))));
        key = KeyRef.of(await(kms.createKey("resilience-key")).name());
        await(kms.generateDataKey(key, CTX)).close();
        vault.resetCalls();
    }

    @AfterEach
    void stop() {
        vault.close();
        workers.shutdownNow();
    }

    private KmsClient client(VaultSettings.Auth auth) {
        return new VaultTransitKmsClient(VaultSettings.of(URI.create(vault.address()), auth).withResilience(FAST),
                workers, clock);
    }

    // ---- retries ----

    @Test
    void aQuota429ThenSuccessIsRetriedTransparently() {
        vault.failNext(429, 1);
        try (DataKey dk = await(kms.generateDataKey(key, CTX)); Plaintext p = await(kms.decrypt(key, dk.ciphertext(), CTX))) {
            assertArrayEquals(dk.plaintext().bytes(), p.bytes());
        }
        assertEquals(2, vault.calls(Endpoint.DATAKEY));
    }

    @Test
    void serverErrorsAreRetriedUpToTheAttemptLimit() {
        vault.failNext(502, 2);
        await(kms.generateDataKey(key, CTX)).close();
        assertEquals(3, vault.calls(Endpoint.DATAKEY));

        vault.resetCalls();
        vault.failNext(503, 3);
        fails(KmsException.Unavailable.class, kms.generateDataKey(key, CTX));
        assertEquals(3, vault.calls(Endpoint.DATAKEY), "3 attempts, no more");
    }

    @Test
    void persistentThrottlingStaysThrottledAfterTheLastAttempt() {
        vault.failNext(429, 3);
        KmsException e = fails(KmsException.Throttled.class, kms.generateDataKey(key, CTX));
        assertTrue(e.getMessage().contains("rate limit quota exceeded"), e.getMessage());
        assertEquals(3, vault.calls(Endpoint.DATAKEY));
    }

    @Test
    void aBadRequestIsNotRetried() {
        vault.failNext(400, 1);
        fails(KmsException.UnusableKey.class, kms.generateDataKey(key, CTX));
        assertEquals(1, vault.calls(Endpoint.DATAKEY));
    }

    @Test
    void anInvalidCiphertextIsNotRetried() {
        byte[] forged;
        try (DataKey dk = await(kms.generateDataKey(key, CTX))) {
            forged = dk.ciphertext().clone();
        }
        forged[forged.length - 3] = (byte) (forged[forged.length - 3] == 'A' ? 'B' : 'A');
        fails(KmsException.InvalidCiphertext.class, kms.decrypt(key, forged, CTX));
        fails(KmsException.InvalidCiphertext.class, kms.decrypt(key, forged, Map.of("other", "context")));
        assertEquals(2, vault.calls(Endpoint.DECRYPT));
    }

    @Test
    void aMissingKeyAndAForbiddenCallAreNotRetried() {
        fails(KmsException.NotFound.class, kms.keyInfo("no-such-key"));
        assertEquals(1, vault.calls(Endpoint.READ_KEY));
        vault.failNext(403, 1);
        fails(KmsException.AccessDenied.class, kms.generateDataKey(key, CTX));
        assertEquals(1, vault.calls(Endpoint.DATAKEY), "a fixed token cannot log in again");
    }

    @Test
    void aTimedOutCallIsNotRetried() {
        KmsClient impatient = new VaultTransitKmsClient(VaultSettings.of(URI.create(vault.address()),
                new VaultSettings.Token(vault.rootToken())).withTimeout(Duration.ofMillis(200)).withResilience(FAST),
                workers, clock);
        await(impatient.keyInfo(key.name()));
        vault.resetCalls();
        vault.stallFor(Duration.ofMillis(1500));
        vault.outage(Outage.STALL);
        fails(KmsException.Unavailable.class, impatient.keyInfo(key.name()));
        assertEquals(1, vault.calls(Endpoint.READ_KEY));
    }

    @Test
    void refusedConnectionsAreRetriedAndRecoverWhenTheServerIsBack() {
        vault.outage(Outage.REFUSE_CONNECTIONS);
        long start = System.nanoTime();
        fails(KmsException.Unavailable.class, kms.generateDataKey(key, CTX));
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "bounded");
        vault.outage(Outage.NONE);
        await(kms.generateDataKey(key, CTX)).close();
        assertEquals(1, vault.calls(Endpoint.DATAKEY));
    }

    // ---- circuit breaker ----

    @Test
    void anOutageOpensTheBreakerSoCallsFailFastWithoutReachingVault() {
        vault.outage(Outage.SEALED);
        fails(KmsException.Unavailable.class, kms.generateDataKey(key, CTX));
        assertEquals(3, vault.calls(Endpoint.DATAKEY));
        KmsException opened = fails(KmsException.Unavailable.class, kms.generateDataKey(key, CTX));
        assertEquals(5, vault.calls(Endpoint.DATAKEY), "opened at the 5th consecutive failure, third try not sent");
        assertTrue(opened.getMessage().contains("circuit breaker open"), opened.getMessage());

        for (int i = 0; i < 20; i++) {
            fails(KmsException.Unavailable.class, kms.generateDataKey(key, CTX));
            fails(KmsException.Unavailable.class, kms.keyInfo(key.name()));
        }
        assertEquals(5, vault.calls(Endpoint.DATAKEY), "open: no call reaches Vault");
        assertEquals(0, vault.calls(Endpoint.READ_KEY));

        vault.outage(Outage.NONE);
        fails(KmsException.Unavailable.class, kms.generateDataKey(key, CTX));
        assertEquals(5, vault.calls(Endpoint.DATAKEY), "still open until the delay has passed");

        clock.advance(BREAKER_DELAY);
        await(kms.generateDataKey(key, CTX)).close();
        for (int i = 0; i < 5; i++) {
            await(kms.generateDataKey(key, CTX)).close();
        }
        assertEquals(11, vault.calls(Endpoint.DATAKEY), "closed again after the trial call succeeded");
    }

    @Test
    void aStalledVaultOpensTheBreakerSoCallersStopWaitingAndStopTakingWorkers() {
        KmsClient impatient = new VaultTransitKmsClient(VaultSettings.of(URI.create(vault.address()),
                new VaultSettings.Token(vault.rootToken())).withTimeout(Duration.ofMillis(150)).withResilience(FAST),
                workers, clock);
        await(impatient.generateDataKey(key, CTX)).close();
        vault.stallFor(Duration.ofMillis(1200));
        vault.outage(Outage.STALL);
        vault.resetCalls();
        for (int i = 0; i < 5; i++) {
            fails(KmsException.Unavailable.class, impatient.generateDataKey(key, CTX));
        }
        assertEquals(5, vault.calls(Endpoint.DATAKEY), "timeouts are not retried, each counts once");
        long start = System.nanoTime();
        for (int i = 0; i < 50; i++) {
            KmsException e = fails(KmsException.Unavailable.class, impatient.generateDataKey(key, CTX));
            assertTrue(e.getMessage().contains("circuit breaker open"), e.getMessage());
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < 1_000, "50 refusals took " + ms + " ms");
        assertEquals(5, vault.calls(Endpoint.DATAKEY), "none of them reached Vault");
    }

    @Test
    void aFailedTrialCallOpensTheBreakerAgain() {
        vault.outage(Outage.SEALED);
        fails(KmsException.Unavailable.class, kms.generateDataKey(key, CTX));
        fails(KmsException.Unavailable.class, kms.generateDataKey(key, CTX));
        clock.advance(BREAKER_DELAY);
        vault.resetCalls();
        fails(KmsException.Unavailable.class, kms.generateDataKey(key, CTX));
        assertEquals(1, vault.calls(Endpoint.DATAKEY), "one trial, not retried once it reopened the breaker");
        fails(KmsException.Unavailable.class, kms.generateDataKey(key, CTX));
        assertEquals(1, vault.calls(Endpoint.DATAKEY));
        vault.outage(Outage.NONE);
        clock.advance(BREAKER_DELAY);
        await(kms.generateDataKey(key, CTX)).close();
    }

    @Test
    void refusalsAndThrottlingDoNotOpenTheBreaker() {
        for (int i = 0; i < 8; i++) {
            fails(KmsException.NotFound.class, kms.keyInfo("no-such-key-" + i));
        }
        vault.failNext(429, 9);
        for (int i = 0; i < 3; i++) {
            fails(KmsException.Throttled.class, kms.generateDataKey(key, CTX));
        }
        await(kms.generateDataKey(key, CTX)).close();
        assertEquals(10, vault.calls(Endpoint.DATAKEY), "9 throttled tries, then served at once: the breaker stayed closed");
    }

    @Test
    void successesResetTheConsecutiveFailureCount() {
        for (int i = 0; i < 4; i++) {
            vault.failNext(503, 2);
            await(kms.generateDataKey(key, CTX)).close();
        }
        assertEquals(12, vault.calls(Endpoint.DATAKEY));
    }

    // ---- re-login ----

    @Test
    void aRevokedAppRoleTokenTriggersOneLoginAndOneRetry() {
        vault.addAppRole("role-1", "secret-1", Policy.proxy("transit"), Duration.ofHours(1));
        KmsClient approle = client(new VaultSettings.AppRole("approle", "role-1", Optional.of("secret-1"), Optional.empty()));
        await(approle.generateDataKey(key, CTX)).close();
        vault.revokeAllButRoot();
        vault.resetCalls();
        await(approle.generateDataKey(key, CTX)).close();
        assertEquals(1, vault.calls(Endpoint.APPROLE_LOGIN));
        assertEquals(2, vault.calls(Endpoint.DATAKEY), "the 403, then the retry with the new token");
    }

    @Test
    void anExpiredKubernetesTokenTriggersOneLoginAndOneRetry() throws IOException {
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.c2ln";
        vault.addKubernetesRole("sse-proxy", jwt, Policy.proxy("transit"), Duration.ofHours(1));
        Path jwtFile = Files.writeString(tmp.resolve("token"), jwt);
        KmsClient k8s = client(new VaultSettings.Kubernetes("kubernetes", "sse-proxy", jwtFile));
        await(k8s.generateDataKey(key, CTX)).close();
        vault.expireAllButRoot();
        vault.resetCalls();
        await(k8s.generateDataKey(key, CTX)).close();
        assertEquals(1, vault.calls(Endpoint.KUBERNETES_LOGIN));
        assertEquals(2, vault.calls(Endpoint.DATAKEY));
    }

    @Test
    void aLoginWhosePolicyStillLacksAccessIsAccessDeniedAfterOneRelogin() {
        vault.addAppRole("weak", "secret-1", Policy.DEFAULT_ONLY, Duration.ofHours(1));
        KmsClient weak = client(new VaultSettings.AppRole("approle", "weak", Optional.of("secret-1"), Optional.empty()));
        fails(KmsException.AccessDenied.class, weak.generateDataKey(key, CTX));
        assertEquals(2, vault.calls(Endpoint.APPROLE_LOGIN), "first login, then one re-login after the 403");
        assertEquals(0, vault.calls(Endpoint.DATAKEY), "the key check (GET keys/<name>) is what is refused");
        assertEquals(2, vault.calls(Endpoint.READ_KEY));
    }

    @Test
    void aPeriodicFixedTokenIsLookedUpOnceThenRenewedAtThreeQuartersOfItsTtl() {
        KmsClient periodic = client(new VaultSettings.Token(vault.issueToken(Policy.proxy("transit"), Duration.ofSeconds(60))));
        await(periodic.generateDataKey(key, CTX)).close();
        assertEquals(1, vault.calls(Endpoint.TOKEN_LOOKUP_SELF));
        clock.advance(Duration.ofSeconds(40));
        await(periodic.generateDataKey(key, CTX)).close();
        assertEquals(0, vault.calls(Endpoint.TOKEN_RENEW_SELF));
        clock.advance(Duration.ofSeconds(10));
        await(periodic.generateDataKey(key, CTX)).close();
        assertEquals(1, vault.calls(Endpoint.TOKEN_RENEW_SELF), "renewed at 45 s of 60");
        clock.advance(Duration.ofSeconds(50));
        await(periodic.generateDataKey(key, CTX)).close();
        assertEquals(2, vault.calls(Endpoint.TOKEN_RENEW_SELF), "still alive past its first 60 s");
        assertEquals(1, vault.calls(Endpoint.TOKEN_LOOKUP_SELF));
        assertEquals(4, vault.calls(Endpoint.DATAKEY));
    }

    @Test
    void aTokenWithoutTtlIsNeverRenewed() {
        KmsClient root = client(new VaultSettings.Token(vault.rootToken()));
        await(root.generateDataKey(key, CTX)).close();
        clock.advance(Duration.ofDays(400));
        await(root.generateDataKey(key, CTX)).close();
        assertEquals(1, vault.calls(Endpoint.TOKEN_LOOKUP_SELF));
        assertEquals(0, vault.calls(Endpoint.TOKEN_RENEW_SELF));
    }

    @Test
    void aFailedLookupOrRenewalNeverFailsTheKmsCallAndIsTriedAgainLater() {
        KmsClient periodic = client(new VaultSettings.Token(vault.issueToken(Policy.proxy("transit"), Duration.ofHours(1))));
        vault.failNext(503, 1);
        await(periodic.generateDataKey(key, CTX)).close();
        assertEquals(1, vault.calls(Endpoint.TOKEN_LOOKUP_SELF));
        clock.advance(Duration.ofMinutes(1));
        await(periodic.generateDataKey(key, CTX)).close();
        assertEquals(2, vault.calls(Endpoint.TOKEN_LOOKUP_SELF), "looked up again a minute later");
        assertEquals(2, vault.calls(Endpoint.DATAKEY));
    }

    @Test
    void aLoginThatHitsAServerErrorIsRetried() {
        vault.addAppRole("role-1", "secret-1", Policy.proxy("transit"), Duration.ofHours(1));
        KmsClient approle = client(new VaultSettings.AppRole("approle", "role-1", Optional.of("secret-1"), Optional.empty()));
        vault.failNext(503, 1);
        await(approle.generateDataKey(key, CTX)).close();
        assertEquals(2, vault.calls(Endpoint.APPROLE_LOGIN));
    }
}
