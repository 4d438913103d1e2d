package dev.sseproxy.kms;

import io.smallrye.mutiny.Uni;
import java.util.Map;

/**
 * The KMS port: Transit-style envelope operations on named, versioned AES-256-GCM keys.
 *
 * <p>Every operation that takes an {@code encryptionContext} binds it to the ciphertext in its
 * {@linkplain EncryptionContext canonical form}: a ciphertext decrypts (or rewraps) only with the
 * same context, whatever the order of its entries. Ciphertexts are opaque, self-describing bytes
 * that carry their key version.
 *
 * <p>Failures arrive as a {@link KmsException} subclass. Implementations never block the calling
 * thread: blocking I/O runs on a worker pool, so these may be called from the event loop.
 *
 * <p>Adapters: {@code local.LocalKmsClient} (embedded default) and
 * {@code vault.VaultTransitKmsClient} (Vault / OpenBao Transit). One contract test suite runs
 * against both.
 */
public interface KmsClient {

    /** A fresh random 256-bit data key, returned in plaintext and wrapped by the latest key version. */
    Uni<DataKey> generateDataKey(KeyRef key, Map<String, String> encryptionContext);

    /** Encrypts a small secret (at most a few KiB) under the latest key version. */
    Uni<Wrapped> encrypt(KeyRef key, byte[] plaintext, Map<String, String> encryptionContext);

    /**
     * Decrypts a ciphertext of this key. A ciphertext that was altered, belongs to another key or
     * context, or is of a version below the key's minimum decryption version fails with
     * {@link KmsException.InvalidCiphertext}.
     */
    Uni<Plaintext> decrypt(KeyRef key, byte[] ciphertext, Map<String, String> encryptionContext);

    /** Re-encrypts a ciphertext under the key's latest version without revealing the plaintext. */
    Uni<Wrapped> rewrap(KeyRef key, byte[] ciphertext, Map<String, String> encryptionContext);

    /** Creates an AES-256-GCM key at version 1; a key that already exists is left as it is. */
    Uni<KeyInfo> createKey(String name);

    /** Adds a new key version, which every later encryption uses; older versions still decrypt. */
    Uni<KeyInfo> rotateKey(String name);

    /** The key's latest version and minimum decryption version. */
    Uni<KeyInfo> keyInfo(String name);

    /**
     * Retires key versions below {@code minDecryptionVersion} (Transit's
     * {@code min_decryption_version}): their ciphertexts no longer decrypt. Rewrap first.
     */
    Uni<KeyInfo> setMinDecryptionVersion(String name, int minDecryptionVersion);

    /**
     * This client, for calls made on behalf of {@code accountId} (the requester of an S3 request).
     * The results are the same; decorators that account per caller (the rate limiter's per-account
     * bucket) charge that account. Adapters ignore it: the default returns {@code this}. Calls made
     * without it (SSE-S3 bucket keys, access-key secrets, key management) are the proxy's own.
     */
    default KmsClient forAccount(String accountId) {
        return this;
    }
}
