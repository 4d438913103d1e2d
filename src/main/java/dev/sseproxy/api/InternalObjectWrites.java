package dev.sseproxy.api;

import dev.sseproxy.api.xml.SubresourceDocuments;
import dev.sseproxy.api.xml.S3Xml;
import dev.sseproxy.authz.Policy;
import dev.sseproxy.authz.Principal;
import dev.sseproxy.backend.BackendCall;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.backend.BackendException;
import dev.sseproxy.catalog.Bucket;
import dev.sseproxy.crypto.Envelope;
import dev.sseproxy.crypto.ObjectIdentity;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.kms.registry.KeyRequester;
import dev.sseproxy.observability.RequestGate;
import dev.sseproxy.observability.RequestListener;
import dev.sseproxy.sse.EncryptionDecision;
import dev.sseproxy.sse.EncryptionPolicy;
import dev.sseproxy.sse.InternalWrites;
import dev.sseproxy.sse.ObjectKeys;
import dev.sseproxy.crypto.SseMode;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * {@link InternalWrites} on the client write pipeline: the same authorization ({@link Authorization},
 * one evaluator), the same encryption decision ({@link EncryptionPolicy#decide}), keys
 * ({@link ObjectKeys}, KMS calls through the rate-limited client), envelope and backend write
 * ({@link dev.sseproxy.sse.SseService#write}), and a CloudTrail data event through the same {@link RequestListener}s
 * (after taking an admission place at the {@link RequestGate}, the audit trail's bounded queue, like a
 * client request: a full queue in {@code wait} mode fails the call with 503 SlowDown).
 *
 * <h2>copyInPlace (S3 Batch Operations' S3PutObjectCopy onto itself)</h2>
 * <ol>
 *   <li>The actor needs {@code s3:GetObject} and {@code s3:PutObject} on the object (bucket policy,
 *       identity policies, ACLs, Block Public Access; condition keys: {@code s3:x-amz-copy-source},
 *       {@code s3:x-amz-metadata-directive} {@code COPY}, the requested {@code s3:x-amz-server-side-encryption}
 *       and {@code ...-aws-kms-key-id}, as a client's CopyObject sets them).</li>
 *   <li>{@code HEAD} at the backend (404: NoSuchKey), the envelope (an object without one is a plaintext
 *       one, {@code NOT-SSE}; with {@code sse-proxy.encryption.legacy-plaintext=refuse} it is AccessDenied,
 *       as for a client's copy), the client ETag compared with {@code expectedEtag} (412
 *       PreconditionFailed, Condition {@code x-amz-copy-source-If-Match}).</li>
 *   <li>An SSE-C object cannot be copied without its key: 400 InvalidRequest, S3's message for a copy
 *       without the source's customer key. Asking for SSE-C as the new encryption is 400 InvalidRequest too.</li>
 *   <li>The new encryption: {@link InternalWrites.Encryption} as the headers would ask (empty mode: the
 *       bucket's default, as a copy without SSE headers; {@code SSEApplied} {@code Default_...} then). The
 *       rule that refuses a copy onto itself that changes nothing applies (S3's InvalidRequest).</li>
 *   <li>Kept: the entity headers ({@code Content-Type}, ...), user metadata and tags (read with
 *       {@code GET ?tagging} at the backend and stored with the new object, as
 *       {@code x-amz-tagging-directive: COPY} does); the object's owner and ACL in the catalog are kept
 *       (S3 would reset them to the copier's private ACL; a re-encryption should not change who may read).</li>
 *   <li>The write is one backend {@code PUT} with {@code If-Match: <the backend ETag read>}: a client that
 *       replaced the object in between makes MinIO answer 412, the newer object is kept and the call fails
 *       with PreconditionFailed. The source is read with the same {@code If-Match}. A PUT is atomic at the
 *       backend: nothing half-written is ever visible. MinIO checks {@code If-Match} when the PUT starts
 *       and holds the key's write lock until it ends (measured: a plain PUT of the same key made while a
 *       conditional PUT streams waits for it), so a client write that arrives during a streamed copy is
 *       applied after it and wins; a client PUT of that key waits for at most the copy's duration.</li>
 * </ol>
 *
 * <h2>replaceTagging</h2>
 * As PutObjectTagging: {@code s3:PutObjectTagging} (with {@code s3:RequestObjectTag/<key>} and
 * {@code s3:RequestObjectTagKeys}), then {@code PUT ?tagging} at the backend, which validates the set as
 * for a client (at most 10 tags, keys up to 128 and values up to 256 characters, unique keys).
 *
 * <h2>putServiceObject</h2>
 * The acting principal is the service ({@link Principal#service}); allowed when the destination's bucket
 * policy allows it {@code s3:PutObject} with the request's keys {@code aws:SourceAccount},
 * {@code aws:SourceArn}, {@code s3:x-amz-acl} = {@code bucket-owner-full-control} (S3's documented
 * inventory destination policy), or, when {@code ownerMayWrite}, when the bucket's owner is
 * {@code sourceAccount} (weighed as that account's root, so its bucket policy's denies still apply). The
 * object belongs to the bucket owner (its catalog ACL entry is cleared) and is encrypted under the
 * destination's default or the given encryption, with the bucket owner's KMS rights.
 *
 * <p>Calls may come from any thread; each runs on a fresh duplicated Vert.x context.
 */
@ApplicationScoped
public class InternalObjectWrites implements InternalWrites {
    private static final Logger LOG = Logger.getLogger(InternalObjectWrites.class);
    /** S3's message for a copy of an SSE-C object without the source's customer key. */
    static final String NEEDS_CUSTOMER_KEY = "The object was stored using a form of Server Side Encryption. "
            + "The correct parameters must be provided to retrieve the object.";
    /** S3's message for an SSE-C write without a customer key. */
    static final String SSE_C_WITHOUT_KEY = "Requests specifying Server Side Encryption with Customer provided keys "
            + "must provide an appropriate secret key.";

    private final InternalCalls calls;
    private final dev.sseproxy.sse.SseService sse;
    private final ObjectStore store;
    private final CopySources sources;
    private final Authorization authorization;
    private final AclWrites acls;

    public InternalObjectWrites(InternalCalls calls, dev.sseproxy.sse.SseService sse, ObjectStore store,
            CopySources sources, Authorization authorization, AclWrites acls) {
        this.calls = calls;
        this.store = store;
        this.sources = sources;
        this.sse = sse;
        this.authorization = authorization;
        this.acls = acls;
    }

    // ---- copyInPlace ------------------------------------------------------------------------------

    @Override
    public Uni<Copied> copyInPlace(Actor actor, String bucket, String key, String expectedEtag, Encryption encryption) {
        return copyInPlace(actor, bucket, key, expectedEtag, encryption, null);
    }

    /**
     * As above; {@code beforeWrite} (null: none) runs between the read and the conditional backend PUT (a
     * seam for the admin route's test hook, which pauses there so a test can replace the object in
     * between): for an object encrypted in memory, once its content has been read; for a streamed one
     * (above the buffer limit), before its GET and PUT start (they run together).
     */
    Uni<Copied> copyInPlace(Actor actor, String bucket, String key, String expectedEtag, Encryption encryption,
            Supplier<Uni<Void>> beforeWrite) {
        InternalCallRecord rec = InternalCallRecord.of("CopyObject", "PUT", bucket, key, actor);
        rec.requestHeaders.put("x-amz-copy-source", bucket + "/" + S3PathsEncode.key(key));
        Function<String, String> headers = InternalCalls.encryptionHeaders(encryption);
        for (String h : List.of(EncryptionPolicy.S, EncryptionPolicy.K, EncryptionPolicy.B)) {
            if (headers.apply(h) != null) {
                rec.requestHeaders.put(h, headers.apply(h));
            }
        }
        return calls.run(rec, () -> {
            List<Policy> identity = InternalCalls.identityPolicies(actor);
            KeyRequester requester = new KeyRequester(actor.principal(), identity);
            Map<String, List<String>> keys = InternalCalls.baseKeys(actor.userAgent());
            RequestConditions.put(keys, "s3:x-amz-copy-source", rec.requestHeaders.get("x-amz-copy-source"));
            RequestConditions.put(keys, "s3:x-amz-metadata-directive", "COPY");
            RequestConditions.put(keys, RequestConditions.SSE, headers.apply(EncryptionPolicy.S));
            RequestConditions.put(keys, RequestConditions.SSE_KMS_KEY, headers.apply(EncryptionPolicy.K));
            return calls.userId(actor, rec, keys).chain(() -> calls.bucket(bucket, rec)).chain(b -> authorization.requireInternal(
                    rec.requestId, actor.principal(), identity, "s3:GetObject", b, key, keys)
                    .chain(() -> authorization.requireInternal(rec.requestId, actor.principal(), identity, "s3:PutObject", b,
                            key, keys))
                    .chain(() -> read(bucket, key))
                    .chain(src -> copy(rec, requester, b, src, expectedEtag, headers, beforeWrite)));
        });
    }

    private Uni<Copied> copy(InternalCallRecord rec, KeyRequester requester, Bucket b, CopySources.Source src, String expectedEtag,
            Function<String, String> headers, Supplier<Uni<Void>> beforeWrite) {
        String bucket = b.name();
        String key = src.at().key();
        String clientEtag = dev.sseproxy.sse.Etags.unquote(dev.sseproxy.sse.SseService.etag(src.envelope(), src.headers()));
        if (expectedEtag != null && !dev.sseproxy.sse.Etags.unquote(expectedEtag).equals(clientEtag)) {
            throw S3Exception.preconditionFailed("x-amz-copy-source-If-Match");
        }
        Envelope env = src.envelope().orElse(null);
        if (env != null && env.sseMode() == SseMode.SSE_C) {
            throw S3Exception.invalidRequest(NEEDS_CUSTOMER_KEY);
        }
        if (src.plaintextSize() > CopyOperations.MAX_COPY) {
            throw S3Exception.invalidRequest("The specified copy source is larger than the maximum allowable "
                    + "size for a copy source: " + CopyOperations.MAX_COPY);
        }
        return sse.bucketDefault(bucket).chain(bucketEnc -> {
            EncryptionDecision decision = EncryptionPolicy.decide(headers, bucketEnc.effective(), true);
            rec.sseApplied = decision.sseApplied();
            boolean changes = headers.apply(EncryptionPolicy.S) != null || bucketEnc.explicit()
                    || src.envelope().map(e -> e.sseMode() != SseMode.SSE_S3).orElse(true);
            if (!changes) {
                throw S3Exception.invalidRequest("This copy request is illegal because it is trying to copy an "
                        + "object to itself without changing the object's metadata, storage class, website "
                        + "redirect location or encryption attributes.");
            }
            MultiMap stored = MultiMap.caseInsensitiveMultiMap();
            src.headers().forEach(e -> {
                String n = e.getKey().toLowerCase(Locale.ROOT);
                if ((ObjectHeaders.ENTITY.contains(n) || n.startsWith("x-amz-meta-")) && !n.startsWith(Envelope.PREFIX)) {
                    stored.add(n, e.getValue());
                }
            });
            String backendEtag = src.headers().get("etag");
            boolean streams = src.plaintextSize() > sse.bufferLimit();
            ObjectIdentity id = new ObjectIdentity(bucket, key);
            String tagCount = src.headers().get("x-amz-tagging-count");
            Uni<String> tagged = tagCount == null || "0".equals(tagCount.trim()) ? Uni.createFrom().item("")
                    : tags(bucket, key); // the HEAD says whether there are tags: most objects cost no GET ?tagging
            return tagged.chain(tagging -> {
                if (!tagging.isEmpty()) {
                    stored.set("x-amz-tagging", tagging);
                }
                stored.set("if-match", backendEtag);
                // the seam: a streaming copy's PUT starts with its GET, so it runs before both
                return streams && beforeWrite != null ? beforeWrite.get() : Uni.createFrom().voidItem();
            }).chain(() -> sse.keysFor(decision, requester, id, Optional.empty()))
                    .chain(keys -> sources.open(requester, src, Optional.empty(), null)
                    .onFailure().invoke(keys::close)
                    .map(plain -> streams || beforeWrite == null ? plain : new dev.sseproxy.sse.Plaintext(
                            new DelayedEnd(plain.stream(), beforeWrite), plain.length(), plain.md5Hex(), plain.checksum()))
                    .chain(plain -> sse.write(bucket, key, keys, plain, stored)))
                    .onFailure(BackendException.Rejected.class).transform(e -> {
                        BackendException.Rejected r = (BackendException.Rejected) e;
                        // the object changed since it was read (or is gone): the newer one stays
                        return r.status() == 412 ? S3Exception.preconditionFailed("If-Match")
                                : r.status() == 404 && !"NoSuchBucket".equals(r.code()) ? S3Exception.noSuchKey(key) : r;
                    })
                    .chain(w -> {
                        rec.sse(w.sse());
                        Uni<String> written = w.backendEtag() != null ? Uni.createFrom().item(w.backendEtag()) : head(bucket, key);
                        return written.map(b2 -> new Copied(dev.sseproxy.sse.Etags.unquote(w.etag()), dev.sseproxy.sse.Etags.unquote(b2),
                                w.sse()));
                    });
        });
    }

    /** The backend's HEAD of the object, NoSuchKey when it is not there. */
    private Uni<CopySources.Source> read(String bucket, String key) {
        return store.exchange(BackendCall.of("HEAD", bucket, key))
                .onFailure(BackendException.Rejected.class).transform(e -> ((BackendException.Rejected) e).status() == 404
                        ? S3Exception.noSuchKey(key) : e)
                .chain(head -> sse.envelope(bucket, key, head.headers())
                        .map(env -> new CopySources.Source(new CopySource(bucket, key, null), head.headers(), env)));
    }

    /** The backend ETag of the object now (null when it cannot be read): what the copy wrote, as far as it knows. */
    private Uni<String> head(String bucket, String key) {
        return store.exchange(BackendCall.of("HEAD", bucket, key)).map(h -> h.headers().get("etag"))
                .onFailure().recoverWithNull();
    }

    /** The object's tags as {@code x-amz-tagging} wants them ({@code k=v&...}, URL-encoded); "" for none. */
    private Uni<String> tags(String bucket, String key) {
        return store.exchange(BackendCall.of("GET", bucket, key).query("tagging", "")).map(reply -> {
            SubresourceDocuments.TaggingXml t = S3Xml.read(reply.body().getBytes(), SubresourceDocuments.TaggingXml.class);
            StringBuilder sb = new StringBuilder();
            if (t.tagSet != null) {
                for (SubresourceDocuments.TagXml tag : t.tagSet) {
                    if (tag.key == null) {
                        continue;
                    }
                    sb.append(sb.length() == 0 ? "" : "&").append(URLEncoder.encode(tag.key, StandardCharsets.UTF_8))
                            .append('=').append(URLEncoder.encode(tag.value == null ? "" : tag.value, StandardCharsets.UTF_8));
                }
            }
            return sb.toString();
        });
    }

    // ---- replaceTagging ---------------------------------------------------------------------------

    @Override
    public Uni<Void> replaceTagging(Actor actor, String bucket, String key, List<Map.Entry<String, String>> tags) {
        InternalCallRecord rec = InternalCallRecord.of("PutObjectTagging", "PUT", bucket, key, actor);
        rec.query.put("tagging", "");
        return calls.run(rec, () -> {
            List<Policy> identity = InternalCalls.identityPolicies(actor);
            Map<String, List<String>> keys = InternalCalls.baseKeys(actor.userAgent());
            List<String> tagKeys = new ArrayList<>();
            SubresourceDocuments.TaggingXml doc = new SubresourceDocuments.TaggingXml();
            for (Map.Entry<String, String> t : tags) {
                SubresourceDocuments.TagXml x = new SubresourceDocuments.TagXml();
                x.key = t.getKey();
                x.value = t.getValue();
                doc.tagSet.add(x);
                tagKeys.add(t.getKey());
                RequestConditions.put(keys, "s3:RequestObjectTag/" + t.getKey(), t.getValue());
            }
            keys.put("s3:requestobjecttagkeys", List.copyOf(tagKeys));
            byte[] body = S3Xml.write(doc);
            rec.bytesIn = body.length;
            return calls.userId(actor, rec, keys).chain(() -> calls.bucket(bucket, rec)).chain(b -> authorization.requireInternal(
                    rec.requestId, actor.principal(), identity, "s3:PutObjectTagging", b, key, keys))
                    .chain(() -> store.exchange(BackendCall.of("PUT", bucket, key).query("tagging", "")
                            .header("content-type", "application/xml").header("content-md5", DeleteObjectsOperation.md5(body))
                            .withBody(BackendCall.Body.of(Buffer.buffer(body)))))
                    .onFailure(BackendException.Rejected.class).transform(e -> {
                        BackendException.Rejected r = (BackendException.Rejected) e;
                        return r.status() == 404 && !"NoSuchBucket".equals(r.code()) ? S3Exception.noSuchKey(key) : r;
                    })
                    .replaceWithVoid();
        });
    }

    // ---- putServiceObject -------------------------------------------------------------------------

    @Override
    public Uni<Copied> putServiceObject(String service, String sourceAccount, String sourceArn, boolean ownerMayWrite,
            String bucket, String key, byte[] body, String contentType, Encryption encryption) {
        InternalCallRecord rec = new InternalCallRecord("PutObject", "PUT", bucket, key, null, null, null, null, service, service, service);
        rec.requestHeaders.put("x-amz-acl", "bucket-owner-full-control");
        Function<String, String> headers = InternalCalls.encryptionHeaders(encryption);
        for (String h : List.of(EncryptionPolicy.S, EncryptionPolicy.K, EncryptionPolicy.B)) {
            if (headers.apply(h) != null) {
                rec.requestHeaders.put(h, headers.apply(h));
            }
        }
        rec.bytesIn = body.length;
        return calls.run(rec, () -> calls.bucket(bucket, rec).chain(b -> {
            Map<String, List<String>> keys = InternalCalls.baseKeys(service);
            RequestConditions.put(keys, "aws:SourceAccount", sourceAccount);
            RequestConditions.put(keys, "aws:SourceArn", sourceArn);
            RequestConditions.put(keys, "s3:x-amz-acl", "bucket-owner-full-control");
            RequestConditions.put(keys, RequestConditions.SSE, headers.apply(EncryptionPolicy.S));
            RequestConditions.put(keys, RequestConditions.SSE_KMS_KEY, headers.apply(EncryptionPolicy.K));
            boolean asOwner = ownerMayWrite && b.ownerId().equals(sourceAccount);
            Principal who = asOwner ? Principal.account(sourceAccount) : Principal.service(service);
            KeyRequester requester = KeyRequester.root(b.ownerId());
            return authorization.requireInternal(rec.requestId, who, List.of(), "s3:PutObject", b, key, keys)
                    .chain(() -> sse.bucketDefault(bucket)).chain(bucketEnc -> {
                        EncryptionDecision decision = EncryptionPolicy.decide(headers, bucketEnc.effective(), true);
                        rec.sseApplied = decision.sseApplied();
                        MultiMap stored = MultiMap.caseInsensitiveMultiMap();
                        if (contentType != null) {
                            stored.set("content-type", contentType);
                        }
                        var plain = new dev.sseproxy.sse.Plaintext(new OneBuffer(Buffer.buffer(body)), body.length,
                                Optional.empty(), Optional::empty);
                        return sse.keysFor(decision, requester, new ObjectIdentity(bucket, key), Optional.empty())
                                .chain(k -> sse.write(bucket, key, k, plain, stored));
                    })
                    .call(w -> acls.deleted(b, key)) // the bucket owner's, with its bucket's ACL
                    .map(w -> {
                        rec.sse(w.sse());
                        return new Copied(dev.sseproxy.sse.Etags.unquote(w.etag()), null, w.sse());
                    });
        }));
    }
}
