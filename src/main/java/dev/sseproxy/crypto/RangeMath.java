package dev.sseproxy.crypto;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Maps a plaintext byte range of a stored object to the whole frames that hold it (package
 * specification, "Range reads"). Pure functions.
 */
public final class RangeMath {
    private RangeMath() {
    }

    /**
     * The frames of one part that a read needs.
     *
     * @param partNumber          the part's number (nonce input)
     * @param partPlaintextLength the part's plaintext length (fixes its final frame)
     * @param ciphertextOffset    where the first frame starts in the whole stored object
     * @param ciphertextLength    bytes to fetch from there: whole frames only
     * @param firstFrameIndex     index of the first frame within the part
     * @param frameCount          number of frames fetched
     * @param skip                plaintext bytes to drop from the start of the first decrypted frame
     * @param emit                plaintext bytes to return after the skip
     */
    public record Segment(int partNumber, long partPlaintextLength, long ciphertextOffset, long ciphertextLength,
                          long firstFrameIndex, long frameCount, long skip, long emit) {

        /** A consumer that drops the first {@link #skip} bytes, passes {@link #emit} bytes, drops the rest. */
        public Consumer<ByteBuffer> window(Consumer<ByteBuffer> out) {
            long[] state = {skip, emit};
            return buffer -> {
                int drop = (int) Math.min(state[0], buffer.remaining());
                state[0] -= drop;
                buffer.position(buffer.position() + drop);
                int pass = (int) Math.min(state[1], buffer.remaining());
                if (pass > 0) {
                    state[1] -= pass;
                    out.accept(buffer.slice().limit(pass));
                }
            };
        }
    }

    /**
     * The segments of one read, in storage order. They are contiguous: one backend request for
     * bytes {@link #ciphertextStart()}..{@link #ciphertextEndInclusive()} fetches them all.
     *
     * @param segments one per part touched, at least one
     */
    public record Plan(List<Segment> segments) {
        public Plan {
            segments = List.copyOf(segments);
        }

        /** Offset in the stored object of the first byte to fetch. */
        public long ciphertextStart() {
            return segments.get(0).ciphertextOffset();
        }

        /** Offset in the stored object of the last byte to fetch. */
        public long ciphertextEndInclusive() {
            Segment last = segments.get(segments.size() - 1);
            return last.ciphertextOffset() + last.ciphertextLength() - 1;
        }

        /** Plaintext bytes the read returns. */
        public long plaintextLength() {
            return segments.stream().mapToLong(Segment::emit).sum();
        }
    }

    /**
     * The frames holding plaintext bytes {@code start..endInclusive} (already resolved against the
     * object's plaintext length). An empty part between two touched bytes (S3 allows none, but the
     * table does) gets a segment of its one 16-byte frame, so the segments stay contiguous.
     *
     * @throws IllegalArgumentException unless {@code 0 <= start <= endInclusive < plaintext length}
     */
    public static Plan range(PartTable table, long start, long endInclusive) {
        long total = table.plaintextLength();
        if (start < 0 || start > endInclusive || endInclusive >= total) {
            throw new IllegalArgumentException("range " + start + "-" + endInclusive + " outside " + total + " bytes");
        }
        List<Segment> segments = new ArrayList<>();
        long plainOffset = 0;
        long cipherOffset = 0;
        for (PartTable.Part part : table.parts()) {
            long n = part.plaintextLength();
            if (n > 0 && start < plainOffset + n && endInclusive >= plainOffset) {
                long from = Math.max(start, plainOffset) - plainOffset;
                long to = Math.min(endInclusive, plainOffset + n - 1) - plainOffset;
                segments.add(segment(part, cipherOffset, from, to));
            } else if (n == 0 && plainOffset > start && plainOffset <= endInclusive) {
                segments.add(new Segment(part.number(), 0, cipherOffset, part.ciphertextLength(), 0, 1, 0, 0));
            }
            plainOffset += n;
            cipherOffset += part.ciphertextLength();
            if (plainOffset > endInclusive) {
                break;
            }
        }
        return new Plan(segments);
    }

    /** Every frame of every part, empty parts included, so each part's final frame is checked. */
    public static Plan whole(PartTable table) {
        List<Segment> segments = new ArrayList<>();
        long cipherOffset = 0;
        for (PartTable.Part part : table.parts()) {
            long n = part.plaintextLength();
            segments.add(new Segment(part.number(), n, cipherOffset, part.ciphertextLength(), 0,
                    FrameFormat.frameCount(n), 0, n));
            cipherOffset += part.ciphertextLength();
        }
        return new Plan(segments);
    }

    /** The segment for plaintext bytes {@code from..to} (inclusive, within the part) of {@code part}. */
    private static Segment segment(PartTable.Part part, long partCipherOffset, long from, long to) {
        long firstFrame = from / FrameFormat.FRAME_SIZE;
        long lastFrame = to / FrameFormat.FRAME_SIZE;
        long cipherFrom = firstFrame * FrameFormat.FRAME_CIPHERTEXT_SIZE;
        long cipherTo = Math.min(part.ciphertextLength(), (lastFrame + 1) * FrameFormat.FRAME_CIPHERTEXT_SIZE);
        return new Segment(part.number(), part.plaintextLength(), partCipherOffset + cipherFrom, cipherTo - cipherFrom,
                firstFrame, lastFrame - firstFrame + 1, from - firstFrame * FrameFormat.FRAME_SIZE, to - from + 1);
    }
}
