package dev.sseproxy.kms;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Counts and times every KMS call: {@code sse.proxy.kms.requests} (Prometheus
 * {@code sse_proxy_kms_requests_total}) and {@code sse.proxy.kms.request.duration}, both tagged
 * {@code operation} (generate_data_key, encrypt, decrypt, rewrap, create_key, rotate_key, key_info,
 * set_min_decryption_version) and {@code outcome}: {@code success}, or the failure's class simple
 * name lower-cased ({@code throttled} — which includes the rate limiter's rejections when this wraps
 * {@link RateLimitedKmsClient} — {@code unavailable}, {@code notfound}, …). Never tagged by key or account.
 */
public final class MeteredKmsClient implements KmsClient {
    private static final Logger LOG = Logger.getLogger(MeteredKmsClient.class);
    static final String REQUESTS = "sse.proxy.kms.requests";
    static final String DURATION = "sse.proxy.kms.request.duration";
    private final KmsClient delegate;
    private final MeterRegistry meters;
    private final List<KmsCallListener> listeners;
    private final String accountId;

    public MeteredKmsClient(KmsClient delegate, MeterRegistry meters) {
        this(delegate, meters, List.of(), null);
    }

    /** Also tells {@code listeners} about every call (the audit trail). */
    public MeteredKmsClient(KmsClient delegate, MeterRegistry meters, List<KmsCallListener> listeners, String accountId) {
        this.delegate = delegate;
        this.meters = meters;
        this.listeners = List.copyOf(listeners);
        this.accountId = accountId;
    }

    @Override
    public KmsClient forAccount(String account) {
        return new MeteredKmsClient(delegate.forAccount(account), meters, listeners, account);
    }

    private <T> Uni<T> metered(String operation, String key, Map<String, String> context, Supplier<Uni<T>> call) {
        return Uni.createFrom().deferred(() -> {
            Timer.Sample sample = Timer.start(meters);
            Instant start = listeners.isEmpty() ? null : Instant.now();
            return call.get().onItemOrFailure().invoke((item, failure) -> {
                String outcome = failure == null ? "success" : failure.getClass().getSimpleName().toLowerCase(Locale.ROOT);
                Counter.builder(REQUESTS).tag("operation", operation).tag("outcome", outcome)
                        .description("KMS calls").register(meters).increment();
                sample.stop(Timer.builder(DURATION).tag("operation", operation).tag("outcome", outcome)
                        .description("KMS call latency").register(meters));
                if (!listeners.isEmpty()) {
                    KmsCall done = new KmsCall(operation, key, context == null ? Map.of() : context, accountId, start,
                            failure);
                    for (KmsCallListener l : listeners) {
                        try {
                            l.called(done);
                        } catch (RuntimeException e) {
                            LOG.errorf(e, "KMS call listener %s failed", l.getClass().getSimpleName());
                        }
                    }
                }
            });
        });
    }

    @Override
    public Uni<DataKey> generateDataKey(KeyRef key, Map<String, String> encryptionContext) {
        return metered("generate_data_key", key.name(), encryptionContext, () -> delegate.generateDataKey(key, encryptionContext));
    }

    @Override
    public Uni<Wrapped> encrypt(KeyRef key, byte[] plaintext, Map<String, String> encryptionContext) {
        return metered("encrypt", key.name(), encryptionContext, () -> delegate.encrypt(key, plaintext, encryptionContext));
    }

    @Override
    public Uni<Plaintext> decrypt(KeyRef key, byte[] ciphertext, Map<String, String> encryptionContext) {
        return metered("decrypt", key.name(), encryptionContext, () -> delegate.decrypt(key, ciphertext, encryptionContext));
    }

    @Override
    public Uni<Wrapped> rewrap(KeyRef key, byte[] ciphertext, Map<String, String> encryptionContext) {
        return metered("rewrap", key.name(), encryptionContext, () -> delegate.rewrap(key, ciphertext, encryptionContext));
    }

    @Override
    public Uni<KeyInfo> createKey(String name) {
        return metered("create_key", name, null, () -> delegate.createKey(name));
    }

    @Override
    public Uni<KeyInfo> rotateKey(String name) {
        return metered("rotate_key", name, null, () -> delegate.rotateKey(name));
    }

    @Override
    public Uni<KeyInfo> keyInfo(String name) {
        return metered("key_info", name, null, () -> delegate.keyInfo(name));
    }

    @Override
    public Uni<KeyInfo> setMinDecryptionVersion(String name, int minDecryptionVersion) {
        return metered("set_min_decryption_version", name, null, () -> delegate.setMinDecryptionVersion(name, minDecryptionVersion));
    }
}
