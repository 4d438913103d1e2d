package dev.sseproxy.catalog;

import dev.sseproxy.config.SseProxyConfig;
import dev.sseproxy.crypto.CryptoException;
import dev.sseproxy.crypto.SecretSealer;
import dev.sseproxy.kms.KeyRef;
import dev.sseproxy.kms.KmsClient;
import dev.sseproxy.kms.MasterKeyProvider;
import dev.sseproxy.kms.Plaintext;
import dev.sseproxy.reactive.CallerContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Seals and opens access-key secrets with the KMS (see the package documentation for the stored
 * form): {@code encrypt} / {@code decrypt} under the proxy-owned key {@code sse-proxy.kms.secrets-key-name},
 * bound to the access key id and its account by the encryption context. Results come back on the
 * caller's Vert.x context, so Hibernate Reactive may follow.
 */
@ApplicationScoped
public class AccessKeySecrets {
    /** Leading byte of a secret sealed the old way, by {@link SecretSealer} under the master key. */
    static final byte LEGACY = 0x01;
    /** Leading byte of a secret sealed by the KMS: {@code 0x02 || KMS ciphertext}. */
    static final byte KMS_SEALED = 0x02;

    private final KmsClient kms;
    private final KeyRef key;
    private final Supplier<byte[]> masterKey;

    @Inject
    public AccessKeySecrets(KmsClient kms, MasterKeyProvider masterKeys, SseProxyConfig config) {
        // the master key is read only when a legacy row is met (a Vault deployment may have none)
        this(kms, KeyRef.of(config.kms().secretsKeyName()), masterKeys::masterKey);
    }

    AccessKeySecrets(KmsClient kms, KeyRef key, Supplier<byte[]> masterKey) {
        this.kms = kms;
        this.key = key;
        this.masterKey = masterKey;
    }

    /** Creates the sealing key at the KMS when it is missing; an existing key is left as it is. */
    public Uni<Void> ensureKey() {
        return Uni.createFrom().deferred(() -> {
            Executor caller = CallerContext.capture();
            return kms.createKey(key.name()).emitOn(caller).replaceWithVoid();
        });
    }

    /** The stored form of {@code secret} for this access key and account. */
    public Uni<byte[]> seal(String accessKeyId, String accountId, String secret) {
        return Uni.createFrom().deferred(() -> {
            Executor caller = CallerContext.capture();
            byte[] plain = secret.getBytes(StandardCharsets.UTF_8);
            return kms.encrypt(key, plain, context(accessKeyId, accountId)).emitOn(caller)
                    .map(w -> ByteBuffer.allocate(1 + w.ciphertext().length).put(KMS_SEALED).put(w.ciphertext()).array())
                    .eventually(() -> Arrays.fill(plain, (byte) 0));
        });
    }

    /**
     * The secret of a row sealed by {@link #seal}. A legacy row is refused ({@code UnknownFormat}):
     * those are re-sealed at start ({@link #openLegacy}), not opened on the request path.
     */
    public Uni<String> open(String accessKeyId, String accountId, byte[] stored) {
        return Uni.createFrom().deferred(() -> {
            Executor caller = CallerContext.capture();
            if (stored.length < 2 || stored[0] != KMS_SEALED) {
                throw new CryptoException.UnknownFormat("access key " + accessKeyId + " has a secret of unknown "
                        + "or legacy format (legacy secrets are re-sealed with the KMS at start)");
            }
            byte[] ciphertext = Arrays.copyOfRange(stored, 1, stored.length);
            return kms.decrypt(key, ciphertext, context(accessKeyId, accountId)).emitOn(caller).map(AccessKeySecrets::text);
        });
    }

    /** Whether {@code stored} was sealed the old way, under the master key. */
    static boolean isLegacy(byte[] stored) {
        return stored.length > 0 && stored[0] == LEGACY;
    }

    /** Opens a legacy row (bound to the access key id only) with the master key: for the migration at start. */
    String openLegacy(String accessKeyId, byte[] stored) {
        byte[] master = masterKey.get();
        try {
            return text(Plaintext.wrap(new SecretSealer(master).open(stored, accessKeyId.getBytes(StandardCharsets.UTF_8))));
        } finally {
            Arrays.fill(master, (byte) 0);
        }
    }

    /** The encryption context every sealed secret is bound to. */
    static Map<String, String> context(String accessKeyId, String accountId) {
        return Map.of("sse-proxy:use", "access-key-secret", "access-key-id", accessKeyId, "account-id", accountId);
    }

    private static String text(Plaintext p) {
        try (p) {
            return new String(p.bytes(), StandardCharsets.UTF_8);
        }
    }
}
