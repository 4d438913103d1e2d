package dev.sseproxy.kms;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Passes every call through the {@link KmsPermits} (the local {@link KmsRateLimiter} or the cluster-wide
 * {@link SharedKmsRateLimiter}) before the KMS sees it: a call that gets no
 * permit within the limiter's maximum wait fails with {@link KmsException.Throttled} (S3: 503
 * SlowDown with Retry-After) without reaching the delegate; one that must wait a little is delayed
 * that long. {@link #forAccount} charges the account's bucket as well as the global one.
 */
public final class RateLimitedKmsClient implements KmsClient {
    static final String REJECTED = "KMS request rate exceeded";
    private final KmsClient delegate;
    private final KmsPermits limiter;
    private final String accountId;

    public RateLimitedKmsClient(KmsClient delegate, KmsPermits limiter) {
        this(delegate, limiter, null);
    }

    private RateLimitedKmsClient(KmsClient delegate, KmsPermits limiter, String accountId) {
        this.delegate = delegate;
        this.limiter = limiter;
        this.accountId = accountId;
    }

    @Override
    public KmsClient forAccount(String account) {
        return new RateLimitedKmsClient(delegate.forAccount(account), limiter, account);
    }

    private <T> Uni<T> limited(Supplier<Uni<T>> call) {
        return Uni.createFrom().deferred(() -> limiter.acquire(accountId)).chain(wait -> {
            if (wait == KmsRateLimiter.REJECTED) {
                return Uni.createFrom().failure(new KmsException.Throttled(REJECTED));
            }
            if (wait == 0) {
                return call.get();
            }
            return Uni.createFrom().voidItem().onItem().delayIt().by(delay(wait)).chain(v -> call.get());
        });
    }

    /**
     * The delay for a wait of {@code nanos}, rounded up to whole milliseconds: Quarkus runs Mutiny's
     * timers on Vert.x, which refuses delays under 1 ms. Waiting a little longer than reserved is
     * harmless (the permit is already taken).
     */
    static Duration delay(long nanos) {
        return Duration.ofMillis(Math.max(1, (nanos + 999_999) / 1_000_000));
    }

    @Override
    public Uni<DataKey> generateDataKey(KeyRef key, Map<String, String> encryptionContext) {
        return limited(() -> delegate.generateDataKey(key, encryptionContext));
    }

    @Override
    public Uni<Wrapped> encrypt(KeyRef key, byte[] plaintext, Map<String, String> encryptionContext) {
        return limited(() -> delegate.encrypt(key, plaintext, encryptionContext));
    }

    @Override
    public Uni<Plaintext> decrypt(KeyRef key, byte[] ciphertext, Map<String, String> encryptionContext) {
        return limited(() -> delegate.decrypt(key, ciphertext, encryptionContext));
    }

    @Override
    public Uni<Wrapped> rewrap(KeyRef key, byte[] ciphertext, Map<String, String> encryptionContext) {
        return limited(() -> delegate.rewrap(key, ciphertext, encryptionContext));
    }

    @Override
    public Uni<KeyInfo> createKey(String name) {
        return limited(() -> delegate.createKey(name));
    }

    @Override
    public Uni<KeyInfo> rotateKey(String name) {
        return limited(() -> delegate.rotateKey(name));
    }

    @Override
    public Uni<KeyInfo> keyInfo(String name) {
        return limited(() -> delegate.keyInfo(name));
    }

    @Override
    public Uni<KeyInfo> setMinDecryptionVersion(String name, int minDecryptionVersion) {
        return limited(() -> delegate.setMinDecryptionVersion(name, minDecryptionVersion));
    }
}
