package dev.sseproxy.backend;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;

/** Encodes S3 paths and query strings the way SigV4 canonicalises them (RFC 3986 unreserved kept). */
public final class S3Paths {
    /** SHA-256 of the empty string, the payload hash of a request without a body. */
    public static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private S3Paths() {
    }

    /** {@code /bucket/key} with each segment encoded; {@code /} when both are null. */
    public static String path(String bucket, String key) {
        if (bucket == null) {
            return "/";
        }
        String p = "/" + encode(bucket, true);
        return key == null ? p : p + "/" + encode(key, false);
    }

    /** The query string, parameters in the given order, bare names for empty values. */
    public static String query(Map<String, String> query) {
        StringJoiner j = new StringJoiner("&");
        query.forEach((k, v) -> j.add(v == null || v.isEmpty() ? encode(k, true) : encode(k, true) + "=" + encode(v, true)));
        return j.toString();
    }

    /** Percent-encodes everything but {@code A-Za-z0-9-._~} (and {@code /} unless {@code encodeSlash}). */
    public static String encode(String s, boolean encodeSlash) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || (c == '/' && !encodeSlash)) {
                sb.append(c);
            } else {
                sb.append('%').append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
            }
        }
        return sb.toString();
    }
}
