package dev.sseproxy.sse;

import dev.sseproxy.config.EncryptionConfig;
import dev.sseproxy.backend.BackendCall;
import dev.sseproxy.backend.BackendReply;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.config.SseProxyConfig;
import dev.sseproxy.crypto.Envelope;
import dev.sseproxy.crypto.FrameEncryptor;
import dev.sseproxy.crypto.FrameFormat;
import dev.sseproxy.crypto.KeyMaterial;
import dev.sseproxy.crypto.ObjectIdentity;
import dev.sseproxy.crypto.PartTable;
import dev.sseproxy.crypto.TableMac;
import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.kms.registry.KeyRequester;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import jakarta.inject.Singleton;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The encryption of one object, as the object operations of {@code api} use it: <b>decide</b> (the
 * request's SSE headers, then the bucket default: {@link #decide}), <b>keys</b> (the object key and
 * the envelope fields that describe it: {@link #keysFor}, {@link #keysForRead}), <b>encrypt</b> and
 * <b>store</b> ({@link #write}: the plaintext encrypted into frames, the envelope stamped, the
 * ciphertext handed to the backend), and on the way back the stored envelope ({@link #envelope}).
 *
 * <p>A single-part write (PutObject, POST Object, the destination of CopyObject, the proxy's own
 * writes): small bodies are encrypted in memory (within the global buffer budget, {@link BufferBudget}),
 * so the envelope is complete in one backend request; larger ones, and small ones that find the
 * budget spent, stream, and when something only known at the end belongs in the envelope (the MD5
 * ETag of SSE-S3, a trailer checksum) it is stamped by a metadata-only copy. Multipart uploads are
 * {@link MultipartEncryption}'s.
 */
@Singleton
public final class SseService {
    /** The message of the 403 that refuses an object without envelope ({@code legacy-plaintext=refuse}). */
    public static final String LEGACY_REFUSED = "Access Denied: the object was stored without encryption and this "
            + "endpoint is configured to refuse such objects (sse-proxy.encryption.legacy-plaintext=refuse).";

    private final BucketEncryptionStore buckets;
    private final ObjectKeys keys;
    private final ObjectStore store;
    private final StoredEnvelopes envelopes;
    private final BufferBudget budget;
    private final int bufferLimit;
    private final boolean refuseLegacy;

    public SseService(BucketEncryptionStore buckets, ObjectKeys keys, ObjectStore store, StoredEnvelopes envelopes,
            SseProxyConfig config, BufferBudget budget) {
        this.buckets = buckets;
        this.keys = keys;
        this.store = store;
        this.envelopes = envelopes;
        this.budget = budget;
        this.bufferLimit = config.encryption().bufferLimit();
        this.refuseLegacy = config.encryption().legacyPlaintext() == EncryptionConfig.LegacyPlaintext.REFUSE;
    }

    /** The metadata that stores {@code e} with its table inline ({@link StoredEnvelopes#inline}). */
    public Map<String, String> inlineMetadata(Envelope e) {
        return envelopes.inline(e);
    }

    /** Plaintexts up to this size are encrypted in memory (when the budget allows). */
    public int bufferLimit() {
        return bufferLimit;
    }

    /** The bucket's default encryption (spec §1). */
    public Uni<BucketEncryptionStore.BucketEncryption> bucketDefault(String bucket) {
        return buckets.get(bucket);
    }

    /**
     * Decide: the encryption of a new object written into {@code bucket} with the SSE headers {@code h}
     * (spec §3.1); {@code secure} says whether the client's hop is secure (SSE-C needs it).
     */
    public Uni<EncryptionDecision> decide(Function<String, String> h, String bucket, boolean secure) {
        return buckets.get(bucket).map(b -> EncryptionPolicy.decide(h, b.effective(), secure));
    }

    /** Keys: the object key for that decision, with the envelope fields and the SSE headers it answers. */
    public Uni<ObjectKeys.WriteKeys> keysFor(EncryptionDecision d, KeyRequester requester, ObjectIdentity id,
            Optional<String> contextHeader) {
        return keys.forWrite(d, requester, id, contextHeader);
    }

    /** The key of a stored object, for reading it (SSE-C: the customer's key, checked). */
    public Uni<KeyMaterial> keysForRead(Envelope e, ObjectIdentity id, Optional<CustomerKey> customer,
            KeyRequester reader) {
        return keys.forRead(e, id, customer, reader);
    }

    /**
     * Encrypt and store: {@code plain} encrypted under {@code keys} into {@code bucket/key}.
     * {@code stored} holds the headers the backend stores with the object (entity headers, user
     * metadata, tagging) and any conditional headers for the backend PUT. Closes {@code keys}.
     */
    public Uni<Written> write(String bucket, String key, ObjectKeys.WriteKeys keys, Plaintext plain, MultiMap stored) {
        long start = System.nanoTime();
        ObjectIdentity id = new ObjectIdentity(bucket, key);
        FrameEncryptor encryptor;
        PartTable table = PartTable.single(plain.length());
        byte[] tableMac;
        try (keys) {
            encryptor = new FrameEncryptor(keys.objectKey(), id, 1, plain.length());
            tableMac = TableMac.of(keys.objectKey(), table);
        }
        Envelope.Builder env = keys.envelope().partTable(table).tableMac(tableMac);
        Runnable sweep = () -> envelopes.sweepInBackground(bucket, List.of(key), null, start);
        boolean md5Etag = env.build().sseMode() == dev.sseproxy.crypto.SseMode.SSE_S3;
        long cipherLength = FrameFormat.ciphertextLength(plain.length());
        BackendCall call = BackendCall.of("PUT", bucket, key);
        call.headers().addAll(stored);
        // a small body is held in heap until the backend took it: its bytes come from the budget,
        // and when that is spent it streams like a large one
        BufferBudget.Lease lease = plain.length() <= bufferLimit ? budget.takeOrStream(cipherLength) : null;
        // a streamed body's frames are pooled direct buffers, released by the backend request once written
        EncryptingBody body = new EncryptingBody(plain.stream(), encryptor, lease == null, md5Etag);
        if (lease != null) {
            return collect(body).chain(ciphertext -> {
                if (md5Etag) {
                    env.plaintextEtag(body.plaintextMd5());
                } else {
                    env.plaintextEtag(md5Hex(ciphertext));
                }
                Optional<Envelope.Checksum> cks = plain.checksum().get();
                cks.ifPresent(env::checksum);
                Envelope e = env.build();
                envelopes.inline(e).forEach(call::header);
                return store.exchange(call.withBody(BackendCall.Body.of(ciphertext))).invoke(sweep)
                        .map(r -> new Written(Etags.quote(e.plaintextEtag()), keys.headers(), cks,
                                r.headers().get("etag"), r.headers().get("x-amz-version-id")));
            }).onTermination().invoke(lease::close);
        }
        plain.md5Hex().filter(m -> md5Etag).ifPresent(env::plaintextEtag);
        Envelope first = env.build();
        envelopes.inline(first).forEach(call::header);
        // SSE-S3's MD5 ETag, known only after the last byte: kept in the catalog under a write id the
        // object names, put before the final frame goes out, so no second request stamps it (crypto
        // package documentation, "The MD5 ETag of a streamed SSE-S3 PUT")
        String writeId = md5Etag && first.plaintextEtag() == null ? newWriteId() : null;
        if (writeId != null) {
            call.header(Envelope.ETAG_REF, writeId);
            body.beforeFinalFrame(md5 -> envelopes.putEtag(bucket, key, writeId, md5));
        }
        return store.exchange(call.withBody(BackendCall.Body.of(body, cipherLength))).invoke(sweep).chain(reply -> {
            String backendEtag = reply.headers().get("etag");
            String versionId = reply.headers().get("x-amz-version-id");
            Optional<Envelope.Checksum> cks = plain.checksum().get();
            // a trailer checksum is known only at the end too, and lives in the envelope: stamped
            boolean stamp = first.plaintextEtag() == null && md5Etag && writeId == null || cks.isPresent();
            if (!stamp) {
                String etag = writeId != null ? Etags.quote(body.plaintextMd5()) : etag(Optional.of(first), reply.headers());
                return Uni.createFrom().item(new Written(etag, keys.headers(), cks, backendEtag, versionId));
            }
            env.plaintextEtag(md5Etag ? body.plaintextMd5() : Etags.unquote(backendEtag));
            cks.ifPresent(env::checksum);
            Envelope done = env.build();
            // the version this PUT made is stamped in place: one PUT, one version (null: the current
            // object of an unversioned or suspended bucket, which a self-copy rewrites in place anyway)
            return restamp(bucket, key, stampedVersion(versionId), backendEtag, stored, envelopes.inline(done))
                    .map(r -> new Written(Etags.quote(done.plaintextEtag()), keys.headers(), cks, null, versionId));
        });
    }

    /**
     * The full envelope of {@code bucket/key} from the backend's answer (see {@link StoredEnvelopes#load});
     * empty for a legacy (plaintext) object, which fails with 403 {@code AccessDenied} instead when the
     * setting refuses those.
     */
    public Uni<Optional<Envelope>> envelope(String bucket, String key, MultiMap backendHeaders) {
        return envelopes.load(bucket, key, backendHeaders).map(env -> {
            if (env.isEmpty() && refuseLegacy) {
                throw S3Exception.of(S3ErrorCode.ACCESS_DENIED, LEGACY_REFUSED);
            }
            return env;
        });
    }

    /** See {@link StoredEnvelopes#restamp}. */
    public Uni<BackendReply> restamp(String bucket, String key, String backendEtag, MultiMap stored,
            Map<String, String> envelope) {
        return StoredEnvelopes.restamp(store, bucket, key, backendEtag, stored, envelope);
    }

    /** See {@link StoredEnvelopes#restamp(ObjectStore, String, String, String, String, MultiMap, Map)}. */
    public Uni<BackendReply> restamp(String bucket, String key, String versionId, String backendEtag, MultiMap stored,
            Map<String, String> envelope) {
        return StoredEnvelopes.restamp(store, bucket, key, versionId, backendEtag, stored, envelope);
    }

    /**
     * The version a restamp right after a write names: the one the write made in a versioning-enabled
     * bucket; none (null) for the {@code null} version of a suspended bucket or an unversioned one,
     * whose self-copy MinIO rewrites in place (and which MinIO refuses to name on a PUT).
     */
    public static String stampedVersion(String versionId) {
        return versionId == null || "null".equals(versionId) ? null : versionId;
    }

    /** A random id of one write (128 bits, base64url): names the catalog row of its ETag. */
    static String newWriteId() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        byte[] id = java.nio.ByteBuffer.allocate(16).putLong(r.nextLong()).putLong(r.nextLong()).array();
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }

    /** The ETag clients see: the envelope's when it has one, else the backend's. */
    public static String etag(Optional<Envelope> env, MultiMap backendHeaders) {
        return env.map(Envelope::plaintextEtag).map(Etags::quote).orElse(backendHeaders.get("etag"));
    }

    static Uni<Buffer> collect(ReadStream<Buffer> s) {
        return Uni.createFrom().emitter(em -> {
            Buffer all = Buffer.buffer();
            s.exceptionHandler(em::fail);
            s.endHandler(v -> em.complete(all));
            s.handler(all::appendBuffer);
            s.resume();
        });
    }

    static String md5Hex(Buffer b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b.getBytes()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
