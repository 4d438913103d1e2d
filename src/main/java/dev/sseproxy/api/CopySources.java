package dev.sseproxy.api;

import dev.sseproxy.backend.BackendCall;
import dev.sseproxy.backend.BackendException;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.catalog.BucketCatalog;
import dev.sseproxy.crypto.Envelope;
import dev.sseproxy.crypto.ObjectIdentity;
import dev.sseproxy.crypto.RangeMath;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.kms.registry.KeyRequester;
import dev.sseproxy.sse.CustomerKey;
import dev.sseproxy.sse.DecryptingBody;
import dev.sseproxy.sse.Plaintext;
import dev.sseproxy.sse.SseService;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Optional;

/**
 * The source of a copy (CopyObject, UploadPartCopy, the proxy's internal copies): resolved (its bucket
 * exists, the requester may read it, the {@code x-amz-copy-source-if-*} conditions hold) and opened as
 * a plaintext stream, decrypted when encrypted.
 */
@Singleton
final class CopySources {
    private final ObjectStore store;
    private final BucketCatalog buckets;
    private final SseService sse;
    private final Authorization authorization;

    CopySources(ObjectStore store, BucketCatalog buckets, SseService sse, Authorization authorization) {
        this.store = store;
        this.buckets = buckets;
        this.sse = sse;
        this.authorization = authorization;
    }

    /** A resolved copy source: its backend HEAD answer and envelope (empty for a legacy plaintext object). */
    record Source(CopySource at, MultiMap headers, Optional<Envelope> envelope) {
        long plaintextSize() {
            return envelope.map(Envelope::plaintextSize).orElseGet(() -> Long.parseLong(headers.get("content-length")));
        }
    }

    /** Resolves the copy source: its bucket must exist and the requester may read it (s3:GetObject); checks the conditions. */
    Uni<Source> resolve(S3Exchange ex) {
        CopySource src = CopySource.parse(ex.header("x-amz-copy-source"));
        return buckets.find(src.bucket()).chain(b -> {
            if (b.isEmpty()) {
                return Uni.createFrom().failure(S3Exception.noSuchBucket(src.bucket()));
            }
            // a source named by version id needs s3:GetObjectVersion, as on S3
            String action = src.versionId() == null ? "s3:GetObject" : "s3:GetObjectVersion";
            return authorization.require(ex, Authorization.principal(ex), action, b.get(), src.key())
                    .chain(acl -> store.exchange(Versions.on(BackendCall.of("HEAD", src.bucket(), src.key()), src.versionId())))
                    .onFailure(BackendException.Rejected.class).transform(e -> sourceNotFound((BackendException.Rejected) e, src))
                    .chain(head -> sse.envelope(src.bucket(), src.key(), head.headers()).map(env -> {
                        Instant lm = Conditions.date(head.headers().get("last-modified"));
                        Conditions.check(ex::header, "x-amz-copy-source-", SseService.etag(env, head.headers()),
                                lm == null ? Instant.EPOCH : lm, true);
                        return new Source(src, head.headers(), env);
                    }));
        });
    }

    /**
     * A copy source that is not there: NoSuchVersion for a version id that does not exist, NoSuchKey
     * otherwise (a key whose latest version is a delete marker too); a source version id that names
     * a delete marker is 400 InvalidRequest, as on S3.
     */
    private static Throwable sourceNotFound(BackendException.Rejected e, CopySource src) {
        if (e.status() == 405) {
            return S3Exception.invalidRequest("The source of a copy request may not specifically refer to a delete marker by version id.");
        }
        if (e.status() != 404) {
            return e;
        }
        if (src.versionId() != null && !e.deleteMarker()) {
            return S3Exception.of(dev.sseproxy.error.S3ErrorCode.NO_SUCH_VERSION).withDetail("Key", src.key())
                    .withDetail("VersionId", src.versionId());
        }
        return S3Exception.noSuchKey(src.key());
    }

    /** The plaintext of a copy source as a stream: decrypted when encrypted, as stored otherwise. */
    Uni<Plaintext> open(S3Exchange ex, Source src, Optional<CustomerKey> customer) {
        return open(ex, src, customer, null);
    }

    /** As above, for plaintext bytes {@code range[0]..range[1]} only (null: all). */
    Uni<Plaintext> open(S3Exchange ex, Source src, Optional<CustomerKey> customer, long[] range) {
        return open(SseChecks.keyRequester(ex), src, customer, range);
    }

    /** As above, for {@code reader} (whose KMS rights unwrap the source's key). */
    Uni<Plaintext> open(KeyRequester reader, Source src, Optional<CustomerKey> customer, long[] range) {
        var id = new ObjectIdentity(src.at().bucket(), src.at().key());
        BackendCall get = Versions.on(BackendCall.of("GET", src.at().bucket(), src.at().key()), src.at().versionId())
                .header("if-match", src.headers().get("etag"));
        long size = range == null ? src.plaintextSize() : range[1] - range[0] + 1;
        var checksum = range == null ? src.envelope().map(Envelope::checksum) : Optional.<Envelope.Checksum>empty();
        if (src.envelope().isEmpty()) {
            if (range != null) {
                get.header("range", "bytes=" + range[0] + "-" + range[1]);
            }
            return store.open(get).map(s -> new Plaintext(s.body(), size, Optional.empty(), Optional::empty));
        }
        var env = src.envelope().get();
        return sse.keysForRead(env, id, customer, reader).chain(key -> {
            if (size == 0) {
                key.close();
                return Uni.createFrom().item(new Plaintext(new EmptyStream(), 0, Optional.empty(), () -> checksum));
            }
            var plan = range == null ? RangeMath.whole(env.partTable()) : RangeMath.range(env.partTable(), range[0], range[1]);
            if (range != null) {
                get.header("range", "bytes=" + plan.ciphertextStart() + "-" + plan.ciphertextEndInclusive());
            }
            return store.open(get).map(s -> new Plaintext(new DecryptingBody(s.body(), key, id, plan), size,
                    Optional.empty(), () -> checksum)).onFailure().invoke(key::close);
        });
    }

    /** An empty body. */
    static final class EmptyStream implements ReadStream<Buffer> {
        private Handler<Void> end;
        private boolean paused = true;
        private boolean done;

        public EmptyStream exceptionHandler(Handler<Throwable> h) {
            return this;
        }

        public EmptyStream handler(Handler<Buffer> h) {
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

        public EmptyStream endHandler(Handler<Void> h) {
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
}
