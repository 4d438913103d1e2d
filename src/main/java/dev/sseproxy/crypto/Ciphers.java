package dev.sseproxy.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;

/** The one place that names the JCE transformation. */
final class Ciphers {
    private Ciphers() {
    }

    static Cipher gcm() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM/NoPadding unavailable", e);
        }
    }
}
