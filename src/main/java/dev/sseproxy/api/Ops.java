package dev.sseproxy.api;

import dev.sseproxy.api.xml.Documents.OwnerXml;
import dev.sseproxy.error.S3Exception;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Small helpers shared by the operations. */
final class Ops {
    static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Ops() {
    }

    static String iso(Instant t) {
        return ISO.format(t.truncatedTo(ChronoUnit.MILLIS));
    }

    /** Backend timestamps (ISO or RFC 1123) re-rendered as S3's ISO form. */
    static String iso(String backendTime) {
        if (backendTime == null) {
            return null;
        }
        try {
            return iso(Instant.parse(backendTime));
        } catch (RuntimeException e) {
            return iso(ZonedDateTime.parse(backendTime, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        }
    }

    static OwnerXml owner(String accountId) {
        return new OwnerXml(accountId, accountId);
    }

    /** An integer query parameter within [min, max], or the default when absent. */
    static int intParam(S3Exchange ex, String name, int def, int min, int max, String message) {
        String v = ex.queryParam(name);
        if (v == null) {
            return def;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min) {
                throw S3Exception.invalidArgument(message, name, v);
            }
            return Math.min(n, max);
        } catch (NumberFormatException e) {
            throw S3Exception.invalidArgument(message, name, v);
        }
    }

    /** The encoding-type parameter: null or "url"; anything else is InvalidArgument. */
    static String encodingType(S3Exchange ex) {
        String e = ex.queryParam("encoding-type");
        if (e != null && !"url".equals(e)) {
            throw S3Exception.invalidArgument("Invalid Encoding Method specified in Request", "encoding-type", e);
        }
        return e;
    }

    /**
     * A listing value as S3 writes it under {@code encoding-type=url}: the UTF-8 bytes form-encoded
     * (space as {@code +}), with {@code A-Za-z0-9 - _ . / *} left as they are; everything else,
     * {@code +}, {@code %} and {@code ~} included, as {@code %XX}. Clients decode it as a query
     * value (botocore's {@code unquote_plus}, the Java SDK's {@code URLDecoder}).
     */
    static String enc(String s, String encodingType) {
        if (s == null || encodingType == null) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '/' || c == '*') {
                sb.append(c);
            } else if (c == ' ') {
                sb.append('+');
            } else {
                sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return sb.toString();
    }

    /** The delimiter a listing echoes: none when the request had none or an empty one. */
    static String delimiter(S3Exchange ex, String encodingType) {
        String d = ex.queryParam("delimiter");
        return d == null || d.isEmpty() ? null : enc(d, encodingType);
    }

    static String quoteEtag(String etag) {
        return dev.sseproxy.sse.Etags.quote(etag);
    }
}
