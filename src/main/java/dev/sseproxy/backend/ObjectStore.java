package dev.sseproxy.backend;

import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.List;

/**
 * The port to the store that holds the (cipher-)text: an S3 API. Non-2xx answers fail with
 * {@link BackendException.Rejected}; transport failures with {@link BackendException.Unavailable}.
 *
 * <p>Object bodies go through {@link #exchange} and {@link #open}. The control operations have
 * their own methods; their default implementations are the plain S3 requests over
 * {@link #exchange} ({@link MinioObjectStore} sends them with the MinIO Java client instead, and
 * falls back on these for what the client refuses: see the package documentation).
 */
public interface ObjectStore {

    /** Sends {@code call} and reads the whole (small) answer body. */
    Uni<BackendReply> exchange(BackendCall call);

    /** Sends {@code call} and hands back the answer with its body still to be streamed. */
    Uni<BackendStream> open(BackendCall call);

    /**
     * One page of a v2 listing: a null (or empty) {@code prefix}, {@code delimiter},
     * {@code continuationToken} or {@code startAfter} is left out.
     */
    record ListPage(String bucket, String prefix, String delimiter, String continuationToken, String startAfter,
            int maxKeys, boolean metadata) {
    }

    /** A part of a multipart upload to complete: its number and backend ETag. */
    record CompletedPart(int partNumber, String etag) {
    }

    /** Reachability and credentials: a signed request any healthy backend answers. */
    default Uni<Void> health() {
        return exchange(BackendCall.of("GET", null, null).query("max-buckets", "1")).replaceWithVoid();
    }

    /** Fails with a 404 {@link BackendException.Rejected} when the backend has no such bucket. */
    default Uni<Void> headBucket(String bucket) {
        return exchange(BackendCall.of("HEAD", bucket, null)).replaceWithVoid();
    }

    default Uni<Void> createBucket(String bucket) {
        return exchange(BackendCall.of("PUT", bucket, null)).replaceWithVoid();
    }

    default Uni<Void> deleteBucket(String bucket) {
        return exchange(BackendCall.of("DELETE", bucket, null)).replaceWithVoid();
    }

    /** The object's headers (a HEAD), with an empty body. */
    default Uni<BackendReply> stat(String bucket, String key) {
        return exchange(BackendCall.of("HEAD", bucket, key));
    }

    /** One page of a v2 listing (with MinIO's user-metadata extension when asked). */
    default Uni<BackendXml.ListBucketResult> list(ListPage page) {
        BackendCall call = BackendCall.of("GET", page.bucket(), null).query("list-type", "2");
        if (page.metadata()) {
            call.query("metadata", "true");
        }
        if (page.prefix() != null && !page.prefix().isEmpty()) {
            call.query("prefix", page.prefix());
        }
        if (page.delimiter() != null && !page.delimiter().isEmpty()) {
            call.query("delimiter", page.delimiter());
        }
        call.query("max-keys", Integer.toString(page.maxKeys()));
        if (page.continuationToken() != null) {
            call.query("continuation-token", page.continuationToken());
        }
        if (page.startAfter() != null && !page.startAfter().isEmpty()) {
            call.query("start-after", page.startAfter());
        }
        return exchange(call).map(reply -> read(reply, BackendXml.ListBucketResult.class));
    }

    /** Starts a multipart upload with {@code headers} (entity headers, user metadata); its upload id. */
    default Uni<String> createMultipartUpload(String bucket, String key, MultiMap headers) {
        BackendCall call = BackendCall.of("POST", bucket, key).query("uploads", "");
        call.headers().addAll(headers);
        return exchange(call).map(r -> read(r, BackendXml.InitiateMultipartUploadResult.class).uploadId);
    }

    /**
     * Completes an upload; {@code conditions} are the write's {@code If-Match} / {@code If-None-Match}
     * headers for the backend (empty: none), which it checks as it completes.
     */
    default Uni<BackendXml.CompleteMultipartUploadResult> completeMultipartUpload(String bucket, String key,
            String uploadId, List<CompletedPart> parts, MultiMap conditions) {
        StringBuilder xml = new StringBuilder("<CompleteMultipartUpload>");
        for (CompletedPart p : parts) {
            xml.append("<Part><PartNumber>").append(p.partNumber()).append("</PartNumber><ETag>")
                    .append(p.etag().replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;"))
                    .append("</ETag></Part>");
        }
        xml.append("</CompleteMultipartUpload>");
        BackendCall call = BackendCall.of("POST", bucket, key).query("uploadId", uploadId)
                .header("content-type", "application/xml")
                .withBody(BackendCall.Body.of(Buffer.buffer(xml.toString())));
        call.headers().addAll(conditions);
        return exchange(call).map(r -> {
            BackendXml.CompleteMultipartUploadResult out = read(r, BackendXml.CompleteMultipartUploadResult.class);
            out.versionId = r.headers().get("x-amz-version-id");
            return out;
        });
    }

    default Uni<Void> abortMultipartUpload(String bucket, String key, String uploadId) {
        return exchange(BackendCall.of("DELETE", bucket, key).query("uploadId", uploadId)).replaceWithVoid();
    }

    /**
     * A metadata-only copy of the object onto itself (metadata directive REPLACE) with
     * {@code headers} as its new entity headers and user metadata, only while its backend ETag is
     * {@code backendEtag} (else 412 PreconditionFailed). {@code size}: the object's size, -1 if unknown.
     */
    default Uni<BackendReply> copyMetadata(String bucket, String key, String backendEtag, long size, MultiMap headers) {
        return copyMetadata(bucket, key, null, backendEtag, size, headers);
    }

    /**
     * As above, of one version ({@code versionId} null: the current object). In a versioning-enabled
     * MinIO bucket a self-copy makes a new version, unless source and destination name the same
     * version id: MinIO then rewrites that version's metadata in place (MinIO's {@code versionId}
     * on the destination of a PUT, which S3 itself does not have). Such a rewrite also makes the
     * version the latest (its modification time becomes now), which is why only a version that was
     * just written is restamped this way (see {@code dev.sseproxy.sse.SseService#write}).
     */
    default Uni<BackendReply> copyMetadata(String bucket, String key, String versionId, String backendEtag, long size,
            MultiMap headers) {
        String source = "/" + bucket + "/" + S3Paths.encode(key, false)
                + (versionId == null ? "" : "?versionId=" + S3Paths.encode(versionId, true));
        BackendCall call = BackendCall.of("PUT", bucket, key)
                .header("x-amz-copy-source", source)
                .header("x-amz-metadata-directive", "REPLACE")
                .header("x-amz-copy-source-if-match", backendEtag);
        if (versionId != null) {
            call.query("versionId", versionId);
        }
        call.headers().addAll(headers);
        return exchange(call);
    }

    /** The tags of an object version ({@code versionId} null or {@code null}: the current one), as a map. */
    default Uni<java.util.Map<String, String>> tagging(String bucket, String key, String versionId) {
        BackendCall call = BackendCall.of("GET", bucket, key).query("tagging", "");
        if (versionId != null && !"null".equals(versionId)) {
            call.query("versionId", versionId);
        }
        return exchange(call).map(reply -> {
            java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
            for (BackendXml.Tag t : read(reply, BackendXml.Tagging.class).tagSet) {
                if (t.key != null) {
                    out.put(t.key, t.value == null ? "" : t.value);
                }
            }
            return out;
        });
    }

    private static <T> T read(BackendReply reply, Class<T> type) {
        try {
            return MinioXml.read(reply.body().getBytes(), type);
        } catch (IOException e) {
            throw new IllegalStateException("backend answer unreadable", e);
        }
    }
}
