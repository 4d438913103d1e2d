package dev.sseproxy.crypto;

import static dev.sseproxy.crypto.Frames.F;
import static dev.sseproxy.crypto.Frames.ID;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Range reads over a multipart layout with unequal parts, a gap in the part numbers and empty
 * parts in the middle and at the end. A brute-force frame model, independent of RangeMath's arithmetic, says which frames
 * a range touches.
 */
class RangeMathTest {
    static final KeyMaterial KEY = Frames.key(3);
    static final PartTable TABLE = new PartTable(List.of(
            new PartTable.Part(1, 3L * F + 5), new PartTable.Part(2, F), new PartTable.Part(3, 1),
            new PartTable.Part(4, 0), new PartTable.Part(6, 2L * F), new PartTable.Part(7, F - 1),
            new PartTable.Part(8, 2L * F + 17), new PartTable.Part(9, 0)));
    static byte[] plaintext;
    static byte[] stored;
    /** Every frame of the object: global plaintext [from, to) and ciphertext [from, to). */
    static final List<long[]> FRAMES = new ArrayList<>();

    @BeforeAll
    static void writeObject() {
        plaintext = Frames.plaintext((int) TABLE.plaintextLength(), 42);
        List<byte[]> parts = new ArrayList<>();
        int pt = 0;
        long ct = 0;
        for (PartTable.Part p : TABLE.parts()) {
            int n = (int) p.plaintextLength();
            parts.add(Frames.encrypt(KEY, ID, p.number(), Arrays.copyOfRange(plaintext, pt, pt + n)));
            for (int off = 0; off < Math.max(n, 1); off += F) {
                int size = Math.min(F, n - off);
                FRAMES.add(new long[] {pt + off, pt + off + size, ct, ct + size + 16});
                ct += size + 16;
            }
            pt += n;
        }
        stored = Frames.concat(parts.toArray(new byte[0][]));
        assertEquals(TABLE.ciphertextLength(), stored.length);
    }

    @Test
    void everyRangeBetweenFrameAndPartEdgesDecryptsToExactlyItsSlice() {
        TreeSet<Long> points = new TreeSet<>();
        for (long[] f : FRAMES) {
            for (long d = -1; d <= 1; d++) {
                points.add(f[0] + d);
                points.add(f[1] + d);
            }
        }
        List<Long> edges = points.stream().filter(p -> p >= 0 && p < plaintext.length).toList();
        int ranges = 0;
        for (long start : edges) {
            for (long end : edges) {
                if (start <= end) {
                    checkRange(start, end);
                    ranges++;
                }
            }
        }
        assertTrue(ranges > 500, "ranges checked: " + ranges);
    }

    @Test
    void randomRangesDecryptToExactlyTheirSlice() {
        Random r = new Random(5);
        for (int i = 0; i < 300; i++) {
            long a = r.nextInt(plaintext.length);
            long b = r.nextInt(plaintext.length);
            checkRange(Math.min(a, b), Math.max(a, b));
        }
    }

    @Test
    void wholePlanDecryptsEveryPartIncludingTheEmptyOne() {
        RangeMath.Plan plan = RangeMath.whole(TABLE);
        assertEquals(TABLE.parts().size(), plan.segments().size());
        assertEquals(0, plan.ciphertextStart());
        assertEquals(stored.length - 1, plan.ciphertextEndInclusive());
        assertArrayEquals(plaintext, read(plan));
    }

    @Test
    void wholePlanOfAnEmptyObjectFetchesOneTag() {
        RangeMath.Plan plan = RangeMath.whole(PartTable.single(0));
        assertEquals(List.of(new RangeMath.Segment(1, 0, 0, 16, 0, 1, 0, 0)), plan.segments());
    }

    @Test
    void singleByteInTheMiddleOfAPartFetchesOneFrame() {
        long start = 3L * F + 5 + 10;
        RangeMath.Plan plan = RangeMath.range(TABLE, start, start);
        RangeMath.Segment s = plan.segments().get(0);
        assertEquals(new RangeMath.Segment(2, F, 3L * (F + 16) + 5 + 16, F + 16, 0, 1, 10, 1), s);
    }

    @Test
    void rangesOutsideTheObjectAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> RangeMath.range(TABLE, -1, 3));
        assertThrows(IllegalArgumentException.class, () -> RangeMath.range(TABLE, 5, 4));
        assertThrows(IllegalArgumentException.class, () -> RangeMath.range(TABLE, 0, plaintext.length));
        assertThrows(IllegalArgumentException.class, () -> RangeMath.range(PartTable.single(0), 0, 0));
    }

    @Test
    void aTamperedFrameInsideTheRangeFailsTheRead() {
        RangeMath.Plan plan = RangeMath.range(TABLE, F + 3, 5L * F);
        byte[] copy = stored.clone();
        copy[(int) plan.ciphertextStart() + 100] ^= 1;
        byte[] saved = stored;
        stored = copy;
        try {
            assertThrows(CryptoException.Tampered.class, () -> read(plan));
        } finally {
            stored = saved;
        }
    }

    private static void checkRange(long start, long end) {
        RangeMath.Plan plan = RangeMath.range(TABLE, start, end);
        String what = "range " + start + "-" + end;
        assertArrayEquals(Arrays.copyOfRange(plaintext, (int) start, (int) end + 1), read(plan), what);
        assertEquals(end - start + 1, plan.plaintextLength(), what);
        long[] expected = touchedCiphertext(start, end);
        assertEquals(expected[0], plan.ciphertextStart(), what);
        assertEquals(expected[1] - 1, plan.ciphertextEndInclusive(), what);
        long fetched = plan.segments().stream().mapToLong(RangeMath.Segment::ciphertextLength).sum();
        assertEquals(expected[1] - expected[0], fetched, what + ": segments are contiguous and cover only touched frames");
    }

    /** From the brute-force frame list: the ciphertext span of the frames whose plaintext meets [start, end]. */
    private static long[] touchedCiphertext(long start, long end) {
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        for (long[] f : FRAMES) {
            if (f[1] > f[0] && f[0] <= end && f[1] > start) {
                from = Math.min(from, f[2]);
                to = Math.max(to, f[3]);
            }
        }
        return new long[] {from, to};
    }

    /** Fetches exactly the planned bytes, decrypts each segment's frames and applies skip/emit. */
    private static byte[] read(RangeMath.Plan plan) {
        Frames.Sink out = new Frames.Sink();
        for (RangeMath.Segment s : plan.segments()) {
            FrameDecryptor dec = FrameDecryptor.forSegment(KEY, ID, s);
            java.util.function.Consumer<ByteBuffer> window = s.window(out);
            for (ByteBuffer piece : Frames.pieces(Arrays.copyOfRange(stored, (int) s.ciphertextOffset(),
                    (int) (s.ciphertextOffset() + s.ciphertextLength())), new Random(s.ciphertextOffset()))) {
                dec.update(piece, window);
            }
            dec.finish();
        }
        return out.bytes();
    }
}
