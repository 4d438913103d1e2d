package dev.sseproxy.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Wraps a 32-byte key under a 32-byte key-encryption key (package specification, "Key wrapping"):
 * {@code 0x01 || nonce (12 random) || AES-256-GCM(kek, nonce, key, 0x01 || aad) || tag (16)}, 61 bytes.
 */
public final class KeyWrap {
    /** Leading byte of every wrapped key. */
    public static final byte VERSION = 1;
    /** Length of a wrapped key. */
    public static final int WRAPPED_LENGTH = 1 + FrameFormat.NONCE_SIZE + KeyMaterial.LENGTH + FrameFormat.TAG_SIZE;
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyWrap() {
    }

    /**
     * Wraps {@code key} under {@code kek}, bound to {@code aad} (for object keys
     * {@link Envelope#keyWrapAad}).
     */
    public static byte[] wrap(KeyMaterial kek, KeyMaterial key, byte[] aad) {
        byte[] nonce = new byte[FrameFormat.NONCE_SIZE];
        RANDOM.nextBytes(nonce);
        return wrap(kek, key, aad, nonce);
    }

    /** {@link #wrap(KeyMaterial, KeyMaterial, byte[])} with a given nonce: for known-answer tests only. */
    static byte[] wrap(KeyMaterial kek, KeyMaterial key, byte[] aad, byte[] nonce) {
        byte[] plain = key.copyBytes();
        try {
            Cipher c = Ciphers.threadGcm();
            c.init(Cipher.ENCRYPT_MODE, kek.secretKey(), new GCMParameterSpec(128, nonce));
            c.updateAAD(boundAad(aad));
            ByteBuffer out = ByteBuffer.allocate(WRAPPED_LENGTH).put(VERSION).put(nonce);
            c.doFinal(ByteBuffer.wrap(plain), out);
            return out.array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("key wrapping failed", e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /**
     * Unwraps a key wrapped by {@link #wrap}; the caller closes the result.
     *
     * @throws CryptoException.UnknownFormat if the leading byte is not {@code 0x01}
     * @throws CryptoException.Tampered      if the length, kek or aad does not match
     */
    public static KeyMaterial unwrap(KeyMaterial kek, byte[] wrapped, byte[] aad) {
        if (wrapped.length == 0 || wrapped[0] != VERSION) {
            throw new CryptoException.UnknownFormat("wrapped key of unknown version");
        }
        if (wrapped.length != WRAPPED_LENGTH) {
            throw new CryptoException.Tampered("wrapped key has length " + wrapped.length + ", not " + WRAPPED_LENGTH);
        }
        byte[] plain = null;
        try {
            Cipher c = Ciphers.threadGcm();
            c.init(Cipher.DECRYPT_MODE, kek.secretKey(), new GCMParameterSpec(128, wrapped, 1, FrameFormat.NONCE_SIZE));
            c.updateAAD(boundAad(aad));
            plain = c.doFinal(wrapped, 1 + FrameFormat.NONCE_SIZE, wrapped.length - 1 - FrameFormat.NONCE_SIZE);
            return KeyMaterial.of(plain);
        } catch (AEADBadTagException e) {
            throw new CryptoException.Tampered("wrapped key failed authentication (wrong key-encryption key or context)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("key unwrapping failed", e);
        } finally {
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    private static byte[] boundAad(byte[] aad) {
        return ByteBuffer.allocate(1 + aad.length).put(VERSION).put(aad).array();
    }
}
