package dev.sseproxy.api;

import dev.sseproxy.authz.MalformedPolicyException;
import dev.sseproxy.authz.Policy;
import dev.sseproxy.backend.BackendCall;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.backend.BackendException;
import dev.sseproxy.batch.ObjectReads;
import dev.sseproxy.catalog.BucketCatalog;
import dev.sseproxy.crypto.Envelope;
import dev.sseproxy.crypto.ObjectIdentity;
import dev.sseproxy.crypto.RangeMath;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.kms.registry.KeyRequester;
import dev.sseproxy.sse.InternalWrites;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.vertx.TypeArg;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link ObjectReads} for batch jobs' manifests: a GetObject of the whole object by the job's principal,
 * without a client request: {@code s3:GetObject} decided as for the internal writes
 * ({@link Authorization#requireInternal}: bucket policy, identity policies, ACLs, Block Public Access;
 * condition keys {@code aws:SecureTransport}, {@code aws:UserAgent}), the envelope read from the backend, the key unwrapped with
 * the principal's KMS rights (the rate-limited KMS client), the ciphertext streamed through the same
 * {@link dev.sseproxy.sse.DecryptingBody} as GetObject, with backpressure (a manifest never sits in memory whole).
 */
@ApplicationScoped
class BatchObjectReads implements ObjectReads {
    private final BucketCatalog buckets;
    private final dev.sseproxy.sse.SseService sse;
    private final ObjectStore store;
    private final Authorization authorization;

    BatchObjectReads(BucketCatalog buckets, dev.sseproxy.sse.SseService sse, ObjectStore store, Authorization authorization) {
        this.store = store;
        this.buckets = buckets;
        this.sse = sse;
        this.authorization = authorization;
    }

    @Override
    public Uni<Opened> open(InternalWrites.Actor actor, String bucket, String key) {
        List<Policy> identity = new ArrayList<>();
        for (String json : actor.identityPolicies()) {
            try {
                identity.add(Policy.identityPolicy(json));
            } catch (MalformedPolicyException e) {
                return Uni.createFrom().failure(S3Exception.accessDenied());
            }
        }
        return buckets.find(bucket).chain(b -> {
            if (b.isEmpty()) {
                throw S3Exception.noSuchBucket(bucket);
            }
            Map<String, List<String>> keys = new HashMap<>();
            RequestConditions.put(keys, "aws:SecureTransport", "true");
            RequestConditions.put(keys, "aws:UserAgent", actor.userAgent());
            return authorization.requireInternal(RequestIds.next(), actor.principal(), identity, "s3:GetObject", b.get(),
                    key, keys).chain(() -> store.exchange(BackendCall.of("HEAD", bucket, key)));
        }).onFailure(BackendException.Rejected.class).transform(e -> ((BackendException.Rejected) e).status() == 404
                ? S3Exception.noSuchKey(key) : e)
                .chain(head -> sse.envelope(bucket, key, head.headers()).chain(env -> {
                    String etag = dev.sseproxy.sse.Etags.unquote(dev.sseproxy.sse.SseService.etag(env, head.headers()));
                    BackendCall get = BackendCall.of("GET", bucket, key).header("if-match", head.headers().get("etag"));
                    if (env.isEmpty()) {
                        long size = Long.parseLong(head.headers().get("content-length"));
                        return store.open(get).map(s -> new Opened(etag, size, multi(s.body())));
                    }
                    Envelope e = env.get();
                    ObjectIdentity id = new ObjectIdentity(bucket, key);
                    if (e.plaintextSize() == 0) {
                        return Uni.createFrom().item(new Opened(etag, 0, Multi.createFrom().empty()));
                    }
                    return sse.keysForRead(e, id, Optional.empty(), new KeyRequester(actor.principal(), identity))
                            .chain(k -> store.open(get).map(s -> new Opened(etag, e.plaintextSize(),
                                    multi(new dev.sseproxy.sse.DecryptingBody(s.body(), k, id, RangeMath.whole(e.partTable())))))
                                    .onFailure().invoke(k::close));
                }));
    }

    @SuppressWarnings("unchecked")
    static Multi<byte[]> multi(ReadStream<Buffer> stream) {
        return io.vertx.mutiny.core.streams.ReadStream.newInstance((ReadStream<Object>) (ReadStream<?>) stream,
                TypeArg.unknown()).toMulti().map(o -> ((Buffer) o).getBytes());
    }
}
