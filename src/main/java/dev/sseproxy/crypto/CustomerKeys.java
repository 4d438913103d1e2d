package dev.sseproxy.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SSE-C key recognition and key derivation (package specification, "SSE-C customer keys"): a salted
 * HMAC verifier that recognises the customer's key without storing it, and the KEK derived from the
 * key that wraps the object key.
 */
public final class CustomerKeys {
    /** Length of the salt that starts every verifier. */
    public static final int SALT_LENGTH = 16;
    /** Length of a verifier: the salt and an HMAC-SHA256. */
    public static final int VERIFIER_LENGTH = SALT_LENGTH + 32;
    private static final byte[] VERIFIER_LABEL = "sse-proxy/ssec-verifier/v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEK_LABEL = "sse-proxy/ssec-kek/v1".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private CustomerKeys() {
    }

    /** A fresh 16-byte random salt. */
    public static byte[] newSalt() {
        byte[] salt = new byte[SALT_LENGTH];
        RANDOM.nextBytes(salt);
        return salt;
    }

    /**
     * The verifier stored in the envelope's {@code ssec} field:
     * {@code salt (16) || HMAC-SHA256(customerKey, "sse-proxy/ssec-verifier/v1" || salt)}, 48 bytes.
     *
     * @throws IllegalArgumentException if {@code salt} is not 16 bytes
     */
    public static byte[] verifier(KeyMaterial customerKey, byte[] salt) {
        checkSalt(salt);
        byte[] mac = hmac(customerKey, VERIFIER_LABEL, salt);
        byte[] out = Arrays.copyOf(salt, VERIFIER_LENGTH);
        System.arraycopy(mac, 0, out, SALT_LENGTH, mac.length);
        return out;
    }

    /**
     * Whether {@code customerKey} is the key {@code storedVerifier} was made from, compared in
     * constant time. A malformed verifier (null, or not 48 bytes) matches no key; this never throws
     * on one.
     */
    public static boolean matches(KeyMaterial customerKey, byte[] storedVerifier) {
        if (storedVerifier == null || storedVerifier.length != VERIFIER_LENGTH) {
            return false;
        }
        byte[] expected = verifier(customerKey, Arrays.copyOf(storedVerifier, SALT_LENGTH));
        return MessageDigest.isEqual(expected, storedVerifier);
    }

    /**
     * The KEK that wraps the object key: {@code HMAC-SHA256(customerKey, "sse-proxy/ssec-kek/v1" || salt)}
     * with the salt of {@code storedVerifier} (its first 16 bytes). Check {@link #matches} first; the
     * caller closes the result.
     *
     * @throws IllegalArgumentException if {@code storedVerifier} is not 48 bytes
     */
    public static KeyMaterial kek(KeyMaterial customerKey, byte[] storedVerifier) {
        if (storedVerifier == null || storedVerifier.length != VERIFIER_LENGTH) {
            throw new IllegalArgumentException("SSE-C verifier must be " + VERIFIER_LENGTH + " bytes");
        }
        byte[] kek = hmac(customerKey, KEK_LABEL, Arrays.copyOf(storedVerifier, SALT_LENGTH));
        try {
            return KeyMaterial.of(kek);
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
    }

    private static byte[] hmac(KeyMaterial key, byte[] label, byte[] salt) {
        byte[] raw = key.copyBytes();
        try {
            Mac mac = Ciphers.threadHmac();
            mac.init(new SecretKeySpec(raw, "HmacSHA256"));
            mac.update(label);
            return mac.doFinal(salt);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    private static void checkSalt(byte[] salt) {
        if (salt == null || salt.length != SALT_LENGTH) {
            throw new IllegalArgumentException("SSE-C salt must be " + SALT_LENGTH + " bytes");
        }
    }
}
