package dev.sseproxy.api;

import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Which object headers travel between client and backend, and the checks S3 makes on them. */
final class ObjectHeaders {
    /** User-metadata names under this prefix belong to sse-proxy: clients neither write nor read them. */
    static final String RESERVED_META = "x-amz-meta-sse-proxy-";
    static final int MAX_USER_METADATA = 2048;

    /** Entity headers stored with the object and returned on GET/HEAD. */
    static final List<String> ENTITY = List.of("content-type", "cache-control", "content-disposition",
            "content-encoding", "content-language", "expires");

    /** Headers of the backend's GET/HEAD answer that the client sees. */
    private static final List<String> RETURNED = List.of("content-type", "cache-control", "content-disposition",
            "content-encoding", "content-language", "expires", "etag", "last-modified", "content-range",
            "accept-ranges", "x-amz-mp-parts-count", "x-amz-tagging-count", "x-amz-checksum-type",
            "x-amz-website-redirect-location", "x-amz-version-id");

    private static final Set<String> STORAGE_CLASSES = Set.of("STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA",
            "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER", "DEEP_ARCHIVE", "OUTPOSTS", "GLACIER_IR", "SNOW",
            "EXPRESS_ONEZONE", "FSX_OPENZFS", "FSX_ONTAP");

    static final Map<String, String> RESPONSE_OVERRIDES = Map.of(
            "response-content-type", "Content-Type", "response-content-language", "Content-Language",
            "response-expires", "Expires", "response-cache-control", "Cache-Control",
            "response-content-disposition", "Content-Disposition", "response-content-encoding", "Content-Encoding");

    private ObjectHeaders() {
    }

    /**
     * Copies what a write stores (entity headers and user metadata) from the client request's
     * headers. The HTTP layer decodes header bytes as ISO-8859-1, one char per byte; SDKs send
     * non-ASCII metadata values as raw UTF-8 (botocore does), so each user-metadata value is
     * re-read as the UTF-8 text its bytes spell before it is stored (see {@link #copyWritable}).
     */
    static void copyWritableHeaders(MultiMap requestHeaders, MultiMap to) {
        MultiMap text = MultiMap.caseInsensitiveMultiMap();
        for (Map.Entry<String, String> e : requestHeaders.entries()) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            text.add(e.getKey(), name.startsWith("x-amz-meta-") ? HeaderText.utf8(e.getValue()) : e.getValue());
        }
        copyWritable(text, to);
    }

    /**
     * Copies what a write stores (entity headers and user metadata) from text values (a form's
     * fields, or headers already re-read by {@link #copyWritableHeaders}). A user-metadata value
     * with non-ASCII characters is stored RFC 2047-encoded ({@code =?UTF-8?B?...?=}), which is how
     * S3 returns such values on GET and HEAD, and which keeps the backend hop ASCII; its size counts
     * as the UTF-8 bytes of the text, as S3 measures it.
     */
    static void copyWritable(MultiMap from, MultiMap to) {
        int metaSize = 0;
        for (String h : ENTITY) {
            String v = from.get(h);
            if (v != null) {
                to.set(h, "content-encoding".equals(h) ? stripAwsChunked(v) : v);
            }
        }
        if (to.get("content-encoding") != null && to.get("content-encoding").isEmpty()) {
            to.remove("content-encoding");
        }
        for (Map.Entry<String, String> e : from.entries()) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith("x-amz-meta-") && !name.startsWith(RESERVED_META)) {
                to.add(name, HeaderText.rfc2047(e.getValue()));
                metaSize += name.length() - "x-amz-meta-".length() + e.getValue().getBytes(StandardCharsets.UTF_8).length;
            }
        }
        if (metaSize > MAX_USER_METADATA) {
            throw S3Exception.of(S3ErrorCode.METADATA_TOO_LARGE).withDetail("Size", Integer.toString(metaSize))
                    .withDetail("MaxSizeAllowed", Integer.toString(MAX_USER_METADATA));
        }
        String tagging = from.get("x-amz-tagging");
        if (tagging != null) {
            to.set("x-amz-tagging", tagging);
        }
    }

    /** Rejects write headers S3 would reject; ignores the ones that cannot apply here. */
    static void checkWriteHeaders(MultiMap h) {
        String sc = h.get("x-amz-storage-class");
        if (sc != null && !STORAGE_CLASSES.contains(sc)) {
            throw S3Exception.of(S3ErrorCode.INVALID_STORAGE_CLASS).withDetail("StorageClassRequested", sc);
        }
        if (h.get("x-amz-object-lock-mode") != null || h.get("x-amz-object-lock-retain-until-date") != null
                || h.get("x-amz-object-lock-legal-hold") != null) {
            throw S3Exception.invalidRequest("Bucket is missing Object Lock Configuration");
        }
        // x-amz-acl and x-amz-grant-* are AclWrites' (and CreateBucket's): validated and stored in the catalog
    }

    /** For the writes that do not encrypt yet (multipart uploads, POST Object): SSE requests get 501. */
    static void rejectSseHeaders(MultiMap h) {
        for (String sse : List.of("x-amz-server-side-encryption", "x-amz-server-side-encryption-customer-algorithm",
                "x-amz-server-side-encryption-aws-kms-key-id")) {
            if (h.get(sse) != null) {
                throw S3Exception.notImplementedHeader(sse);
            }
        }
    }

    /** Copies the backend's answer headers that the client sees (user metadata minus the reserved prefix). */
    static void copyReturned(MultiMap backend, MultiMap client, boolean checksums) {
        for (String h : RETURNED) {
            String v = backend.get(h);
            if (v != null) {
                client.set(h, v);
            }
        }
        for (Map.Entry<String, String> e : backend.entries()) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith("x-amz-meta-") && !name.startsWith(RESERVED_META)) {
                client.add(name, e.getValue());
            } else if (checksums && name.startsWith("x-amz-checksum-")) {
                client.set(name, e.getValue());
            }
        }
    }

    static String stripAwsChunked(String contentEncoding) {
        StringBuilder sb = new StringBuilder();
        for (String part : contentEncoding.split(",")) {
            String p = part.trim();
            if (!p.isEmpty() && !"aws-chunked".equalsIgnoreCase(p)) {
                sb.append(sb.length() == 0 ? "" : ",").append(p);
            }
        }
        return sb.toString();
    }
}
