package dev.sseproxy.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The envelope's table MAC (package specification, "Envelope integrity"): binds the plaintext size
 * and the part table to the object key, so that only a holder of the object key can make a table
 * that reads.
 * <ul>
 *   <li>{@code macKey = HMAC-SHA256(objectKey, ASCII("sse-proxy/table-mac-key/v2"))}</li>
 *   <li>{@code tag(part) = HMAC-SHA256(macKey, BE32(part number) || BE64(plaintext length))}</li>
 *   <li>{@code mac = SHA-256(ASCII("sse-proxy/table-mac/v2") || BE64(size) || BE32(n) || tag(part 1) || ... || tag(part n))}</li>
 * </ul>
 * A multipart upload computes each part's tag when the part is uploaded (the object key is at hand
 * then, for every SSE mode) and combines the tags of the chosen parts at completion, when an SSE-C
 * upload's key may no longer be.
 */
public final class TableMac {
    /** Length of a tag and of the MAC. */
    public static final int LENGTH = 32;
    private static final byte[] KEY_LABEL = "sse-proxy/table-mac-key/v2".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAC_LABEL = "sse-proxy/table-mac/v2".getBytes(StandardCharsets.US_ASCII);

    private TableMac() {
    }

    /** The MAC key of an object key; the caller closes it. */
    public static KeyMaterial key(KeyMaterial objectKey) {
        byte[] k = hmac(objectKey, KEY_LABEL);
        try {
            return KeyMaterial.of(k);
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    /** The tag of one part under {@code macKey}. */
    public static byte[] partTag(KeyMaterial macKey, int partNumber, long plaintextLength) {
        return hmac(macKey, ByteBuffer.allocate(12).putInt(partNumber).putLong(plaintextLength).array());
    }

    /** The MAC of a table whose parts have these tags, in table order. */
    public static byte[] combine(long plaintextSize, List<byte[]> tags) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(MAC_LABEL);
            sha.update(ByteBuffer.allocate(12).putLong(plaintextSize).putInt(tags.size()).array());
            for (byte[] t : tags) {
                if (t == null || t.length != LENGTH) {
                    throw new IllegalArgumentException("a part tag is " + LENGTH + " bytes");
                }
                sha.update(t);
            }
            return sha.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The MAC of {@code table} under {@code objectKey}. */
    public static byte[] of(KeyMaterial objectKey, PartTable table) {
        try (KeyMaterial macKey = key(objectKey)) {
            List<byte[]> tags = new ArrayList<>(table.parts().size());
            for (PartTable.Part p : table.parts()) {
                tags.add(partTag(macKey, p.number(), p.plaintextLength()));
            }
            return combine(table.plaintextLength(), tags);
        }
    }

    /** Whether {@code mac} is the MAC of {@code table} under {@code objectKey} (constant-time compare). */
    static boolean matches(KeyMaterial objectKey, PartTable table, byte[] mac) {
        return mac != null && MessageDigest.isEqual(of(objectKey, table), mac);
    }

    private static byte[] hmac(KeyMaterial key, byte[] data) {
        byte[] raw = key.copyBytes();
        try {
            Mac mac = Ciphers.threadHmac();
            mac.init(new SecretKeySpec(raw, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }
}
