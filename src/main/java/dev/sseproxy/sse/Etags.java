package dev.sseproxy.sse;

/** ETags as S3 sends them (quoted) and as the envelope and the catalog keep them (bare hex). */
public final class Etags {
    private Etags() {
    }

    /** {@code "etag"}; unchanged when already quoted; null for null. */
    public static String quote(String etag) {
        if (etag == null) {
            return null;
        }
        return etag.startsWith("\"") ? etag : "\"" + etag + "\"";
    }

    /** The ETag without surrounding quotes (and blanks); null for null. */
    public static String unquote(String etag) {
        if (etag == null) {
            return null;
        }
        String t = etag.trim();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }
}
