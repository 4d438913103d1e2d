package dev.sseproxy.sse;

import dev.sseproxy.crypto.SseMode;
import dev.sseproxy.bucketkey.BucketKeyCache;
import dev.sseproxy.bucketkey.BucketKeyCache.BucketKey;
import dev.sseproxy.config.SseProxyConfig;
import dev.sseproxy.crypto.Algorithm;
import dev.sseproxy.crypto.CustomerKeys;
import dev.sseproxy.crypto.Envelope;
import dev.sseproxy.crypto.KeyMaterial;
import dev.sseproxy.crypto.KeyWrap;
import dev.sseproxy.crypto.ObjectIdentity;
import dev.sseproxy.crypto.WrappingScheme;
import dev.sseproxy.kms.DataKey;
import dev.sseproxy.kms.EncryptionContext;
import dev.sseproxy.kms.KeyRef;
import dev.sseproxy.kms.KmsClient;
import dev.sseproxy.kms.Plaintext;
import dev.sseproxy.reactive.CallerContext;
import dev.sseproxy.kms.registry.KeyRegistry;
import dev.sseproxy.kms.registry.KeyRegistryException;
import dev.sseproxy.kms.registry.KeyRequester;
import dev.sseproxy.kms.registry.KmsAction;
import dev.sseproxy.kms.registry.ResolvedKey;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The object key of every encrypted object: made and wrapped for a write, unwrapped for a read,
 * according to the key hierarchy of DESIGN.md and the envelope fields of {@code dev.sseproxy.crypto}.
 * <ul>
 *   <li>SSE-S3: wrapped under a bucket key, a data key of the proxy's own SSE-S3 KMS key;</li>
 *   <li>SSE-KMS with a bucket key: wrapped under a bucket key, a data key of the requested KMS key;</li>
 *   <li>SSE-KMS without one (and DSSE-KMS): the object key is itself a KMS data key;</li>
 *   <li>SSE-C: wrapped under a key derived from the customer's key (never stored).</li>
 * </ul>
 * KMS encryption context: {@code aws:s3:arn} = the bucket ARN for bucket keys, the object ARN plus
 * the user context otherwise (spec §4.3).
 */
@ApplicationScoped
public class ObjectKeys {
    static final String WRONG_CUSTOMER_KEY = "Requests specifying Server Side Encryption with Customer provided keys "
            + "must provide the correct secret key.";
    static final String NEEDS_CUSTOMER_KEY = "The object was stored using a form of Server Side Encryption. "
            + "The correct parameters must be provided to retrieve the object.";
    static final String NOT_APPLICABLE = "The encryption parameters are not applicable to this object.";
    /** S3's answer to a read whose KMS key the reader may not use (or that is gone), spec §4.5. */
    static final String KEY_NOT_ACCESSIBLE = "The ciphertext refers to a customer master key that does not exist, "
            + "does not exist in this region, or you are not allowed to access.";

    private final KmsClient kms;
    private final KeyRegistry registry;
    private final BucketKeyCache bucketKeys;
    private final KeyRef sseS3Key;
    /** The SSE-S3 key exists at the KMS (created once; a failed attempt, e.g. throttled, is tried again). */
    private final UntilSuccess<Void> sseS3Ready;

    @Inject
    public ObjectKeys(KmsClient kms, KeyRegistry registry, BucketKeyCache bucketKeys, SseProxyConfig config) {
        this.kms = kms;
        this.registry = registry;
        this.bucketKeys = bucketKeys;
        this.sseS3Key = KeyRef.of(config.kms().sseS3KeyName());
        this.sseS3Ready = new UntilSuccess<>(() -> kms.createKey(sseS3Key.name()).replaceWithVoid());
        // disabling, scheduling deletion of or otherwise changing a key stops the use of its bucket keys at once
        registry.onChange(bucketKeys::invalidateAll);
    }

    /** A new object's key with the envelope fields that describe it; closing wipes the key. */
    public record WriteKeys(KeyMaterial objectKey, Envelope.Builder envelope, SseHeaders headers)
            implements AutoCloseable {
        @Override
        public void close() {
            objectKey.close();
        }
    }

    /**
     * The key for a new object (or multipart upload) as {@code decision} says, for the requester: its KMS
     * key resolved and authorized (kms:GenerateDataKey) for it on every call, before any bucket key is
     * looked up.
     */
    public Uni<WriteKeys> forWrite(EncryptionDecision decision, KeyRequester requester, ObjectIdentity id,
            Optional<String> contextHeader) {
        String accountId = requester.accountId();
        Executor caller = CallerContext.capture();
        Uni<WriteKeys> keys = switch (decision.mode()) {
            case SSE_S3 -> sseS3Ready().chain(v -> bucketKeyed(kms, id, SseMode.SSE_S3, sseS3Key, null))
                    .map(w -> withHeaders(w, new SseHeaders(SseMode.SSE_S3, Optional.empty(), false, Optional.empty(),
                            Optional.empty())));
            case SSE_KMS, DSSE_KMS -> registry.resolve(decision.kmsKeyId().orElse(null), requester,
                    KmsAction.GENERATE_DATA_KEY).chain(key -> kmsKeyed(kms.forAccount(accountId), decision, key, id,
                    contextHeader));
            case SSE_C -> Uni.createFrom().item(() -> customerKeyed(decision.customerKey().orElseThrow(), id));
            case NONE -> throw new IllegalArgumentException("a write is always encrypted");
        };
        return keys.emitOn(caller);
    }

    private static WriteKeys withHeaders(WriteKeys w, SseHeaders h) {
        return new WriteKeys(w.objectKey(), w.envelope(), h);
    }

    private Uni<WriteKeys> kmsKeyed(KmsClient kms, EncryptionDecision d, ResolvedKey key, ObjectIdentity id,
            Optional<String> ctxHeader) {
        boolean bucketKey = d.bucketKey() && d.mode() == SseMode.SSE_KMS;
        SseMode mode = d.mode();
        SseHeaders headers = new SseHeaders(d.mode(), Optional.of(key.arn()), bucketKey, Optional.empty(), ctxHeader);
        byte[] userContext = d.context().isEmpty() ? null : EncryptionContext.canonical(d.context());
        if (bucketKey) {
            return bucketKeyed(kms, id, mode, key.backendKey(), key.arn()).map(w -> {
                if (userContext != null) {
                    w.envelope().encryptionContextHash(userContext);
                }
                return withHeaders(w, headers);
            });
        }
        return kms.generateDataKey(key.backendKey(), objectContext(id, d.context())).map(dk -> {
            try (DataKey k = dk) {
                KeyMaterial objectKey;
                try (KeyMaterial dataKey = KeyMaterial.of(k.plaintext().bytes())) {
                    objectKey = Envelope.kmsObjectKey(Envelope.VERSION, dataKey);
                }
                Envelope.Builder env = Envelope.builder().sseMode(mode).wrappingScheme(WrappingScheme.KMS_DATA_KEY)
                        .wrappedObjectKey(k.ciphertext()).kmsKeyArn(key.arn()).kmsKeyVersion(k.keyVersion())
                        .encryptionContextHash(userContext);
                return new WriteKeys(objectKey, env, headers);
            }
        });
    }

    /** A fresh object key wrapped under the slot's bucket key (cached, or one KMS data-key call). */
    private Uni<WriteKeys> bucketKeyed(KmsClient kms, ObjectIdentity id, SseMode mode, KeyRef kmsKey,
            String arn) {
        BucketKeyCache.Slot slot = new BucketKeyCache.Slot(id.bucket(), kmsKey.name());
        return bucketKeys.forWrite(slot, () -> kms.generateDataKey(kmsKey, bucketContext(id.bucket())).map(dk -> {
            try (DataKey k = dk) {
                return new BucketKey(KeyMaterial.of(k.plaintext().bytes()), k.ciphertext(), k.keyVersion(),
                        bucketKeyId(k.ciphertext()));
            }
        })).map(bk -> {
            KeyMaterial objectKey = KeyMaterial.random();
            byte[] wrapped = KeyWrap.wrap(bk.key(), objectKey,
                    Envelope.keyWrapAad(Envelope.VERSION, id, Algorithm.AES256_GCM_64K, mode, WrappingScheme.BUCKET_KEY));
            Envelope.Builder env = Envelope.builder().sseMode(mode).wrappingScheme(WrappingScheme.BUCKET_KEY)
                    .wrappedObjectKey(wrapped).wrappedBucketKey(bk.wrapped()).bucketKeyId(bk.id())
                    .kmsKeyArn(arn).kmsKeyVersion(bk.kmsKeyVersion());
            return new WriteKeys(objectKey, env, SseHeaders.none());
        });
    }

    private WriteKeys customerKeyed(CustomerKey customer, ObjectIdentity id) {
        byte[] raw = customer.keyBytes();
        try (KeyMaterial ck = KeyMaterial.of(raw)) {
            byte[] verifier = CustomerKeys.verifier(ck, CustomerKeys.newSalt());
            KeyMaterial objectKey = KeyMaterial.random();
            try (KeyMaterial kek = CustomerKeys.kek(ck, verifier)) {
                byte[] wrapped = KeyWrap.wrap(kek, objectKey, Envelope.keyWrapAad(Envelope.VERSION, id, Algorithm.AES256_GCM_64K,
                        SseMode.SSE_C, WrappingScheme.SSE_C_DERIVED));
                Envelope.Builder env = Envelope.builder().sseMode(SseMode.SSE_C)
                        .wrappingScheme(WrappingScheme.SSE_C_DERIVED).wrappedObjectKey(wrapped)
                        .sseCustomerKeyHmac(verifier);
                return new WriteKeys(objectKey, env, new SseHeaders(SseMode.SSE_C, Optional.empty(), false,
                        Optional.of(customer.md5Base64()), Optional.empty()));
            }
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /**
     * Checks the request's SSE-C headers against a stored object (spec §3.7): an SSE-C object needs
     * them and the right key; any other object must not have them.
     */
    public static void checkReadHeaders(Envelope envelope, Optional<CustomerKey> customer) {
        boolean sseC = envelope != null && envelope.sseMode() == SseMode.SSE_C;
        if (sseC && customer.isEmpty()) {
            throw new SseException(SseException.Kind.INVALID_REQUEST, NEEDS_CUSTOMER_KEY, null, null);
        }
        if (!sseC && customer.isPresent()) {
            throw new SseException(SseException.Kind.INVALID_REQUEST, NOT_APPLICABLE, null, null);
        }
        if (sseC) {
            byte[] raw = customer.get().keyBytes();
            try (KeyMaterial ck = KeyMaterial.of(raw)) {
                if (!CustomerKeys.matches(ck, envelope.sseCustomerKeyHmac())) {
                    throw new SseException(SseException.Kind.ACCESS_DENIED, WRONG_CUSTOMER_KEY, null, null);
                }
            } finally {
                Arrays.fill(raw, (byte) 0);
            }
        }
    }

    /** What GET / HEAD report for a stored object (never the context). */
    public static SseHeaders headersOf(Envelope e, Optional<CustomerKey> customer) {
        if (e == null) {
            return SseHeaders.none();
        }
        return switch (e.sseMode()) {
            case SSE_S3 -> new SseHeaders(SseMode.SSE_S3, Optional.empty(), false, Optional.empty(), Optional.empty());
            case SSE_KMS, DSSE_KMS -> new SseHeaders(e.sseMode(), Optional.ofNullable(e.kmsKeyArn()),
                    e.wrappingScheme() == WrappingScheme.BUCKET_KEY, Optional.empty(), Optional.empty());
            case SSE_C -> new SseHeaders(SseMode.SSE_C, Optional.empty(), false,
                    customer.map(CustomerKey::md5Base64), Optional.empty());
            case NONE -> SseHeaders.none();
        };
    }

    /**
     * The object key of a stored object, after checking the envelope's size and part table against
     * its table MAC ({@link Envelope#verifyTable}; the envelope must hold its full part table). Every
     * read of an object's content goes through here. {@link #checkReadHeaders} must have passed.
     * The caller owns (and closes) the key.
     */
    public Uni<KeyMaterial> forRead(Envelope e, ObjectIdentity id, Optional<CustomerKey> customer, KeyRequester reader) {
        return unwrap(e, id, customer, reader).map(k -> {
            try {
                e.verifyTable(k);
                return k;
            } catch (RuntimeException x) {
                k.close();
                throw x;
            }
        });
    }

    /**
     * The key of an open multipart upload (its provisional envelope has no table yet), for
     * encrypting a part. The caller owns (and closes) the key.
     */
    public Uni<KeyMaterial> forUpload(Envelope e, ObjectIdentity id, Optional<CustomerKey> customer, KeyRequester writer) {
        return unwrap(e, id, customer, writer);
    }

    /**
     * The object key; for SSE-KMS the reader's kms:Decrypt on the envelope's key is checked first, on
     * every call (a cached bucket key is reused only after that check).
     */
    private Uni<KeyMaterial> unwrap(Envelope e, ObjectIdentity id, Optional<CustomerKey> customer, KeyRequester reader) {
        Executor caller = CallerContext.capture();
        String accountId = reader.accountId();
        byte[] aad = e.keyWrapAad(id);
        Uni<KeyMaterial> key = switch (e.wrappingScheme()) {
            case SSE_C_DERIVED -> Uni.createFrom().item(() -> {
                byte[] raw = customer.orElseThrow().keyBytes();
                try (KeyMaterial ck = KeyMaterial.of(raw); KeyMaterial kek = CustomerKeys.kek(ck, e.sseCustomerKeyHmac())) {
                    return KeyWrap.unwrap(kek, e.wrappedObjectKey(), aad);
                } finally {
                    Arrays.fill(raw, (byte) 0);
                }
            });
            case BUCKET_KEY -> kmsKeyForRead(e, reader).chain(ref -> bucketKeys.forRead(ref.name(), e.bucketKeyId(),
                    () -> kmsFor(e, accountId).decrypt(ref, e.wrappedBucketKey(), bucketContext(id.bucket())).map(ObjectKeys::material)))
                    .map(bk -> KeyWrap.unwrap(bk, e.wrappedObjectKey(), aad));
            case KMS_DATA_KEY -> kmsKeyForRead(e, reader).chain(ref -> kmsFor(e, accountId).decrypt(ref, e.wrappedObjectKey(),
                    objectContext(id, userContext(e)))).map(p -> {
                        try (KeyMaterial dataKey = material(p)) {
                            return Envelope.kmsObjectKey(e.version(), dataKey);
                        }
                    });
        };
        return key.emitOn(caller);
    }

    /**
     * The ARN of the KMS key that {@code requestedKeyId} (key id, key ARN, alias name or alias ARN)
     * names for the requester, as a write would resolve it; fails as {@link KeyRegistry#resolve} does.
     */
    public Uni<String> kmsKeyArn(String requestedKeyId, KeyRequester requester) {
        Executor caller = CallerContext.capture();
        return registry.resolve(requestedKeyId, requester, KmsAction.DECRYPT).map(ResolvedKey::arn).emitOn(caller);
    }

    /** The KMS for a read: SSE-KMS calls count against the requester's account, SSE-S3 ones are the proxy's. */
    private KmsClient kmsFor(Envelope e, String accountId) {
        return e.sseMode() == SseMode.SSE_S3 ? kms : kms.forAccount(accountId);
    }

    /**
     * The KMS key of a stored object, if the reader may decrypt with it; a key the reader may not use
     * (another account's without a grant, or gone) is S3's 403 "The ciphertext refers to …".
     */
    private Uni<KeyRef> kmsKeyForRead(Envelope e, KeyRequester reader) {
        if (e.sseMode() == SseMode.SSE_S3) {
            return Uni.createFrom().item(sseS3Key);
        }
        return registry.resolve(e.kmsKeyArn(), reader, KmsAction.DECRYPT).map(ResolvedKey::backendKey)
                .onFailure(KeyRegistryException.AccessDenied.class)
                .transform(x -> new SseException(SseException.Kind.ACCESS_DENIED, KEY_NOT_ACCESSIBLE, null, null));
    }

    private static KeyMaterial material(Plaintext p) {
        try (p) {
            return KeyMaterial.of(p.bytes());
        }
    }

    /** The proxy's SSE-S3 key, created once (idempotently) before its first use. */
    private Uni<Void> sseS3Ready() {
        return sseS3Ready.get();
    }

    static Map<String, String> bucketContext(String bucket) {
        return Map.of("aws:s3:arn", "arn:aws:s3:::" + bucket);
    }

    static Map<String, String> objectContext(ObjectIdentity id, Map<String, String> user) {
        Map<String, String> ctx = new HashMap<>(user);
        ctx.put("aws:s3:arn", "arn:aws:s3:::" + id.bucket() + "/" + id.key());
        return ctx;
    }

    /** The user context stored in the envelope's {@code ctx} field (canonical JSON). */
    static Map<String, String> userContext(Envelope e) {
        byte[] json = e.encryptionContextHash();
        if (json == null) {
            return Map.of();
        }
        return EncryptionPolicy.contextJson(new String(json, StandardCharsets.UTF_8));
    }

    /** The base64 header form of the stored user context, for copies and audits. */
    public static Optional<String> contextHeader(Envelope e) {
        byte[] json = e.encryptionContextHash();
        return json == null ? Optional.empty() : Optional.of(Base64.getEncoder().encodeToString(json));
    }

    static String bucketKeyId(byte[] wrapped) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(wrapped);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(h).substring(0, 22);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
