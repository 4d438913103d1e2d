package dev.sseproxy.api;

/** Object keys in a copy source header, as clients URL-encode them. */
final class S3PathsEncode {
    private S3PathsEncode() {
    }

    static String key(String key) {
        return dev.sseproxy.backend.S3Paths.encode(key, false);
    }
}
