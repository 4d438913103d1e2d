package dev.sseproxy.kms.vault;

import dev.sseproxy.kms.DataKey;
import dev.sseproxy.kms.EncryptionContext;
import dev.sseproxy.kms.KeyInfo;
import dev.sseproxy.kms.KeyRef;
import dev.sseproxy.kms.KmsClient;
import dev.sseproxy.kms.KmsException;
import dev.sseproxy.kms.Plaintext;
import dev.sseproxy.kms.Wrapped;
import io.github.jopenlibs.vault.json.JsonObject;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The KMS port on Vault / OpenBao Transit, through vault-java-driver (blocking). Each operation is
 * one blocking task moved to {@code executor} in one place ({@link #attempt}), bounded by the
 * configured timeout, and tried again or refused at once as {@link VaultGuard} decides (retries with
 * jittered back-off on 429 / 5xx / connection failures, a circuit breaker against outages).
 *
 * <p><b>Context binding.</b> Keys are {@code aes256-gcm96} with {@code derived=true}: Transit derives
 * a per-context key (HKDF-SHA256 over the key version and the {@code context}), so a ciphertext only
 * decrypts or rewraps with the same context. The context sent is the base64 of
 * {@link EncryptionContext#canonical} (never empty: the empty context is {@code {}}). Transit's
 * {@code associated_data} is not used: it exists for encrypt/decrypt only, not for datakey or rewrap.
 * Because Vault silently ignores {@code context} for non-derived keys, the first use of a key name
 * reads its description once and refuses non-derived or non-AES-GCM keys
 * ({@link KmsException.UnusableKey}); {@link #createKey} creates keys derived.
 *
 * <p>Calls: datakey {@code POST <mount>/datakey/plaintext/<name>}, encrypt/decrypt/rewrap
 * {@code POST <mount>/{encrypt,decrypt,rewrap}/<name>}, keys {@code POST|GET <mount>/keys/<name>},
 * {@code POST <mount>/keys/<name>/rotate}, {@code POST <mount>/keys/<name>/config}.
 */
public final class VaultTransitKmsClient implements KmsClient {
    static final String KEY_TYPE = "aes256-gcm96";

    private final TransitApi api;
    private final Executor executor;
    private final Duration timeout;
    private final VaultGuard guard;
    private final boolean verifyKeys;
    private final Set<String> verified = ConcurrentHashMap.newKeySet();

    public VaultTransitKmsClient(VaultSettings settings, Executor executor, Clock clock) {
        this.api = new TransitApi(new VaultSession(settings, new VaultDrivers(settings), clock), settings.mount());
        this.executor = executor;
        this.timeout = settings.timeout();
        this.guard = new VaultGuard(settings.resilience(), clock);
        this.verifyKeys = settings.verifyKeys();
    }

    @Override
    public Uni<DataKey> generateDataKey(KeyRef key, Map<String, String> encryptionContext) {
        return call(() -> {
            String name = usable(key);
            JsonObject d = api.write(TransitOp.DATAKEY, name, "datakey/plaintext/" + name,
                    Map.of("context", context(encryptionContext), "bits", DataKey.LENGTH * 8));
            String ct = TransitAnswers.string(TransitOp.DATAKEY, d, "ciphertext");
            Plaintext plaintext = Plaintext.wrap(TransitAnswers.base64(TransitOp.DATAKEY, d, "plaintext"));
            try {
                return new DataKey(plaintext, TransitAnswers.ciphertextBytes(ct),
                        TransitAnswers.keyVersion(TransitOp.DATAKEY, d, ct));
            } catch (RuntimeException e) {
                plaintext.close();
                throw e;
            }
        });
    }

    @Override
    public Uni<Wrapped> encrypt(KeyRef key, byte[] plaintext, Map<String, String> encryptionContext) {
        return call(() -> {
            String name = usable(key);
            JsonObject d = api.write(TransitOp.ENCRYPT, name, "encrypt/" + name,
                    Map.of("plaintext", Base64.getEncoder().encodeToString(plaintext), "context", context(encryptionContext)));
            return wrapped(TransitOp.ENCRYPT, d);
        });
    }

    @Override
    public Uni<Plaintext> decrypt(KeyRef key, byte[] ciphertext, Map<String, String> encryptionContext) {
        return call(() -> {
            String name = usable(key);
            JsonObject d = api.write(TransitOp.DECRYPT, name, "decrypt/" + name,
                    Map.of("ciphertext", TransitAnswers.ciphertextString(name, ciphertext), "context", context(encryptionContext)));
            return Plaintext.wrap(TransitAnswers.base64(TransitOp.DECRYPT, d, "plaintext"));
        });
    }

    @Override
    public Uni<Wrapped> rewrap(KeyRef key, byte[] ciphertext, Map<String, String> encryptionContext) {
        return call(() -> {
            String name = usable(key);
            JsonObject d = api.write(TransitOp.REWRAP, name, "rewrap/" + name,
                    Map.of("ciphertext", TransitAnswers.ciphertextString(name, ciphertext), "context", context(encryptionContext)));
            return wrapped(TransitOp.REWRAP, d);
        });
    }

    @Override
    public Uni<KeyInfo> createKey(String name) {
        return call(() -> {
            String n = KeyRef.of(name).name();
            JsonObject d = describe(n, api.write(TransitOp.CREATE_KEY, n, "keys/" + n,
                    Map.of("type", KEY_TYPE, "derived", true)));
            TransitAnswers.requireContextBinding(n, d);
            verified.add(n);
            return TransitAnswers.keyInfo(n, d);
        });
    }

    @Override
    public Uni<KeyInfo> rotateKey(String name) {
        return call(() -> {
            String n = KeyRef.of(name).name();
            return TransitAnswers.keyInfo(n, describe(n, api.write(TransitOp.ROTATE_KEY, n, "keys/" + n + "/rotate", Map.of())));
        });
    }

    @Override
    public Uni<KeyInfo> keyInfo(String name) {
        return call(() -> {
            String n = KeyRef.of(name).name();
            return TransitAnswers.keyInfo(n, api.read(TransitOp.READ_KEY, n, "keys/" + n));
        });
    }

    @Override
    public Uni<KeyInfo> setMinDecryptionVersion(String name, int minDecryptionVersion) {
        return call(() -> {
            String n = KeyRef.of(name).name();
            return TransitAnswers.keyInfo(n, describe(n, api.write(TransitOp.CONFIGURE_KEY, n, "keys/" + n + "/config",
                    Map.of("min_decryption_version", minDecryptionVersion))));
        });
    }

    /**
     * One operation: tries of {@link #attempt} under the {@link VaultGuard} (retries with back-off on
     * 429 / 5xx / connection failures, circuit breaker).
     */
    private <T> Uni<T> call(Supplier<T> blocking) {
        return guard.run(() -> attempt(blocking));
    }

    /**
     * The one place where blocking driver calls leave the caller's thread: the try runs on
     * {@code executor}; past the timeout the caller gets {@link KmsException.Unavailable} at once
     * (the driver's own HTTP timeout then ends the call). A result that arrives after the caller
     * gave up is discarded quietly, and a late data key is wiped.
     */
    private <T> Uni<T> attempt(Supplier<T> blocking) {
        return Uni.createFrom().<T>emitter(emitter -> {
            AtomicBoolean over = new AtomicBoolean();
            emitter.onTermination(() -> over.set(true));
            executor.execute(() -> {
                T result;
                try {
                    result = blocking.get();
                } catch (RuntimeException e) {
                    if (!over.get()) {
                        emitter.fail(e);
                    }
                    return;
                }
                if (over.get()) {
                    discard(result);
                } else {
                    emitter.complete(result);
                }
            });
        }).ifNoItem().after(timeout)
                .failWith(() -> new KmsException.Unavailable("Vault did not answer within " + timeout,
                        new TimeoutException()));
    }

    private static void discard(Object late) {
        if (late instanceof AutoCloseable secret) {
            try {
                secret.close();
            } catch (Exception ignored) {
                // Plaintext and DataKey do not throw
            }
        }
    }

    /** The key's name, once it is known to bind contexts (checked on first use per process). */
    private String usable(KeyRef key) {
        String name = key.name();
        if (verifyKeys && !verified.contains(name)) {
            TransitAnswers.requireContextBinding(name, api.read(TransitOp.READ_KEY, name, "keys/" + name));
            verified.add(name);
        }
        return name;
    }

    /** Vault 1.12+ describes the key in its answer to create/rotate/config; older versions answer 204. */
    private JsonObject describe(String name, JsonObject answer) {
        return TransitAnswers.describesKey(answer) ? answer : api.read(TransitOp.READ_KEY, name, "keys/" + name);
    }

    private static Wrapped wrapped(TransitOp op, JsonObject d) {
        String ct = TransitAnswers.string(op, d, "ciphertext");
        return new Wrapped(TransitAnswers.ciphertextBytes(ct), TransitAnswers.keyVersion(op, d, ct));
    }

    private static String context(Map<String, String> encryptionContext) {
        return Base64.getEncoder().encodeToString(EncryptionContext.canonical(encryptionContext));
    }
}
