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
}
