package dev.sseproxy.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChecksumAlgorithmTest {

    private static final byte[] HELLO = "hello world".getBytes(StandardCharsets.US_ASCII);

    /** Known answers for "hello world" (CRC32 from the spec, the rest cross-checked in Python). */
    private static final Map<ChecksumAlgorithm, String> HELLO_WORLD = Map.of(
            ChecksumAlgorithm.CRC32, "DUoRhQ==",
            ChecksumAlgorithm.CRC32C, "yZRlqg==",
            ChecksumAlgorithm.CRC64NVME, "jSnVw/bqjr4=",
            ChecksumAlgorithm.SHA1, "Kq5sNclPz7QV2+lfQIuc6R7oRu0=",
            ChecksumAlgorithm.SHA256, "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=");

    private static long crc64(byte[] data) {
        Crc64Nvme crc = new Crc64Nvme();
        crc.update(data, 0, data.length);
        return crc.getValue();
    }

    @Test
    void helloWorldKnownAnswersForAllAlgorithms() {
        for (ChecksumAlgorithm a : ChecksumAlgorithm.values()) {
            RunningChecksum c = a.newChecksum();
            c.update(HELLO, 0, HELLO.length);
            assertEquals(HELLO_WORLD.get(a), c.base64(), a.name());
            assertEquals(a.digestLength(), c.digest().length, a.name());
        }
    }

    @Test
    void crc64NvmeCheckValues() {
        assertEquals(0xae8b14860a799888L, crc64("123456789".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(0xcf3473434d4ecf3bL, crc64(new byte[32]));
        assertEquals(0L, crc64(new byte[0]));
        byte[] pattern = new byte[100003];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (byte) (i * 31 + 7);
        }
        assertEquals(0xac503b96f799adccL, crc64(pattern)); // bitwise reference implementation, Python
    }

    @Test
    void crc64NvmeOfIncrementalUpdatesEqualsOneShot() {
        byte[] data = new byte[1000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        for (int split : new int[] {1, 3, 8, 9, 500}) {
            Crc64Nvme crc = new Crc64Nvme();
            for (int off = 0; off < data.length; off += split) {
                crc.update(data, off, Math.min(split, data.length - off));
            }
            assertEquals(crc64(data), crc.getValue(), "split " + split);
        }
    }

    @Test
    void crc64NvmeDigestIsBigEndian() {
        RunningChecksum c = ChecksumAlgorithm.CRC64NVME.newChecksum();
        c.update("123456789".getBytes(StandardCharsets.US_ASCII), 0, 9);
        assertArrayEquals(new byte[] {(byte) 0xae, (byte) 0x8b, 0x14, (byte) 0x86, 0x0a, 0x79, (byte) 0x98,
                (byte) 0x88}, c.digest());
    }

    @Test
    void byteBufferUpdateLeavesTheCallersBufferUntouched() {
        for (ChecksumAlgorithm a : ChecksumAlgorithm.values()) {
            for (ByteBuffer buf : new ByteBuffer[] {ByteBuffer.allocate(20), ByteBuffer.allocateDirect(20)}) {
                buf.put(new byte[4]).put(HELLO).flip();
                buf.position(4);
                RunningChecksum c = a.newChecksum();
                c.update(buf);
                assertEquals(4, buf.position(), a.name());
                assertEquals(15, buf.limit(), a.name());
                assertEquals(HELLO_WORLD.get(a), c.base64(), a.name());
                c.update(buf.asReadOnlyBuffer().limit(4));
                assertEquals(4, buf.position());
            }
        }
    }

    @Test
    void digestCanBeReadMoreThanOnce() {
        for (ChecksumAlgorithm a : ChecksumAlgorithm.values()) {
            RunningChecksum c = a.newChecksum();
            c.update(HELLO, 0, 5);
            byte[] first = c.digest();
            assertArrayEquals(first, c.digest(), a.name());
            c.update(HELLO, 5, 6);
            assertEquals(HELLO_WORLD.get(a), c.base64(), a.name());
        }
    }

    @Test
    void namesAndLengths() {
        assertEquals("x-amz-checksum-crc64nvme", ChecksumAlgorithm.CRC64NVME.headerName());
        assertEquals("CRC32C", ChecksumAlgorithm.CRC32C.displayName());
        assertEquals(20, ChecksumAlgorithm.SHA1.digestLength());
        assertEquals(Optional.of(ChecksumAlgorithm.SHA256), ChecksumAlgorithm.fromHeaderName("X-Amz-Checksum-SHA256"));
        assertEquals(Optional.empty(), ChecksumAlgorithm.fromHeaderName("x-amz-checksum-mode"));
        assertEquals(Optional.of(ChecksumAlgorithm.CRC32C), ChecksumAlgorithm.fromName("crc32c"));
        assertEquals(Optional.of(ChecksumAlgorithm.CRC64NVME), ChecksumAlgorithm.fromName("CRC64NVME"));
        assertEquals(Optional.empty(), ChecksumAlgorithm.fromName("MD5"));
    }

    @Test
    void encodedValuesAreValidatedForBase64AndLength() {
        assertTrue(ChecksumAlgorithm.CRC32.isValidEncoded("DUoRhQ=="));
        assertFalse(ChecksumAlgorithm.CRC32.isValidEncoded("DUoRhQ"));
        assertFalse(ChecksumAlgorithm.CRC32.isValidEncoded("DUoRhQ=x"));
        assertFalse(ChecksumAlgorithm.CRC32.isValidEncoded("DUoRhR=="));
        assertFalse(ChecksumAlgorithm.CRC32C.isValidEncoded("jSnVw/bqjr4="));
        assertFalse(ChecksumAlgorithm.SHA256.isValidEncoded(null));
        assertTrue(ChecksumAlgorithm.SHA256.isValidEncoded(HELLO_WORLD.get(ChecksumAlgorithm.SHA256)));
    }
}
