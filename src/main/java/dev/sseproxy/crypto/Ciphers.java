package dev.sseproxy.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.Mac;

/**
 * The one place that names the JCE transformations. {@code Cipher.getInstance} and
 * {@code Mac.getInstance} look the provider up each time (about 2.4% of a warm 4 KiB GET's CPU in
 * the issue 14 profile), so uses that run whole within one call ({@code init} … {@code doFinal},
 * no callback in between: a key wrap, one frame's decryption, an HMAC) take this thread's instance.
 * Every such use starts with {@code init}, which resets the state, so a use that failed halfway
 * leaves nothing for the next one. A frame encryptor, whose frame spans several client buffers,
 * keeps an instance of its own ({@link #gcm()}).
 */
final class Ciphers {
    private static final ThreadLocal<Cipher> GCM = ThreadLocal.withInitial(Ciphers::gcm);
    private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(Ciphers::newHmac);

    private Ciphers() {
    }

    /** A new AES-GCM cipher, for a use that spans several calls. */
    static Cipher gcm() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM/NoPadding unavailable", e);
        }
    }

    /** This thread's AES-GCM cipher, for a use that runs whole within the caller's call. */
    static Cipher threadGcm() {
        return GCM.get();
    }

    /** This thread's HmacSHA256, for a use that runs whole within the caller's call. */
    static Mac threadHmac() {
        return HMAC.get();
    }

    private static Mac newHmac() {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
