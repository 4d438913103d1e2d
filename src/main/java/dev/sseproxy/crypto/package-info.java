/**
 * The crypto core: JDK only (enforced by an architecture test).
 *
 * <h2>Sealed secrets ({@link dev.sseproxy.crypto.SecretSealer})</h2>
 * Access-key secrets are stored in PostgreSQL only in sealed form:
 * {@code 0x01 || nonce (12 random bytes) || AES-256-GCM(masterKey, nonce, secret, aad) || tag (16)}
 * with the access key id as associated data. Version byte {@code 0x01} is the only one defined;
 * readers reject every other value.
 *
 * <p>The object format (64 KiB AES-256-GCM frames and the metadata envelope) is specified here
 * when object encryption lands (issue 4).
 */
package dev.sseproxy.crypto;
