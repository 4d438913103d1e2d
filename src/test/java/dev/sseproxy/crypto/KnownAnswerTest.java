package dev.sseproxy.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Fixed inputs, fixed bytes. The expected values were computed outside this code base, with
 * Python's {@code cryptography} AESGCM, from the layouts written in package-info.java alone.
 */
class KnownAnswerTest {
    static final HexFormat HEX = HexFormat.of();
    static final ObjectIdentity ID = new ObjectIdentity("kat-bucket", "dir/objekt-\u00fc.bin");

    static KeyMaterial key(int from) {
        byte[] b = new byte[32];
        for (int i = 0; i < 32; i++) {
            b[i] = (byte) (from + i);
        }
        return KeyMaterial.of(b);
    }

    static byte[] threeFramePlaintext() {
        byte[] pt = new byte[2 * FrameFormat.FRAME_SIZE + 100];
        for (int i = 0; i < pt.length; i++) {
            pt[i] = (byte) (i % 251);
        }
        return pt;
    }

    @Test
    void threeFrameObjectEncryptsToKnownBytes() throws Exception {
        byte[] ct = Frames.encrypt(key(0), ID, 1, threeFramePlaintext());
        assertEquals(2 * 65_552 + 116, ct.length);
        assertEquals("66cc0891b3d5f8a3da200723a9c6acd3d6697b199e587f7c3b1401b0f4435a37",
                HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(ct)));
        assertEquals("e85302d41fcfc115c22014d88a426c0b", HEX.formatHex(ct, 65_536, 65_552));
        assertEquals("32a5a29dda522c8a2bf4ad302836bf73", HEX.formatHex(ct, 2 * 65_552 - 16, 2 * 65_552));
        assertEquals("e29b60ce2d72da3e25968fabed658ed84dfe4d72c5a357c6618215fe8ab06b3a05250e516d3951ec7ae6ea77d77ce1b6"
                        + "2d2de02c103bc3d271b84c24e008c15552e5f5a824a22961c6230abcda09d6b71f57babd127ccf4e10fb10427e380cfa"
                        + "0a99cd95b08ae6dc7d350d77ec1aebffc74f4a14",
                HEX.formatHex(Arrays.copyOfRange(ct, 2 * 65_552, ct.length)));
    }

    @Test
    void knownThreeFrameCiphertextDecryptsToItsPlaintext() {
        byte[] pt = threeFramePlaintext();
        byte[] ct = Frames.encrypt(key(0), ID, 1, pt);
        assertArrayEquals(pt, Frames.decrypt(key(0), ID, 1, pt.length, ct));
    }

    @Test
    void emptyObjectIsOneTagOnly() {
        assertEquals("6cdb92e6847357cffc4fddb262e47e5f", HEX.formatHex(Frames.encrypt(key(0), ID, 1, new byte[0])));
    }

    @Test
    void partNumberEntersTheNonce() {
        assertEquals("3782b8ed1542df6487d89fb5b22c6532052b746e25",
                HEX.formatHex(Frames.encrypt(key(0), ID, 7, "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
    }

    @Test
    void keyWrapAadAndWrappedKeyHaveKnownBytes() {
        byte[] aad = Envelope.keyWrapAad(1, ID, Algorithm.AES256_GCM_64K, SseMode.SSE_S3, WrappingScheme.BUCKET_KEY);
        assertEquals("01000e4145533235362d47434d2d36344b00065353455f5333000a4255434b45545f4b45590000000a6b61742d6275636b"
                + "6574000000116469722f6f626a656b742dc3bc2e62696e", HEX.formatHex(aad));
        byte[] nonce = HEX.parseHex("a0a1a2a3a4a5a6a7a8a9aaab");
        byte[] wrapped = KeyWrap.wrap(key(0x20), key(0), aad, nonce);
        assertEquals("01a0a1a2a3a4a5a6a7a8a9aaab7e3da637c0d286ada921a7b12a5078a9816ed31428a13035178bd1e2cf7bb1e7a9783ed7"
                + "cc02f60dbb514b73bc1b6513", HEX.formatHex(wrapped));
        try (KeyMaterial unwrapped = KeyWrap.unwrap(key(0x20), wrapped, aad)) {
            assertArrayEquals(key(0).copyBytes(), unwrapped.copyBytes());
        }
    }
}
