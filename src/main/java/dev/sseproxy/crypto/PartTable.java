package dev.sseproxy.crypto;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    private static final Pattern RUN = Pattern.compile("(?:([1-9][0-9]{0,9}):)?([1-9][0-9]{0,4})x(0|[1-9][0-9]{0,18})");

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
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (Part p : parts) {
            if (!seen.add(p.number())) {
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
        return parts.stream().mapToLong(Part::plaintextLength).sum();
    }

    /** Sum of the parts' stored lengths: the size of the backend object. */
    public long ciphertextLength() {
        return parts.stream().mapToLong(Part::ciphertextLength).sum();
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
            Matcher m = RUN.matcher(run);
            if (!m.matches()) {
                throw new IllegalArgumentException("malformed part-table run '" + run + "'");
            }
            long first = m.group(1) == null ? next : Long.parseLong(m.group(1));
            long count = Long.parseLong(m.group(2));
            long size = Long.parseLong(m.group(3));
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
}
