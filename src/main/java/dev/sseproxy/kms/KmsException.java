package dev.sseproxy.kms;

/**
 * Failures of a {@link KmsClient}, whatever the backend. Messages name the operation and the key,
 * never key bytes, plaintext, ciphertext or credentials.
 *
 * <p>The error translator maps each permitted subclass to an S3 error; a test walks them all.
 */
public abstract sealed class KmsException extends RuntimeException
        permits KmsException.NotFound, KmsException.AccessDenied, KmsException.Throttled,
        KmsException.Unavailable, KmsException.InvalidCiphertext, KmsException.UnusableKey {

    KmsException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The key does not exist at the backend (Vault: 404, or 400 {@code encryption key not found}). */
    public static final class NotFound extends KmsException {
        public NotFound(String message) {
            super(message, null);
        }
    }

    /** The backend refused the credentials or the policy does not allow the call (Vault: 403, failed login). */
    public static final class AccessDenied extends KmsException {
        public AccessDenied(String message) {
            super(message, null);
        }
    }

    /** The backend asked us to slow down (Vault: 429, a rate-limit quota). Retry later. */
    public static final class Throttled extends KmsException {
        public Throttled(String message) {
            super(message, null);
        }
    }

    /**
     * The backend could not be reached or did not answer in time, or answered with a server error
     * (Vault: 5xx, sealed, connection refused, timeout). Transient; the request fails whole.
     */
    public static final class Unavailable extends KmsException {
        public Unavailable(String message) {
            super(message, null);
        }

        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * A ciphertext did not decrypt under this key and encryption context: altered, truncated,
     * produced under another key or context, of a retired key version, or not a ciphertext at all.
     * Never retried; the caller must not return any data.
     */
    public static final class InvalidCiphertext extends KmsException {
        public InvalidCiphertext(String message) {
            super(message, null);
        }
    }

    /**
     * The key exists but cannot serve this call as a context-bound AES-256-GCM key: for Vault, a
     * Transit key of another type or one created without {@code derived=true} (Vault silently ignores
     * the context for such keys, so sse-proxy refuses them), or a request Vault rejected as malformed.
     */
    public static final class UnusableKey extends KmsException {
        public UnusableKey(String message) {
            super(message, null);
        }
    }
}
