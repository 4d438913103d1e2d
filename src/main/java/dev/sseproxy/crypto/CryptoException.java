package dev.sseproxy.crypto;

/** Failures of the crypto core. {@link Tampered} means authentication failed: never return the bytes. */
public sealed class CryptoException extends RuntimeException
        permits CryptoException.Tampered, CryptoException.UnknownFormat {

    CryptoException(String message) {
        super(message);
    }

    /** Ciphertext, tag or associated data do not authenticate. */
    public static final class Tampered extends CryptoException {
        public Tampered(String message) {
            super(message);
        }
    }

    /** A stored value carries a format version this reader does not know. */
    public static final class UnknownFormat extends CryptoException {
        public UnknownFormat(String message) {
            super(message);
        }
    }
}
