package dev.sseproxy.api;

import dev.sseproxy.backend.BackendCall;
import dev.sseproxy.backend.BackendException;
import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import io.vertx.core.MultiMap;

/**
 * The {@code versionId} of object requests and the version headers of their answers. MinIO
 * versions the ciphertext: every version is its own encrypted object with its own envelope, and
 * the version id is MinIO's, passed through both ways. A version id is {@code null} (the version
 * written while the bucket was unversioned or suspended) or one MinIO made (a UUID); anything else
 * is refused before the backend is asked, as S3 refuses ids it did not make: 400 InvalidArgument
 * "Invalid version id specified".
 */
final class Versions {
    static final String HEADER = "x-amz-version-id";
    static final String DELETE_MARKER = "x-amz-delete-marker";

    private Versions() {
    }

    /** The request's {@code versionId}, checked; null when the request names none. */
    static String requested(S3Exchange ex) {
        String v = ex.queryParam("versionId");
        if (v == null) {
            return null;
        }
        check(v, "versionId");
        return v;
    }

    /** Refuses a version id neither {@code null} nor one MinIO can have made (400 InvalidArgument). */
    static void check(String v, String argument) {
        if (!valid(v)) {
            throw S3Exception.invalidArgument("Invalid version id specified", argument, v);
        }
    }

    /** {@code null}, or a UUID in its canonical 8-4-4-4-12 hexadecimal form (no regex). */
    static boolean valid(String v) {
        if ("null".equals(v)) {
            return true;
        }
        if (v.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = v.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : Character.digit(c, 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Adds {@code versionId} (when not null) to a backend call. */
    static BackendCall on(BackendCall call, String versionId) {
        return versionId == null ? call : call.query("versionId", versionId);
    }

    /** Copies the backend answer's version headers into the client's answer. */
    static void echo(MultiMap backend, MultiMap response) {
        String v = backend.get(HEADER);
        if (v != null) {
            response.set(HEADER, v);
        }
        if ("true".equals(backend.get(DELETE_MARKER))) {
            response.set(DELETE_MARKER, "true");
        }
    }

    /**
     * A read of a versioned (or suspended) bucket's {@code null} version says so, as S3 does; MinIO
     * leaves the header out for it.
     */
    static void nullVersion(S3Exchange ex, MultiMap response) {
        if (ex.bucketRecord() != null && ex.bucketRecord().versioned() && response.get(HEADER) == null) {
            response.set(HEADER, "null");
        }
    }

    /** Sets the version id a write made (none: the bucket was never versioned). */
    static void written(MultiMap response, String versionId) {
        if (versionId != null) {
            response.set(HEADER, versionId);
        }
    }

    /**
     * A refusal because of a delete marker, as S3 words it: the marker's headers, and for the 405
     * of a request that named the marker by version id the method and resource type.
     */
    static S3Exception deleteMarkerHeaders(S3Exception e, String versionId) {
        S3Exception out = e.withHeader(DELETE_MARKER, "true");
        if (versionId != null) {
            out = out.withHeader(HEADER, versionId);
        }
        return out;
    }

    /**
     * A backend 404 or 405 of an object request, as the client sees it: NoSuchVersion for a version
     * id that does not exist, NoSuchKey (with the delete marker's headers when the latest version is
     * one), 405 MethodNotAllowed for a request that named a delete marker's version id.
     */
    static Throwable notFound(BackendException.Rejected e, S3Exchange ex) {
        if (e.status() == 405 || "MethodNotAllowed".equals(e.code())) {
            S3Exception s3 = S3Exception.of(S3ErrorCode.METHOD_NOT_ALLOWED).withDetail("Method", ex.method())
                    .withDetail("ResourceType", "DeleteMarker");
            return deleteMarkerHeaders(s3, e.versionId() != null ? e.versionId() : ex.queryParam("versionId"));
        }
        if (e.status() != 404 || "NoSuchBucket".equals(e.code())) {
            return e;
        }
        if ("NoSuchVersion".equals(e.code()) || (ex.queryParam("versionId") != null && !e.deleteMarker())) {
            return S3Exception.of(S3ErrorCode.NO_SUCH_VERSION).withDetail("Key", ex.key())
                    .withDetail("VersionId", ex.queryParam("versionId"));
        }
        S3Exception s3 = S3Exception.noSuchKey(ex.key());
        return e.deleteMarker() ? deleteMarkerHeaders(s3, e.versionId()) : s3;
    }
}
