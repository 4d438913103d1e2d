package dev.sseproxy.kms.local;

/**
 * The local KMS keystore cannot be read or written: it does not open with the configured master
 * key, is of an unknown format, or the file system refused. Raised at start (opening) or when a
 * key is created or rotated (writing); never carries key material.
 */
public final class KeystoreException extends RuntimeException {
    public KeystoreException(String message) {
        super(message);
    }

    public KeystoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
