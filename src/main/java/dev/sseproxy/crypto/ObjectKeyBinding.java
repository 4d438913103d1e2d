package dev.sseproxy.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How an object key is tied to its envelope (package specification, "Key wrapping" and
 * "Envelope"): the associated data of its wrap, and the derivation of a {@code KMS_DATA_KEY}
 * object's key from its KMS data key. Split from {@link Envelope}, which holds and validates the
 * stored fields; this class only computes bytes from them.
 */
final class ObjectKeyBinding {
    private static final byte[] KMS_OBJECT_KEY_LABEL = "sse-proxy/kms-object-key/v2".getBytes(StandardCharsets.US_ASCII);

    private ObjectKeyBinding() {
    }

    /**
     * The associated data that binds a wrapped object key to its object and use:
     * {@code BYTE(version) || lp(algorithm id) || lp(mode) || lp(scheme) || identity}, {@code lp} a
     * BE16 length and ASCII. Known when the key is wrapped, before the body is written. The version
     * byte makes a version-2 key fail to unwrap under an envelope relabelled as version 1.
     */
    static byte[] keyWrapAad(int version, ObjectIdentity identity, Algorithm algorithm, SseMode mode,
            WrappingScheme scheme) {
        byte[] id = identity.encode();
        byte[][] names = {ascii(algorithm.id()), ascii(mode.name()), ascii(scheme.name())};
        ByteBuffer b = ByteBuffer.allocate(1 + 6 + names[0].length + names[1].length + names[2].length + id.length);
        b.put((byte) version);
        for (byte[] n : names) {
            b.putShort((short) n.length).put(n);
        }
        return b.put(id).array();
    }

    /**
     * The object key of a {@code KMS_DATA_KEY} envelope from the KMS data key: the data key itself in
     * version 1, {@code HMAC-SHA256(dataKey, ASCII("sse-proxy/kms-object-key/v2"))} from version 2
     * (so a version-2 object relabelled as version 1 fails every frame). The caller closes both.
     */
    static KeyMaterial kmsObjectKey(int version, KeyMaterial dataKey) {
        byte[] raw = dataKey.copyBytes();
        byte[] derived = null;
        try {
            if (version < 2) {
                return KeyMaterial.of(raw);
            }
            Mac mac = Ciphers.threadHmac();
            mac.init(new SecretKeySpec(raw, "HmacSHA256"));
            derived = mac.doFinal(KMS_OBJECT_KEY_LABEL);
            return KeyMaterial.of(derived);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        } finally {
            Arrays.fill(raw, (byte) 0);
            if (derived != null) {
                Arrays.fill(derived, (byte) 0);
            }
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
