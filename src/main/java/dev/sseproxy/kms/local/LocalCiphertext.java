package dev.sseproxy.kms.local;

import dev.sseproxy.kms.EncryptionContext;
import dev.sseproxy.kms.KmsException;
import dev.sseproxy.kms.Plaintext;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Ciphertexts of the local KMS, shaped like Transit's: {@code local:v<N>:<base64>} as ASCII bytes,
 * where {@code <N>} is the key version and the base64 (standard alphabet, padded) holds
 * {@code nonce(12) || AES-256-GCM ciphertext || tag(16)}.
 *
 * <p>The associated data is {@code UTF-8(key name) || 0x00 || canonical encryption context}
 * ({@link EncryptionContext#canonical}), so a ciphertext opens only under the key, version and
 * context it was made with. The {@code local:v} prefix is the format version: readers refuse
 * anything else.
 */
final class LocalCiphertext {
    static final String PREFIX = "local:v";
    private static final Pattern FORMAT = Pattern.compile("local:v([1-9][0-9]{0,8}):([A-Za-z0-9+/]+={0,2})");
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    private LocalCiphertext() {
    }

    /** A parsed ciphertext: the key version and the raw {@code nonce || ciphertext || tag}. */
    record Parsed(int version, byte[] sealed) {
    }

    static byte[] seal(KeyVersion version, String keyName, Map<String, String> context, byte[] plaintext,
            SecureRandom random) {
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(version.material(), "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad(keyName, context));
            byte[] ct = c.doFinal(plaintext);
            byte[] sealed = ByteBuffer.allocate(NONCE + ct.length).put(nonce).put(ct).array();
            return (PREFIX + version.number() + ":" + Base64.getEncoder().encodeToString(sealed))
                    .getBytes(StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    static Parsed parse(String keyName, byte[] ciphertext) {
        Matcher m = FORMAT.matcher(new String(ciphertext, StandardCharsets.ISO_8859_1));
        if (!m.matches()) {
            throw new KmsException.InvalidCiphertext("not a local KMS ciphertext (key '" + keyName + "')");
        }
        byte[] sealed;
        try {
            sealed = Base64.getDecoder().decode(m.group(2));
        } catch (IllegalArgumentException e) {
            throw new KmsException.InvalidCiphertext("ciphertext of key '" + keyName + "' is not valid base64");
        }
        if (sealed.length < NONCE + TAG_BITS / 8) {
            throw new KmsException.InvalidCiphertext("ciphertext of key '" + keyName + "' is too short");
        }
        return new Parsed(Integer.parseInt(m.group(1)), sealed);
    }

    static Plaintext open(KeyVersion version, String keyName, Map<String, String> context, byte[] sealed) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(version.material(), "AES"),
                    new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE));
            c.updateAAD(aad(keyName, context));
            return Plaintext.wrap(c.doFinal(sealed, NONCE, sealed.length - NONCE));
        } catch (AEADBadTagException e) {
            throw new KmsException.InvalidCiphertext("ciphertext of key '" + keyName + "' version " + version.number()
                    + " does not decrypt with this encryption context: altered, or made under another key or context");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    private static byte[] aad(String keyName, Map<String, String> context) {
        byte[] name = keyName.getBytes(StandardCharsets.UTF_8);
        byte[] ctx = EncryptionContext.canonical(context);
        return ByteBuffer.allocate(name.length + 1 + ctx.length).put(name).put((byte) 0).put(ctx).array();
    }
}
