package dev.sseproxy.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The KMS decorators the producer installs: a rejected call never reaches the KMS; every call is counted. */
class KmsRateLimitDecoratorsTest {
    private final AtomicLong now = new AtomicLong();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final CountingKms backend = new CountingKms();
    private final KmsRateLimiter limiter = new KmsRateLimiter(new KmsRateLimiter.Settings(true, 10, 2, 10, 1,
            Duration.ZERO), now::get, meters);
    private final KmsClient kms = new MeteredKmsClient(new RateLimitedKmsClient(backend, limiter), meters);

    private double requests(String operation, String outcome) {
        var c = meters.find("sse.proxy.kms.requests").tag("operation", operation).tag("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aRejectedCallNeverReachesTheKmsAndFailsThrottled() {
        kms.keyInfo("k").await().indefinitely();
        kms.keyInfo("k").await().indefinitely();
        RuntimeException e = assertThrows(RuntimeException.class, () -> kms.keyInfo("k").await().indefinitely());
        assertInstanceOf(KmsException.Throttled.class, e);
        assertEquals(List.of("keyInfo k", "keyInfo k"), backend.calls);
        assertEquals(2, requests("key_info", "success"));
        assertEquals(1, requests("key_info", "throttled"));
        assertEquals(3, meters.get("sse.proxy.kms.request.duration").tag("operation", "key_info").timers().stream()
                .mapToLong(t -> t.count()).sum());
    }

    @Test
    void accountCallsChargeTheAccountAndTheGlobalBucket() {
        KmsClient forA = kms.forAccount("111111111111");
        forA.createKey("a").await().indefinitely();
        assertThrows(KmsException.Throttled.class, () -> forA.createKey("a").await().indefinitely(),
                "the account's burst of 1 is spent");
        kms.forAccount("222222222222").createKey("b").await().indefinitely();
        assertThrows(KmsException.Throttled.class, () -> kms.createKey("c").await().indefinitely(),
                "both account calls took the global burst of 2");
        assertEquals(List.of("createKey a", "createKey b"), backend.calls);
        assertEquals(2, requests("create_key", "success"));
        assertEquals(2, requests("create_key", "throttled"));
    }

    @Test
    void aFailureOfTheKmsIsCountedByItsClassName() {
        assertThrows(KmsException.NotFound.class, () -> kms.generateDataKey(KeyRef.of("gone"), Map.of())
                .await().indefinitely());
        assertEquals(1, requests("generate_data_key", "notfound"));
        assertEquals(0, requests("generate_data_key", "success"));
    }

    @Test
    void aShortWaitDelaysTheCallInsteadOfRejectingIt() {
        limiter.update(new KmsRateLimiter.Settings(true, 1000, 1, 1000, 1, Duration.ofMillis(50)));
        kms.keyInfo("k").await().indefinitely();
        kms.keyInfo("k").await().atMost(Duration.ofSeconds(5)); // fake clock: reserved 1 ms ahead, really delayed
        assertEquals(2, backend.calls.size());
        assertEquals(1, meters.get("sse.proxy.kms.limiter.permits").tag("result", "waited").counter().count());
    }

    @Test
    void waitsAreWholeMillisecondsBecauseVertxTimersRefuseLess() {
        assertEquals(Duration.ofMillis(1), RateLimitedKmsClient.delay(1));
        assertEquals(Duration.ofMillis(1), RateLimitedKmsClient.delay(200_000));
        assertEquals(Duration.ofMillis(1), RateLimitedKmsClient.delay(1_000_000));
        assertEquals(Duration.ofMillis(2), RateLimitedKmsClient.delay(1_000_001));
    }

    /** Records each call; generateDataKey answers NotFound. */
    static final class CountingKms implements KmsClient {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public Uni<DataKey> generateDataKey(KeyRef key, Map<String, String> encryptionContext) {
            calls.add("generateDataKey " + key.name());
            return Uni.createFrom().failure(new KmsException.NotFound("no key " + key.name()));
        }

        @Override
        public Uni<Wrapped> encrypt(KeyRef key, byte[] plaintext, Map<String, String> encryptionContext) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<Plaintext> decrypt(KeyRef key, byte[] ciphertext, Map<String, String> encryptionContext) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<Wrapped> rewrap(KeyRef key, byte[] ciphertext, Map<String, String> encryptionContext) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<KeyInfo> createKey(String name) {
            calls.add("createKey " + name);
            return Uni.createFrom().item(new KeyInfo(name, 1, 1));
        }

        @Override
        public Uni<KeyInfo> rotateKey(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<KeyInfo> keyInfo(String name) {
            calls.add("keyInfo " + name);
            return Uni.createFrom().item(new KeyInfo(name, 1, 1));
        }

        @Override
        public Uni<KeyInfo> setMinDecryptionVersion(String name, int minDecryptionVersion) {
            throw new UnsupportedOperationException();
        }
    }
}
