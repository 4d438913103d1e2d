package dev.sseproxy.api;

import dev.sseproxy.authz.Principal;
import dev.sseproxy.backend.BackendCall;
import dev.sseproxy.backend.BackendException;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.catalog.Bucket;
import dev.sseproxy.catalog.ReplicationQueue;
import dev.sseproxy.crypto.Envelope;
import dev.sseproxy.crypto.ObjectIdentity;
import dev.sseproxy.crypto.SseMode;
import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.kms.registry.KeyRequester;
import dev.sseproxy.replication.ReplicaWrites;
import dev.sseproxy.sse.EncryptionDecision;
import dev.sseproxy.sse.EncryptionPolicy;
import dev.sseproxy.sse.InternalWrites;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@link ReplicaWrites} on the client write pipeline, as one internal request each (admission, CloudTrail
 * data event {@code PutObject} / {@code DeleteObject} invoked by {@code s3.amazonaws.com}, see
 * {@link InternalCalls}):
 * <ol>
 *   <li>A destination owned by another account than the source bucket's must allow the source owner
 *       {@code s3:ReplicateObject} ({@code s3:ReplicateDelete} for a delete marker) in its bucket policy: the
 *       same evaluator as a client request ({@link Authorization#requireInternal}); a refusal is 403
 *       AccessDenied, which the engine does not retry.</li>
 *   <li>The source version is read at the backend ({@code HEAD ?versionId}, 404: NoSuchVersion); an SSE-C
 *       version cannot be read without its key: 400 InvalidRequest.</li>
 *   <li>The destination's current version is looked at: when it already is this source version's replica
 *       ({@link ReplicaWrites#REPLICA_OF}), a node wrote it and died before it could say so; nothing is
 *       written again.</li>
 *   <li>The replica's encryption: SSE-KMS under {@code ReplicaKmsKeyID} when the rule gives one, else the
 *       destination's default ({@link EncryptionPolicy#decide} as for a write without SSE headers), with the
 *       destination owner's KMS rights; the source is decrypted with the source owner's.</li>
 *   <li>Kept: entity headers, user metadata, tags (read with {@code GET ?tagging&versionId} when the HEAD
 *       counts some); added: {@link ReplicaWrites#REPLICA_OF} (reserved, hidden from clients), which makes GET
 *       and HEAD answer {@code x-amz-replication-status: REPLICA}. The plaintext streams from the source's
 *       decryption into the destination's encryption ({@link dev.sseproxy.sse.SseService#write}: bounded
 *       memory).</li>
 * </ol>
 * Replicas are written beneath the request path's dispatcher: they queue no replication of their own.
 */
@ApplicationScoped
class ReplicaObjectWrites implements ReplicaWrites {
    static final String SERVICE = "s3.amazonaws.com";

    private final InternalCalls calls;
    private final dev.sseproxy.sse.SseService sse;
    private final ObjectStore store;
    private final CopySources sources;
    private final Authorization authorization;

    private final dev.sseproxy.config.SseProxyConfig config;
    private final io.vertx.core.Vertx vertx;
    /** One store per external destination bucket, made on first use. */
    private final java.util.Map<String, ObjectStore> externals = new java.util.concurrent.ConcurrentHashMap<>();

    ReplicaObjectWrites(InternalCalls calls, dev.sseproxy.sse.SseService sse, ObjectStore store, CopySources sources,
            Authorization authorization, dev.sseproxy.config.SseProxyConfig config, io.vertx.core.Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
        this.calls = calls;
        this.sse = sse;
        this.store = store;
        this.sources = sources;
        this.authorization = authorization;
    }

    private static InternalCallRecord record(String operation, String method, ReplicationQueue.Item item, String owner) {
        InternalCallRecord rec = new InternalCallRecord(operation, method, item.destBucket(), item.key(), owner, null, null,
                null, SERVICE, "sse-proxy-replication", SERVICE);
        return rec;
    }

    @Override
    public Uni<Outcome> replicate(ReplicationQueue.Item item, String sourceOwner) {
        InternalCallRecord rec = record("PutObject", "PUT", item, sourceOwner);
        var external = config.replication().external().get(item.destBucket());
        if (external != null) {
            return calls.run(rec, () -> external(rec, item, sourceOwner, external));
        }
        return calls.run(rec, () -> calls.bucket(item.destBucket(), rec)
                .call(d -> allowed(rec, sourceOwner, d, "s3:ReplicateObject", item.key()))
                .chain(d -> source(item).chain(src -> {
                    Envelope env = src.envelope().orElse(null);
                    if (env != null && env.sseMode() == SseMode.SSE_C) {
                        throw S3Exception.invalidRequest(InternalObjectWrites.NEEDS_CUSTOMER_KEY);
                    }
                    String mark = ReplicaWrites.replicaOf(item);
                    return current(d.name(), item.key()).chain(now -> {
                        if (now.isPresent() && mark.equals(now.get().get(REPLICA_OF))) {
                            return Uni.createFrom().item(new Outcome(0, true));
                        }
                        return write(rec, item, sourceOwner, d, src, mark);
                    });
                })));
    }

    private Uni<Outcome> write(InternalCallRecord rec, ReplicationQueue.Item item, String sourceOwner, Bucket d,
            CopySources.Source src, String mark) {
        InternalWrites.Encryption enc = item.replicaKmsKeyId() == null ? InternalWrites.Encryption.bucketDefault()
                : new InternalWrites.Encryption(Optional.of(SseMode.SSE_KMS), Optional.of(item.replicaKmsKeyId()),
                        Optional.empty());
        Function<String, String> headers = InternalCalls.encryptionHeaders(enc);
        MultiMap stored = MultiMap.caseInsensitiveMultiMap();
        src.headers().forEach(e -> {
            String n = e.getKey().toLowerCase(Locale.ROOT);
            if ((ObjectHeaders.ENTITY.contains(n) || n.startsWith("x-amz-meta-")) && !n.startsWith(Envelope.PREFIX)
                    && !n.equals(REPLICA_OF)) {
                stored.add(n, e.getValue());
            }
        });
        stored.set(REPLICA_OF, mark);
        String tagCount = src.headers().get("x-amz-tagging-count");
        Uni<String> tagged = tagCount == null || "0".equals(tagCount.trim()) ? Uni.createFrom().item("")
                : tags(item.bucket(), item.key(), item.versionId());
        return sse.bucketDefault(d.name()).chain(destEnc -> {
            EncryptionDecision decision = EncryptionPolicy.decide(headers, destEnc.effective(), true);
            rec.sseApplied = decision.sseApplied();
            return tagged.chain(tagging -> {
                if (!tagging.isEmpty()) {
                    stored.set("x-amz-tagging", tagging);
                }
                return sse.keysFor(decision, KeyRequester.root(d.ownerId()), new ObjectIdentity(d.name(), item.key()),
                        Optional.empty());
            }).chain(keys -> sources.open(KeyRequester.root(sourceOwner), src, Optional.empty(), null)
                    .onFailure().invoke(keys::close)
                    .chain(plain -> sse.write(d.name(), item.key(), keys, plain, stored)))
                    .map(w -> {
                        rec.sse(w.sse());
                        rec.bytesIn = src.plaintextSize();
                        return new Outcome(src.plaintextSize(), false);
                    });
        });
    }

    /**
     * An external destination (the administrator's {@code sse-proxy.replication.external.<bucket>}): the plaintext
     * streamed to that S3 endpoint by a SigV4-signed PUT with the configured credentials (the backend's signing),
     * with its content headers, user metadata and tags, and {@code x-amz-server-side-encryption: aws:kms} with the
     * rule's {@code ReplicaKmsKeyID} when it names one (else the endpoint's default encryption applies). The
     * endpoint's answer decides: 403 is AccessDenied (not retried), other refusals are retried.
     */
    private Uni<Outcome> external(InternalCallRecord rec, ReplicationQueue.Item item, String sourceOwner,
            dev.sseproxy.config.ReplicationConfig.ExternalBucket ext) {
        ObjectStore target = externals.computeIfAbsent(item.destBucket(), b -> dev.sseproxy.backend.MinioObjectStore
                .forEndpoint(vertx, ext.endpoint(), ext.region(), ext.accessKeyId(), ext.secretAccessKey()));
        return source(item).chain(src -> {
            Envelope env = src.envelope().orElse(null);
            if (env != null && env.sseMode() == SseMode.SSE_C) {
                throw S3Exception.invalidRequest(InternalObjectWrites.NEEDS_CUSTOMER_KEY);
            }
            BackendCall put = BackendCall.of("PUT", item.destBucket(), item.key());
            src.headers().forEach(e -> {
                String n = e.getKey().toLowerCase(Locale.ROOT);
                if ((ObjectHeaders.ENTITY.contains(n) || n.startsWith("x-amz-meta-")) && !n.startsWith(Envelope.PREFIX)) {
                    put.header(n, e.getValue());
                }
            });
            if (item.replicaKmsKeyId() != null) {
                put.header(EncryptionPolicy.S, "aws:kms").header(EncryptionPolicy.K, item.replicaKmsKeyId());
                rec.requestHeaders.put(EncryptionPolicy.S, "aws:kms");
            }
            String tagCount = src.headers().get("x-amz-tagging-count");
            Uni<String> tagged = tagCount == null || "0".equals(tagCount.trim()) ? Uni.createFrom().item("")
                    : tags(item.bucket(), item.key(), item.versionId());
            return tagged.chain(tagging -> {
                if (!tagging.isEmpty()) {
                    put.header("x-amz-tagging", tagging);
                }
                return sources.open(KeyRequester.root(sourceOwner), src, Optional.empty(), null);
            }).chain(plain -> target.exchange(put.withBody(BackendCall.Body.of(plain.stream(), plain.length()))))
                    .onFailure(BackendException.Rejected.class).transform(e -> {
                        BackendException.Rejected r = (BackendException.Rejected) e;
                        return r.status() == 403 ? S3Exception.accessDenied()
                                : new IllegalStateException("external destination " + item.destBucket() + " answered "
                                        + r.status() + " " + r.code());
                    })
                    .map(r -> {
                        rec.bytesIn = src.plaintextSize();
                        return new Outcome(src.plaintextSize(), false);
                    });
        });
    }

    @Override
    public Uni<Outcome> replicateDeleteMarker(ReplicationQueue.Item item, String sourceOwner) {
        InternalCallRecord rec = record("DeleteObject", "DELETE", item, sourceOwner);
        var external = config.replication().external().get(item.destBucket());
        if (external != null) {
            ObjectStore target = externals.computeIfAbsent(item.destBucket(), b -> dev.sseproxy.backend.MinioObjectStore
                    .forEndpoint(vertx, external.endpoint(), external.region(), external.accessKeyId(),
                            external.secretAccessKey()));
            return calls.run(rec, () -> target.exchange(BackendCall.of("DELETE", item.destBucket(), item.key()))
                    .map(r -> new Outcome(0, false)));
        }
        return calls.run(rec, () -> calls.bucket(item.destBucket(), rec)
                .call(d -> allowed(rec, sourceOwner, d, "s3:ReplicateDelete", item.key()))
                .chain(d -> current(d.name(), item.key()).chain(now -> {
                    if (now.isEmpty()) {
                        return Uni.createFrom().item(new Outcome(0, true)); // a delete marker (or nothing) already
                    }
                    return store.exchange(BackendCall.of("DELETE", d.name(), item.key())).map(r -> new Outcome(0, false));
                })));
    }

    /** Cross-account: the destination's bucket policy must allow the source owner {@code action}. */
    private Uni<Void> allowed(InternalCallRecord rec, String sourceOwner, Bucket d, String action, String key) {
        if (d.ownerId().equals(sourceOwner)) {
            return Uni.createFrom().voidItem();
        }
        return authorization.requireInternal(rec.requestId, Principal.account(sourceOwner), List.of(), action, d, key,
                InternalCalls.baseKeys("sse-proxy-replication")).replaceWithVoid();
    }

    /** The source version's backend HEAD and envelope; NoSuchVersion (NoSuchKey without a version) when it is gone. */
    private Uni<CopySources.Source> source(ReplicationQueue.Item item) {
        String v = item.versionId();
        return store.exchange(Versions.on(BackendCall.of("HEAD", item.bucket(), item.key()), v))
                .onFailure(BackendException.Rejected.class).transform(e -> ((BackendException.Rejected) e).status() == 404
                        || ((BackendException.Rejected) e).status() == 405
                        ? (v == null ? S3Exception.noSuchKey(item.key())
                                : S3Exception.of(S3ErrorCode.NO_SUCH_VERSION).withDetail("Key", item.key()).withDetail("VersionId", v))
                        : e)
                .chain(head -> sse.envelope(item.bucket(), item.key(), head.headers())
                        .map(env -> new CopySources.Source(new CopySource(item.bucket(), item.key(), v), head.headers(), env)));
    }

    /** The destination key's current version's headers; empty when there is none (or it is a delete marker). */
    private Uni<Optional<MultiMap>> current(String bucket, String key) {
        return store.exchange(BackendCall.of("HEAD", bucket, key)).map(r -> Optional.of(r.headers()))
                .onFailure(BackendException.Rejected.class).recoverWithUni(e -> ((BackendException.Rejected) e).status() == 404
                        || ((BackendException.Rejected) e).status() == 405
                        ? Uni.createFrom().item(Optional.<MultiMap>empty()) : Uni.createFrom().failure(e));
    }

    /** The source version's tags as {@code x-amz-tagging} wants them. */
    private Uni<String> tags(String bucket, String key, String versionId) {
        return store.exchange(Versions.on(BackendCall.of("GET", bucket, key).query("tagging", ""), versionId)).map(reply -> {
            var t = dev.sseproxy.api.xml.S3Xml.read(reply.body().getBytes(), dev.sseproxy.api.xml.SubresourceDocuments.TaggingXml.class);
            StringBuilder sb = new StringBuilder();
            if (t.tagSet != null) {
                for (var tag : t.tagSet) {
                    if (tag.key == null) {
                        continue;
                    }
                    sb.append(sb.length() == 0 ? "" : "&")
                            .append(java.net.URLEncoder.encode(tag.key, java.nio.charset.StandardCharsets.UTF_8)).append('=')
                            .append(java.net.URLEncoder.encode(tag.value == null ? "" : tag.value,
                                    java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            return sb.toString();
        });
    }

}
