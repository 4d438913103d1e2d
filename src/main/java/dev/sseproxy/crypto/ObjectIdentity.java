package dev.sseproxy.crypto;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The bucket and key an object is stored under, bound into every frame and every wrapped key so a
 * blob moved to another name no longer decrypts.
 *
 * @param bucket the bucket name, as the client named it
 * @param key    the object key, as the client named it
 */
public record ObjectIdentity(String bucket, String key) {

    public ObjectIdentity {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
    }

    /** {@code BE32(len) || UTF8(bucket) || BE32(len) || UTF8(key)}; an unpaired surrogate is rejected. */
    public byte[] encode() {
        byte[] b = utf8(bucket);
        byte[] k = utf8(key);
        return ByteBuffer.allocate(8 + b.length + k.length)
                .putInt(b.length).put(b).putInt(k.length).put(k).array();
    }

    private static byte[] utf8(String s) {
        // getBytes is exact unless the string holds a surrogate; only then is an unpaired one possible
        boolean surrogate = false;
        for (int i = 0; i < s.length() && !surrogate; i++) {
            surrogate = Character.isSurrogate(s.charAt(i));
        }
        if (!surrogate) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        try {
            ByteBuffer out = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
            byte[] bytes = new byte[out.remaining()];
            out.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("bucket or key is not valid Unicode (unpaired surrogate)");
        }
    }
}
