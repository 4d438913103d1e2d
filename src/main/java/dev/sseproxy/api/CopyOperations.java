package dev.sseproxy.api;

import dev.sseproxy.api.Dispatcher.Route;
import dev.sseproxy.api.Dispatcher.RoutedOperation;
import dev.sseproxy.api.Dispatcher.Scope;
import dev.sseproxy.api.xml.Documents;
import dev.sseproxy.api.xml.MultipartDocuments;
import dev.sseproxy.backend.BackendCall;
import dev.sseproxy.backend.BackendException;
import dev.sseproxy.backend.BackendXml;
import dev.sseproxy.backend.MinioXml;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.catalog.BucketCatalog;
import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** CopyObject and UploadPartCopy: the source must be readable by the requester; conditions are checked here. */
final class CopyOperations {
    private CopyOperations() {
    }

    /** A resolved copy source: its backend HEAD answer and envelope (empty for a legacy plaintext object). */
    record Source(CopySource at, io.vertx.core.MultiMap headers, java.util.Optional<dev.sseproxy.crypto.Envelope> envelope) {
        long plaintextSize() {
            return envelope.map(dev.sseproxy.crypto.Envelope::plaintextSize)
                    .orElseGet(() -> Long.parseLong(headers.get("content-length")));
        }
    }

    /** Resolves the copy source: its bucket must exist and the requester may read it (s3:GetObject); checks the conditions. */
    static Uni<CopySource> source(S3Exchange ex, BucketCatalog buckets, SseSupport sse, Authorization authz) {
        return resolve(ex, buckets, sse, authz).map(Source::at);
    }

    static Uni<Source> resolve(S3Exchange ex, BucketCatalog buckets, SseSupport sse, Authorization authz) {
        ObjectStore store = sse.store;
        CopySource src = CopySource.parse(ex.header("x-amz-copy-source"));
        return buckets.find(src.bucket()).chain(b -> {
            if (b.isEmpty()) {
                return Uni.createFrom().failure(S3Exception.noSuchBucket(src.bucket()));
            }
            return authz.require(ex, Authorization.principal(ex), "s3:GetObject", b.get(), src.key())
                    .chain(acl -> store.exchange(BackendCall.of("HEAD", src.bucket(), src.key())))
                    .onFailure(BackendException.Rejected.class).transform(e -> ((BackendException.Rejected) e).status() == 404
                            ? S3Exception.noSuchKey(src.key()) : e)
                    .chain(head -> sse.envelope(src.bucket(), src.key(), head.headers()).map(env -> {
                        Instant lm = Conditions.date(head.headers().get("last-modified"));
                        Conditions.check(ex::header, "x-amz-copy-source-", SseSupport.etag(env, head.headers()),
                                lm == null ? Instant.EPOCH : lm, true);
                        return new Source(src, head.headers(), env);
                    }));
        });
    }

    /** The plaintext of a copy source as a stream: decrypted when encrypted, as stored otherwise. */
    static Uni<EncryptedWrites.Plain> open(S3Exchange ex, SseSupport sse, Source src,
            java.util.Optional<dev.sseproxy.sse.CustomerKey> customer) {
        return open(ex, sse, src, customer, null);
    }

    /** As above, for plaintext bytes {@code range[0]..range[1]} only (null: all). */
    static Uni<EncryptedWrites.Plain> open(S3Exchange ex, SseSupport sse, Source src,
            java.util.Optional<dev.sseproxy.sse.CustomerKey> customer, long[] range) {
        return open(SseSupport.keyRequester(ex), sse, src, customer, range);
    }

    /** As above, for {@code reader} (whose KMS rights unwrap the source's key). */
    static Uni<EncryptedWrites.Plain> open(dev.sseproxy.kms.registry.KeyRequester reader, SseSupport sse, Source src,
            java.util.Optional<dev.sseproxy.sse.CustomerKey> customer, long[] range) {
        var id = new dev.sseproxy.crypto.ObjectIdentity(src.at().bucket(), src.at().key());
        BackendCall get = BackendCall.of("GET", src.at().bucket(), src.at().key()).header("if-match", src.headers().get("etag"));
        long size = range == null ? src.plaintextSize() : range[1] - range[0] + 1;
        var checksum = range == null ? src.envelope().map(dev.sseproxy.crypto.Envelope::checksum)
                : java.util.Optional.<dev.sseproxy.crypto.Envelope.Checksum>empty();
        if (src.envelope().isEmpty()) {
            if (range != null) {
                get.header("range", "bytes=" + range[0] + "-" + range[1]);
            }
            return sse.store.open(get).map(s -> new EncryptedWrites.Plain(s.body(), size, java.util.Optional.empty(),
                    java.util.Optional::empty));
        }
        var env = src.envelope().get();
        return sse.keys.forRead(env, id, customer, reader).chain(key -> {
            if (size == 0) {
                key.close();
                return Uni.createFrom().item(new EncryptedWrites.Plain(new EmptyStream(), 0, java.util.Optional.empty(),
                        () -> checksum));
            }
            var plan = range == null ? dev.sseproxy.crypto.RangeMath.whole(env.partTable())
                    : dev.sseproxy.crypto.RangeMath.range(env.partTable(), range[0], range[1]);
            if (range != null) {
                get.header("range", "bytes=" + plan.ciphertextStart() + "-" + plan.ciphertextEndInclusive());
            }
            return sse.store.open(get).map(s -> new EncryptedWrites.Plain(new DecryptingBody(s.body(), key, id,
                    plan), size, java.util.Optional.empty(), () -> checksum))
                    .onFailure().invoke(key::close);
        });
    }

    static final long MAX_COPY = 5L * 1024 * 1024 * 1024;

    @ApplicationScoped
    static class CopyObject implements RoutedOperation {
        private final ObjectStore store;
        private final BucketCatalog buckets;
        private final SseSupport sse;
        private final Authorization authorization;

        CopyObject(ObjectStore store, BucketCatalog buckets, SseSupport sse, Authorization authorization) {
            this.store = store;
            this.authorization = authorization;
            this.buckets = buckets;
            this.sse = sse;
        }

        public String name() {
            return "CopyObject";
        }

        public List<Route> routes() {
            return List.of(new Route(Scope.OBJECT, "PUT", "copy"));
        }

        public Uni<Void> handle(S3Exchange ex) {
            MultiMap h = ex.request().headers();
            ObjectHeaders.checkWriteHeaders(h);
            String directive = h.get("x-amz-metadata-directive");
            if (directive != null && !"COPY".equals(directive) && !"REPLACE".equals(directive)) {
                throw S3Exception.invalidArgument("Unknown metadata directive.", "x-amz-metadata-directive", directive);
            }
            boolean replace = "REPLACE".equals(directive);
            var hf = SseSupport.headers(ex);
            var sourceKey = SseSupport.readKey(ex, dev.sseproxy.sse.EncryptionPolicy.COPY_PREFIX);
            var dest = new dev.sseproxy.crypto.ObjectIdentity(ex.bucket(), ex.key());
            return resolve(ex, buckets, sse, authorization).chain(src -> sse.buckets.get(ex.bucket()).chain(bucketEnc -> {
                dev.sseproxy.sse.ObjectKeys.checkReadHeaders(src.envelope().orElse(null), sourceKey);
                var decision = dev.sseproxy.sse.EncryptionPolicy.decide(hf, bucketEnc.effective(), SseSupport.secure(ex));
                ex.encryptionApplied(decision);
                boolean self = src.at().bucket().equals(ex.bucket()) && src.at().key().equals(ex.key());
                boolean changes = replace || h.get("x-amz-storage-class") != null
                        || h.get("x-amz-website-redirect-location") != null
                        || h.get(dev.sseproxy.sse.EncryptionPolicy.S) != null
                        || decision.mode() == dev.sseproxy.sse.SseMode.SSE_C
                        || bucketEnc.explicit()
                        || src.envelope().map(e -> e.sseMode() != dev.sseproxy.crypto.SseMode.SSE_S3).orElse(true);
                if (self && !changes) {
                    throw S3Exception.invalidRequest("This copy request is illegal because it is trying to copy an "
                            + "object to itself without changing the object's metadata, storage class, website "
                            + "redirect location or encryption attributes.");
                }
                if (src.plaintextSize() > MAX_COPY) {
                    throw S3Exception.invalidRequest("The specified copy source is larger than the maximum allowable "
                            + "size for a copy source: " + MAX_COPY);
                }
                MultiMap stored = MultiMap.caseInsensitiveMultiMap();
                if (replace) {
                    ObjectHeaders.copyWritableHeaders(h, stored);
                } else {
                    src.headers().forEach(e -> {
                        String n = e.getKey().toLowerCase(java.util.Locale.ROOT);
                        if ((ObjectHeaders.ENTITY.contains(n) || n.startsWith("x-amz-meta-"))
                                && !n.startsWith(dev.sseproxy.crypto.Envelope.PREFIX)) {
                            stored.add(n, e.getValue());
                        }
                    });
                }
                return sse.keysFor(ex, decision, dest, hf).chain(keys -> open(ex, sse, src, sourceKey)
                        .onFailure().invoke(keys::close)
                        .chain(plain -> EncryptedWrites.write(sse, ex.bucket(), ex.key(), keys, plain, stored)));
            })).chain(w -> {
                SseSupport.putSseHeaders(ex.response().headers(), w.sse());
                Documents.CopyObjectResultXml x = new Documents.CopyObjectResultXml();
                x.etag = w.etag();
                x.lastModified = Ops.iso(Instant.now());
                return Responses.xml(ex, 200, x);
            });
        }
    }

    /** An empty body. */
    static final class EmptyStream implements io.vertx.core.streams.ReadStream<io.vertx.core.buffer.Buffer> {
        private io.vertx.core.Handler<Void> end;
        private boolean paused = true;
        private boolean done;

        public EmptyStream exceptionHandler(io.vertx.core.Handler<Throwable> h) {
            return this;
        }

        public EmptyStream handler(io.vertx.core.Handler<io.vertx.core.buffer.Buffer> h) {
            if (h != null) {
                paused = false;
                maybeEnd();
            }
            return this;
        }

        public EmptyStream pause() {
            paused = true;
            return this;
        }

        public EmptyStream resume() {
            paused = false;
            maybeEnd();
            return this;
        }

        public EmptyStream fetch(long n) {
            return resume();
        }

        public EmptyStream endHandler(io.vertx.core.Handler<Void> h) {
            end = h;
            maybeEnd();
            return this;
        }

        private void maybeEnd() {
            if (!paused && !done && end != null) {
                done = true;
                end.handle(null);
            }
        }
    }

    @ApplicationScoped
    static class UploadPartCopy implements RoutedOperation {
        private final ObjectStore store;
        private final BucketCatalog buckets;

        private final SseSupport sse;
        private final EncryptedParts parts;
        private final Authorization authorization;

        UploadPartCopy(ObjectStore store, BucketCatalog buckets, SseSupport sse, EncryptedParts parts,
                Authorization authorization) {
            this.store = store;
            this.authorization = authorization;
            this.buckets = buckets;
            this.sse = sse;
            this.parts = parts;
        }

        public String name() {
            return "UploadPartCopy";
        }

        public List<Route> routes() {
            return List.of(new Route(Scope.OBJECT, "PUT", "uploadId+copy"));
        }

        public Uni<Void> handle(S3Exchange ex) {
            int part = MultipartOperations.partNumber(ex);
            String range = ex.header("x-amz-copy-source-range");
            if (range != null && !range.matches("bytes=\\d+-\\d+")) {
                throw S3Exception.invalidArgument("The x-amz-copy-source-range value must be of the form bytes=first-last "
                        + "where first and last are the zero-based offsets of the first and last bytes to copy",
                        "x-amz-copy-source-range", range);
            }
            var sourceKey = SseSupport.readKey(ex, dev.sseproxy.sse.EncryptionPolicy.COPY_PREFIX);
            return resolve(ex, buckets, sse, authorization).chain(src -> {
                dev.sseproxy.sse.ObjectKeys.checkReadHeaders(src.envelope().orElse(null), sourceKey);
                long size = src.plaintextSize();
                long[] r = null;
                if (range != null) {
                    String[] ab = range.substring(6).split("-");
                    r = new long[] {Long.parseLong(ab[0]), Long.parseLong(ab[1])};
                    if (r[0] > r[1] || r[1] >= size) {
                        throw S3Exception.of(S3ErrorCode.INVALID_RANGE).withDetail("ActualObjectSize", Long.toString(size));
                    }
                } else if (size > MAX_COPY) {
                    throw S3Exception.invalidRequest("The specified copy source is larger than the maximum allowable "
                            + "size for a copy source: " + MAX_COPY);
                }
                final long[] slice = r;
                var destKey = SseSupport.readKey(ex, "");
                return parts.find(ex, ex.queryParam("uploadId")).call(upload -> parts.checkSseHeaders(ex, upload))
                        .chain(upload -> {
                    if (upload.isPresent()) {
                        EncryptedParts.checkPartKey(upload.get(), destKey);
                    } else if (destKey.isPresent()) {
                        throw S3Exception.invalidRequest(EncryptedParts.INITIATE_REQUESTED);
                    }
                    return open(ex, sse, src, sourceKey, slice).chain(plain -> {
                        if (upload.isPresent()) {
                            return parts.put(ex, upload.get(), part, plain, destKey).map(res -> {
                                SseSupport.putSseHeaders(ex.response().headers(), res.sse().withoutContext());
                                return res.etag();
                            });
                        }
                        BackendCall call = BackendCall.of("PUT", ex.bucket(), ex.key())
                                .query("partNumber", Integer.toString(part)).query("uploadId", ex.queryParam("uploadId"));
                        return store.exchange(call.withBody(BackendCall.Body.of(plain.stream(), plain.length())))
                                .map(reply -> Ops.quoteEtag(reply.headers().get("etag")));
                    });
                });
            }).chain(etag -> {
                MultipartDocuments.CopyPartResultXml x = new MultipartDocuments.CopyPartResultXml();
                x.etag = etag;
                x.lastModified = Ops.iso(Instant.now());
                return Responses.xml(ex, 200, x);
            });
        }
    }

    static <T> T read(byte[] xml, Class<T> type) {
        try {
            return MinioXml.read(xml, type);
        } catch (java.io.IOException e) {
            throw S3Exception.of(S3ErrorCode.INTERNAL_ERROR);
        }
    }
}
