package dev.sseproxy.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * SigV4 URI encoding for S3: canonical URI and canonical query string built from the raw,
 * percent-encoded request line. Every value is first percent-decoded (so nothing is double
 * encoded), then re-encoded: unreserved {@code A-Za-z0-9-._~} kept, everything else {@code %XX} in
 * upper case. The path keeps its {@code /} separators and is not normalised (no dot-segment
 * removal, no slash merging), as S3 requires.
 */
public final class AwsUriEncoding {

    private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();

    /** A decoded query parameter. A bare {@code ?uploads} has value {@code ""}. */
    public record QueryParam(String name, String value) { }

    private AwsUriEncoding() {
    }

    /** Encodes a string per AWS rules; {@code /} is kept only when {@code keepSlash}. */
    public static String encode(String value, boolean keepSlash) {
        return encodeBytes(value.getBytes(StandardCharsets.UTF_8), keepSlash);
    }

    /** The canonical URI: each {@code /}-separated segment of the raw path decoded and re-encoded. */
    public static String canonicalUri(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        StringBuilder out = new StringBuilder(rawPath.length() + 16);
        int start = 0;
        while (true) {
            int slash = rawPath.indexOf('/', start);
            String segment = slash < 0 ? rawPath.substring(start) : rawPath.substring(start, slash);
            out.append(encodeBytes(percentDecode(segment, false), false));
            if (slash < 0) {
                break;
            }
            out.append('/');
            start = slash + 1;
        }
        return out.charAt(0) == '/' ? out.toString() : "/" + out;
    }

    /**
     * The canonical query string: parameters decoded, re-encoded, sorted by name then value.
     *
     * @param excludeName a parameter name to leave out (e.g. {@code X-Amz-Signature}), or null
     */
    public static String canonicalQuery(String rawQuery, String excludeName) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        return parseQuery(rawQuery).stream()
                .filter(p -> excludeName == null || !p.name().equals(excludeName))
                .map(p -> new String[] {encode(p.name(), false), encode(p.value(), false)})
                .sorted(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]))
                .map(p -> p[0] + "=" + p[1])
                .collect(Collectors.joining("&"));
    }

    /** Parses a raw query string into decoded parameters ({@code +} is read as a space). */
    public static List<QueryParam> parseQuery(String rawQuery) {
        List<QueryParam> params = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String part : rawQuery.split("&", -1)) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String name = eq < 0 ? part : part.substring(0, eq);
            String value = eq < 0 ? "" : part.substring(eq + 1);
            params.add(new QueryParam(decodeToString(name, true), decodeToString(value, true)));
        }
        return params;
    }

    /** The decoded value of the first query parameter with exactly this name. */
    public static Optional<String> queryParam(String rawQuery, String name) {
        return parseQuery(rawQuery).stream().filter(p -> p.name().equals(name)).map(QueryParam::value).findFirst();
    }

    /** Percent-decodes to a UTF-8 string. */
    static String decodeToString(String raw, boolean plusIsSpace) {
        return new String(percentDecode(raw, plusIsSpace), StandardCharsets.UTF_8);
    }

    /** Percent-decodes to bytes; a {@code %} not followed by two hex digits is kept literally. */
    static byte[] percentDecode(String raw, boolean plusIsSpace) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length() && SigV4.hexDigit(raw.charAt(i + 1)) >= 0
                    && SigV4.hexDigit(raw.charAt(i + 2)) >= 0) {
                out.write(SigV4.hexDigit(raw.charAt(i + 1)) * 16 + SigV4.hexDigit(raw.charAt(i + 2)));
                i += 3;
            } else if (c == '+' && plusIsSpace) {
                out.write(' ');
                i++;
            } else if (c < 0x80) {
                out.write(c);
                i++;
            } else {
                int cp = raw.codePointAt(i);
                byte[] utf8 = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                out.write(utf8, 0, utf8.length);
                i += Character.charCount(cp);
            }
        }
        return out.toByteArray();
    }

    private static String encodeBytes(byte[] bytes, boolean keepSlash) {
        StringBuilder out = new StringBuilder(bytes.length + 8);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (isUnreserved(c) || (keepSlash && c == '/')) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX_UPPER[c >> 4]).append(HEX_UPPER[c & 0xf]);
            }
        }
        return out.toString();
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
