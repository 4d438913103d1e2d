package dev.sseproxy.api;

import java.util.regex.Pattern;

/**
 * HTTP byte ranges as S3 honours them: one range, {@code bytes=a-b}, {@code bytes=a-} or
 * {@code bytes=-n}. Anything else (several ranges, other units, garbage) is ignored and the whole
 * object is returned, as S3 does.
 */
final class Ranges {
    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d+-\\d*|-\\d+)");

    private Ranges() {
    }

    static boolean isSingleByteRange(String header) {
        if (!SINGLE.matcher(header.trim()).matches()) {
            return false;
        }
        String spec = header.trim().substring(6);
        int dash = spec.indexOf('-');
        if (dash > 0 && dash < spec.length() - 1) {
            try {
                return Long.parseLong(spec.substring(0, dash)) <= Long.parseLong(spec.substring(dash + 1));
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    /**
     * The inclusive byte positions a single-range header selects in an object of {@code size}
     * bytes, or null when the header is to be ignored (the whole object is returned).
     *
     * @throws dev.sseproxy.error.S3Exception InvalidRange when the range selects nothing
     */
    static long[] resolve(String header, long size) {
        if (header == null || !isSingleByteRange(header)) {
            return null;
        }
        String spec = header.trim().substring(6);
        int dash = spec.indexOf('-');
        long start;
        long end;
        try {
            if (dash == 0) {
                long n = Long.parseLong(spec.substring(1));
                if (n == 0 || size == 0) {
                    throw dev.sseproxy.error.S3Exception.invalidRange(size);
                }
                start = Math.max(0, size - n);
                end = size - 1;
            } else {
                start = Long.parseLong(spec.substring(0, dash));
                end = dash == spec.length() - 1 ? size - 1 : Math.min(size - 1, Long.parseLong(spec.substring(dash + 1)));
            }
        } catch (NumberFormatException e) {
            return null;
        }
        if (start >= size) {
            throw dev.sseproxy.error.S3Exception.invalidRange(size);
        }
        return new long[] {start, end};
    }
}
