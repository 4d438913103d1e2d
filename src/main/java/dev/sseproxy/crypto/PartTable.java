package dev.sseproxy.crypto;

import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a stored object in storage order: part number (as used in the frame nonces) and
 * plaintext length. A single PUT is {@code single(n)}: one part numbered 1. The text form is the
 * run-length encoding of the package specification ("Part table").
 *
 * @param parts at least one part, at most {@link #MAX_PARTS}, part numbers distinct (in storage order; a retried part may carry a higher number)
 */
public record PartTable(List<Part> parts) {
    /** S3's limit on the parts of one object. */
    public static final int MAX_PARTS = 10_000;

    /** One part: the number its frames were encrypted under and its plaintext length. */
    public record Part(int number, long plaintextLength) {
        public Part {
            FrameFormat.checkPartNumber(number);
            FrameFormat.checkLength(plaintextLength);
        }

        /** Stored (ciphertext) length of this part. */
        public long ciphertextLength() {
            return FrameFormat.ciphertextLength(plaintextLength);
        }
    }

    /** {@code count} parts of {@code size} bytes numbered {@code firstNumber} onwards. */
    public record Run(int firstNumber, int count, long size) {
    }

    public PartTable {
        parts = List.copyOf(parts);
        if (parts.isEmpty() || parts.size() > MAX_PARTS) {
            throw new IllegalArgumentException("a part table has 1 to " + MAX_PARTS + " parts, not " + parts.size());
        }
        long total = 0;
        // a single PUT's table (one part) needs no set
        java.util.Set<Integer> seen = parts.size() == 1 ? null : new java.util.HashSet<>();
        for (Part p : parts) {
            if (seen != null && !seen.add(p.number())) {
                throw new IllegalArgumentException("part number " + p.number() + " appears twice");
            }
            total += p.plaintextLength();
            FrameFormat.checkLength(total);
        }
    }

    /** The table of a single PUT: one part, number 1. */
    public static PartTable single(long plaintextLength) {
        return new PartTable(List.of(new Part(1, plaintextLength)));
    }

    /** Parts numbered 1, 2, … with the given plaintext lengths. */
    public static PartTable ofSizes(long... plaintextLengths) {
        List<Part> list = new ArrayList<>(plaintextLengths.length);
        for (int i = 0; i < plaintextLengths.length; i++) {
            list.add(new Part(i + 1, plaintextLengths[i]));
        }
        return new PartTable(list);
    }

    /** Sum of the parts' plaintext lengths. */
    public long plaintextLength() {
        long total = 0;
        for (Part p : parts) {
            total += p.plaintextLength();
        }
        return total;
    }

    /** Sum of the parts' stored lengths: the size of the backend object. */
    public long ciphertextLength() {
        long total = 0;
        for (Part p : parts) {
            total += p.ciphertextLength();
        }
        return total;
    }

    /** Maximal runs of consecutively numbered parts of equal size. */
    public List<Run> runs() {
        List<Run> runs = new ArrayList<>();
        int i = 0;
        while (i < parts.size()) {
            Part first = parts.get(i);
            int j = i + 1;
            while (j < parts.size() && parts.get(j).number() == first.number() + (j - i)
                    && parts.get(j).plaintextLength() == first.plaintextLength()) {
                j++;
            }
            runs.add(new Run(first.number(), j - i, first.plaintextLength()));
            i = j;
        }
        return runs;
    }

    /** The shortest text form, e.g. {@code 999x8388608,1x1234} or {@code 2x100,5:1x300}. */
    public String encode() {
        StringBuilder sb = new StringBuilder();
        long next = 1;
        for (Run r : runs()) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            if (r.firstNumber() != next) {
                sb.append(r.firstNumber()).append(':');
            }
            sb.append(r.count()).append('x').append(r.size());
            next = (long) r.firstNumber() + r.count();
        }
        return sb.toString();
    }

    /**
     * Parses the text form.
     *
     * @throws IllegalArgumentException if {@code text} is not a valid part table
     */
    public static PartTable decode(String text) {
        List<Part> list = new ArrayList<>();
        long next = 1;
        for (String run : text.split(",", -1)) {
            // run = [first ":"] count "x" size, read by hand (every GET decodes one)
            int colon = run.indexOf(':');
            int x = run.indexOf('x', colon + 1);
            if (x < 0 || colon >= 0 && !decimal(run, 0, colon, 10, false) || !decimal(run, colon + 1, x, 5, false)
                    || !decimal(run, x + 1, run.length(), 19, true)) {
                throw new IllegalArgumentException("malformed part-table run '" + run + "'");
            }
            long first = colon < 0 ? next : Long.parseLong(run, 0, colon, 10);
            long count = Long.parseLong(run, colon + 1, x, 10);
            long size = Long.parseLong(run, x + 1, run.length(), 10);
            if (first + count - 1 > Integer.MAX_VALUE || list.size() + count > MAX_PARTS) {
                throw new IllegalArgumentException("part table too long or part number out of range");
            }
            for (long n = first; n < first + count; n++) {
                list.add(new Part((int) n, size));
            }
            next = first + count;
        }
        return new PartTable(list);
    }

    /**
     * Whether {@code s[from, to)} is a decimal of 1 to {@code maxDigits} digits without a leading
     * zero ({@code 0} itself only when {@code zero}).
     */
    private static boolean decimal(String s, int from, int to, int maxDigits, boolean zero) {
        int n = to - from;
        if (n < 1 || n > maxDigits || s.charAt(from) == '0' && (n > 1 || !zero)) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
