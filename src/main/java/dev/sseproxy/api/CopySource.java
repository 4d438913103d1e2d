package dev.sseproxy.api;

import dev.sseproxy.backend.S3Paths;
import dev.sseproxy.error.S3Exception;

/** A parsed {@code x-amz-copy-source}: URL-encoded {@code [/]bucket/key[?versionId=v]}. */
record CopySource(String bucket, String key, String versionId) {

    static CopySource parse(String header) {
        String h = header.trim();
        String versionId = null;
        int q = h.indexOf('?');
        if (q >= 0) {
            String qs = h.substring(q + 1);
            h = h.substring(0, q);
            if (qs.startsWith("versionId=")) {
                versionId = qs.substring("versionId=".length());
            }
        }
        String decoded = S3Router.PercentDecoder.decode(h);
        if (decoded.startsWith("/")) {
            decoded = decoded.substring(1);
        }
        int slash = decoded.indexOf('/');
        if (slash <= 0 || slash == decoded.length() - 1) {
            throw S3Exception.invalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey",
                    "x-amz-copy-source", header);
        }
        if (versionId != null && !Versions.valid(versionId)) {
            throw S3Exception.invalidArgument("Invalid version id specified", "x-amz-copy-source", header);
        }
        return new CopySource(decoded.substring(0, slash), decoded.substring(slash + 1), versionId);
    }

    /** The header value as sent on to the backend. */
    String backendHeader() {
        return "/" + S3Paths.encode(bucket, true) + "/" + S3Paths.encode(key, false);
    }
}
