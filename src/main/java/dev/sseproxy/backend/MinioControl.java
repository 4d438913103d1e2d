package dev.sseproxy.backend;

import dev.sseproxy.config.BackendConfig;
import io.minio.AbortMultipartUploadArgs;
import io.minio.CompleteMultipartUploadArgs;
import io.minio.CopyObjectArgs;
import io.minio.CreateBucketArgs;
import io.minio.CreateMultipartUploadArgs;
import io.minio.Directive;
import io.minio.GenericUploadResponse;
import io.minio.HeadBucketArgs;
import io.minio.HeadObjectArgs;
import io.minio.Http;
import io.minio.ListObjectsV2Args;
import io.minio.MinioAsyncClient;
import io.minio.RemoveBucketArgs;
import io.minio.SourceObject;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.InvalidResponseException;
import io.minio.errors.ServerException;
import io.minio.messages.Item;
import io.minio.messages.ListBucketResultV2;
import io.minio.messages.ListObjectsResult;
import io.minio.messages.Part;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * The backend's control operations over the MinIO Java client's async API
 * ({@link MinioAsyncClient}): bucket administration, listings, stat, multipart create, complete
 * and abort, metadata copies and the health probe. The client signs, sends and parses; this class
 * brings each answer back onto the Vert.x context of the caller (the client completes its futures
 * on OkHttp's threads) and turns the client's failures into the {@link BackendException}s the
 * hand-written object path raises: an S3 error answer is {@link BackendException.Rejected} with
 * the backend's status and code, a transport failure {@link BackendException.Unavailable}.
 *
 * <p>The client refuses some requests MinIO accepts: OkHttp takes no header value with a byte
 * outside printable ASCII (user metadata sent as raw UTF-8), and the client checks object names
 * and arguments before sending. Such a call is sent by the hand-written path instead (the
 * {@code fallback}), byte for byte as before.
 */
final class MinioControl implements AutoCloseable {
    private final MinioAsyncClient client;

    MinioControl(BackendConfig cfg) {
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(cfg.maxConnections());
        dispatcher.setMaxRequestsPerHost(cfg.maxConnections());
        long timeout = cfg.timeout().toMillis();
        OkHttpClient http = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                // idle connections retire before MinIO's own idle timeout (package documentation)
                .connectionPool(new ConnectionPool(Math.max(5, Math.min(cfg.maxConnections(), 64)),
                        MinioObjectStore.keepAliveSeconds(cfg.keepAliveTimeout()), TimeUnit.SECONDS))
                .connectTimeout(timeout, TimeUnit.MILLISECONDS)
                .readTimeout(timeout, TimeUnit.MILLISECONDS)
                .writeTimeout(timeout, TimeUnit.MILLISECONDS)
                .build();
        this.client = MinioAsyncClient.builder().endpoint(cfg.endpoint())
                .credentials(cfg.accessKey(), cfg.secretKey()).region(cfg.region())
                .httpClient(http, true).build();
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (Exception e) {
            // closing at shutdown: nothing to do about it
        }
    }

    /**
     * Reachability and credentials: a signed HeadBucket of a bucket name the proxy never creates.
     * Not ListBuckets: MinIO ignores {@code max-buckets} and answers every bucket, which the client
     * then parses (3061 buckets on the test MinIO: 0.4 s per probe). A missing bucket (404) is a
     * healthy answer; a rejected credential is 403.
     */
    Uni<Void> health() {
        return call(() -> client.bucketExists(io.minio.BucketExistsArgs.builder().bucket(HEALTH_PROBE).build())
                .thenApply(exists -> (Void) null), null);
    }

    static final String HEALTH_PROBE = "sse-proxy-readiness-probe";

    Uni<Void> headBucket(String bucket, Supplier<Uni<Void>> fallback) {
        return call(() -> client.headBucket(HeadBucketArgs.builder().bucket(bucket).build()).thenApply(r -> (Void) null),
                fallback);
    }

    Uni<Void> createBucket(String bucket, Supplier<Uni<Void>> fallback) {
        return call(() -> client.createBucket(CreateBucketArgs.builder().bucket(bucket).build()).thenApply(r -> (Void) null),
                fallback);
    }

    Uni<Void> deleteBucket(String bucket, Supplier<Uni<Void>> fallback) {
        return call(() -> client.removeBucket(RemoveBucketArgs.builder().bucket(bucket).build()), fallback);
    }

    /** The object's headers (HEAD), as the hand-written path hands them back. */
    Uni<BackendReply> stat(String bucket, String key, Supplier<Uni<BackendReply>> fallback) {
        return call(() -> client.headObject(HeadObjectArgs.builder().bucket(bucket).object(key).build())
                .thenApply(r -> reply(200, r.headers())), fallback);
    }

    /** One page of a v2 listing, with MinIO's user-metadata extension when asked. */
    Uni<BackendXml.ListBucketResult> list(ObjectStore.ListPage page, Supplier<Uni<BackendXml.ListBucketResult>> fallback) {
        return call(() -> {
            ListObjectsV2Args.Builder b = ListObjectsV2Args.builder().bucket(page.bucket()).maxKeys(page.maxKeys())
                    // keys travel URL-encoded: XML 1.0 cannot hold every character a key may have
                    .encodingType("url").includeUserMetadata(page.metadata());
            if (page.prefix() != null && !page.prefix().isEmpty()) {
                b.prefix(page.prefix());
            }
            if (page.delimiter() != null && !page.delimiter().isEmpty()) {
                b.delimiter(page.delimiter());
            }
            if (page.continuationToken() != null) {
                b.continuationToken(page.continuationToken());
            }
            if (page.startAfter() != null && !page.startAfter().isEmpty()) {
                b.startAfter(page.startAfter());
            }
            return client.listObjectsV2(b.build()).thenApply(r -> listing(r.result()));
        }, fallback);
    }

    Uni<String> createMultipartUpload(String bucket, String key, MultiMap headers, Supplier<Uni<String>> fallback) {
        if (!asciiOnly(headers)) {
            return fallback.get();
        }
        return call(() -> client.createMultipartUpload(CreateMultipartUploadArgs.builder()
                .bucket(bucket).object(key).headers(headers(headers)).build())
                .thenApply(r -> r.result().uploadId()), fallback);
    }

    Uni<BackendXml.CompleteMultipartUploadResult> completeMultipartUpload(String bucket, String key, String uploadId,
            List<ObjectStore.CompletedPart> parts, MultiMap conditions,
            Supplier<Uni<BackendXml.CompleteMultipartUploadResult>> fallback) {
        Part[] ps = parts.stream().map(p -> new Part(p.partNumber(), p.etag())).toArray(Part[]::new);
        return call(() -> client.completeMultipartUpload(CompleteMultipartUploadArgs.builder().bucket(bucket)
                .object(key).uploadId(uploadId).parts(ps).extraHeaders(headers(conditions)).build())
                .thenApply(MinioControl::completed), fallback);
    }

    Uni<Void> abortMultipartUpload(String bucket, String key, String uploadId, Supplier<Uni<Void>> fallback) {
        return call(() -> client.abortMultipartUpload(AbortMultipartUploadArgs.builder().bucket(bucket).object(key)
                .uploadId(uploadId).build()).thenApply(r -> (Void) null), fallback);
    }

    /**
     * A metadata-only copy of an object onto itself (metadata directive REPLACE), guarded by its
     * backend ETag: a concurrent overwrite fails it with 412 PreconditionFailed. {@code size} is the
     * object's size (the client copies objects over 5 GiB part by part, which a metadata-only copy
     * must not: those go by the hand-written path).
     */
    Uni<BackendReply> copyMetadata(String bucket, String key, String backendEtag, long size, MultiMap headers,
            Supplier<Uni<BackendReply>> fallback) {
        if (size < 0 || size > MAX_SINGLE_COPY || !asciiOnly(headers)) {
            return fallback.get();
        }
        return call(() -> {
            SourceObject src = new SourceObject(SourceObject.builder().bucket(bucket).object(key)
                    .matchETag(backendEtag).build(), size, backendEtag);
            return client.copyObject(CopyObjectArgs.builder().bucket(bucket).object(key).source(src)
                    .metadataDirective(Directive.REPLACE).headers(headers(headers)).build())
                    .thenApply(r -> reply(200, r.headers()));
        }, fallback);
    }

    static final long MAX_SINGLE_COPY = 5L * 1024 * 1024 * 1024;

    // ---- plumbing ---------------------------------------------------------------------------------

    /**
     * Runs {@code op} and completes on the caller's Vert.x context (when there is one), with the
     * client's failures mapped. A request the client refuses to build
     * ({@link IllegalArgumentException}) goes by {@code fallback} when there is one.
     */
    private <T> Uni<T> call(Supplier<CompletableFuture<T>> op, Supplier<Uni<T>> fallback) {
        return Uni.createFrom().<T>emitter(em -> {
            Context ctx = Vertx.currentContext();
            CompletableFuture<T> f;
            try {
                f = op.get();
            } catch (IllegalArgumentException refused) {
                if (fallback == null) {
                    em.fail(new BackendException.Rejected(400, "InvalidArgument", String.valueOf(refused.getMessage())));
                } else {
                    fallback.get().subscribe().with(em::complete, em::fail);
                }
                return;
            } catch (RuntimeException e) {
                em.fail(failure(e));
                return;
            }
            f.whenComplete((v, err) -> {
                Runnable done = fallback != null && unreadable(err)
                        // an answer the client's parser cannot read (MinIO echoes a NUL delimiter as &#x0;)
                        ? () -> fallback.get().subscribe().with(em::complete, em::fail)
                        : () -> settle(em, v, err);
                if (ctx == null) {
                    done.run();
                } else {
                    ctx.runOnContext(x -> done.run());
                }
            });
        });
    }

    private static <T> void settle(io.smallrye.mutiny.subscription.UniEmitter<? super T> em, T v, Throwable err) {
        if (err != null) {
            em.fail(failure(err));
        } else {
            em.complete(v);
        }
    }

    private static boolean unreadable(Throwable err) {
        for (Throwable e = err; e != null; e = e.getCause()) {
            if (e instanceof io.minio.errors.XmlParserException) {
                return true;
            }
        }
        return false;
    }

    /** The client's failure as the hand-written path reports it. */
    static Throwable failure(Throwable err) {
        Throwable e = err;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof BackendException) {
            return e;
        }
        if (e instanceof ErrorResponseException r) {
            int status = r.response() == null ? 400 : r.response().code();
            String code = r.errorResponse() == null || r.errorResponse().code() == null
                    ? BackendFailures.codeForStatus(status) : r.errorResponse().code();
            String message = r.errorResponse() == null || r.errorResponse().message() == null ? ""
                    : r.errorResponse().message();
            if (status == 404 && ("NoSuchObject".equals(code) || "ResourceNotFound".equals(code))) {
                code = "NotFound"; // a bodiless 404 to a HEAD, as the hand-written path names it
            }
            return new BackendException.Rejected(status, code, message);
        }
        if (e instanceof ServerException s) {
            return new BackendException.Rejected(s.statusCode(), BackendFailures.codeForStatus(s.statusCode()),
                    String.valueOf(s.getMessage()));
        }
        if (e instanceof InvalidResponseException r) {
            return new BackendException.Rejected(500, "InternalError", String.valueOf(r.getMessage()));
        }
        if (e instanceof IOException) {
            return new BackendException.Unavailable("backend unreachable", e);
        }
        return new IllegalStateException("backend call failed", e);
    }

    private static boolean asciiOnly(MultiMap headers) {
        for (Map.Entry<String, String> h : headers) {
            String v = h.getValue();
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if ((c < 0x20 && c != '\t') || c > 0x7e) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Http.Headers headers(MultiMap headers) {
        Http.Headers h = new Http.Headers();
        headers.forEach(e -> h.put(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue()));
        return h;
    }

    private static BackendReply reply(int status, okhttp3.Headers headers) {
        MultiMap m = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < headers.size(); i++) {
            m.add(headers.name(i), headers.value(i));
        }
        return new BackendReply(status, m, Buffer.buffer());
    }

    private static BackendXml.ListBucketResult listing(ListBucketResultV2 r) {
        BackendXml.ListBucketResult out = new BackendXml.ListBucketResult();
        out.truncated = r.isTruncated();
        out.nextContinuationToken = r.nextContinuationToken();
        out.keyCount = r.keyCount();
        // the low-level listing leaves the keys as MinIO sent them (URL-encoded): decode them here
        String encoding = r.encodingType();
        for (Item i : r.contents()) {
            i.setEncodingType(encoding);
            BackendXml.Contents c = new BackendXml.Contents();
            c.key = i.objectName();
            c.lastModified = i.lastModified() == null ? null : i.lastModified().toInstant().toString();
            c.etag = i.etag();
            c.size = i.size();
            c.storageClass = i.storageClass();
            c.userMetadata = i.userMetadata();
            out.contents.add(c);
        }
        for (ListObjectsResult.Prefix p : r.commonPrefixes()) {
            BackendXml.Prefix bp = new BackendXml.Prefix();
            bp.prefix = io.minio.Utils.urlDecode(p.toItem().objectName(), encoding);
            out.commonPrefixes.add(bp);
        }
        return out;
    }

    private static BackendXml.CompleteMultipartUploadResult completed(GenericUploadResponse r) {
        BackendXml.CompleteMultipartUploadResult out = new BackendXml.CompleteMultipartUploadResult();
        out.etag = r.etag();
        out.checksumCrc32 = r.checksumCRC32();
        out.checksumCrc32c = r.checksumCRC32C();
        out.checksumCrc64nvme = r.checksumCRC64NVME();
        out.checksumSha1 = r.checksumSHA1();
        out.checksumSha256 = r.checksumSHA256();
        out.checksumType = r.checksumType();
        out.versionId = r.headers() == null ? null : r.headers().get("x-amz-version-id");
        return out;
    }
}
