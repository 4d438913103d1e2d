package dev.sseproxy.api;

import dev.sseproxy.error.S3Exception;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;

/**
 * S3's conditional-request rules (RFC 7232 as S3 applies them): If-Match / If-Unmodified-Since fail
 * with 412, If-None-Match / If-Modified-Since with 304 (GET/HEAD). A true If-Match overrides a false
 * If-Unmodified-Since; a false If-None-Match overrides a true If-Modified-Since.
 */
final class Conditions {
    private Conditions() {
    }

    /** Throws the 412/304 the conditions call for; {@code prefix} is "" or "x-amz-copy-source-". */
    static void check(Function<String, String> headers, String prefix, String etag, Instant lastModified,
            boolean notModifiedIs412) {
        String ifMatch = headers.apply(prefix + "if-match");
        String ifNoneMatch = headers.apply(prefix + "if-none-match");
        Instant ifModifiedSince = date(headers.apply(prefix + "if-modified-since"));
        Instant ifUnmodifiedSince = date(headers.apply(prefix + "if-unmodified-since"));
        if (ifMatch != null && !matches(ifMatch, etag)) {
            throw S3Exception.preconditionFailed(cap(prefix) + "If-Match");
        }
        if (ifMatch == null && ifUnmodifiedSince != null && lastModified.isAfter(ifUnmodifiedSince)) {
            throw S3Exception.preconditionFailed(cap(prefix) + "If-Unmodified-Since");
        }
        if (ifNoneMatch != null && matches(ifNoneMatch, etag)) {
            throw notModifiedIs412 ? S3Exception.preconditionFailed(cap(prefix) + "If-None-Match")
                    : S3Exception.notModified();
        }
        if (ifNoneMatch == null && ifModifiedSince != null && !lastModified.isAfter(ifModifiedSince)) {
            throw notModifiedIs412 ? S3Exception.preconditionFailed(cap(prefix) + "If-Modified-Since")
                    : S3Exception.notModified();
        }
    }

    private static String cap(String prefix) {
        return prefix.isEmpty() ? "" : "x-amz-copy-source-";
    }

    static boolean matches(String condition, String etag) {
        String bare = strip(etag);
        for (String c : condition.split(",")) {
            String t = c.trim();
            if (t.equals("*") || strip(t).equals(bare)) {
                return true;
            }
        }
        return false;
    }

    private static String strip(String etag) {
        if (etag == null) {
            return "";
        }
        String e = etag.trim();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        return e.replace("\"", "");
    }

    /** An HTTP date; an unparseable one is ignored, as S3 does. */
    static Instant date(String v) {
        if (v == null) {
            return null;
        }
        Instant fast = HttpDates.parseImfFixdate(v);
        if (fast != null) {
            return fast;
        }
        try {
            return ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (RuntimeException e) {
            try {
                return Instant.parse(v.trim());
            } catch (RuntimeException e2) {
                return null;
            }
        }
    }
}
