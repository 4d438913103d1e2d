package dev.sseproxy.api;

import dev.sseproxy.backend.BackendReply;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.config.SseProxyConfig;
import dev.sseproxy.config.EncryptionConfig;
import dev.sseproxy.crypto.Envelope;
import dev.sseproxy.crypto.ObjectIdentity;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.kms.registry.KeyRequester;
import dev.sseproxy.sse.BucketEncryptionStore;
import dev.sseproxy.sse.CustomerKey;
import dev.sseproxy.sse.EncryptionDecision;
import dev.sseproxy.sse.EncryptionPolicy;
import dev.sseproxy.sse.ObjectKeys;
import dev.sseproxy.sse.SseHeaders;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What every object operation needs for server-side encryption: the decision for a write (request
 * headers, then the bucket default), the keys, the envelope read back from the backend, and the
 * SSE response headers of spec §2.1.
 */
@Singleton
final class SseSupport {
    /** Headers that only writes may carry (spec §3.7, §3.9). */
    static final List<String> WRITE_ONLY = List.of(EncryptionPolicy.S, EncryptionPolicy.K, EncryptionPolicy.X,
            EncryptionPolicy.B);

    final BucketEncryptionStore buckets;
    final ObjectKeys keys;
    final ObjectStore store;
    final dev.sseproxy.sse.StoredEnvelopes envelopes;
    final int bufferLimit;
    final boolean refuseLegacy;
    final BodyBudget budget;

    SseSupport(BucketEncryptionStore buckets, ObjectKeys keys, ObjectStore store,
            dev.sseproxy.sse.StoredEnvelopes envelopes, SseProxyConfig config, BodyBudget budget) {
        this.budget = budget;
        this.buckets = buckets;
        this.keys = keys;
        this.store = store;
        this.envelopes = envelopes;
        this.bufferLimit = config.encryption().bufferLimit();
        this.refuseLegacy = config.encryption().legacyPlaintext() == EncryptionConfig.LegacyPlaintext.REFUSE;
    }

    /**
     * S3's answer to an anonymous (unsigned) request that names SSE-KMS, to read or to write: KMS
     * needs a SigV4-signed requester.
     */
    static S3Exception anonymousKms() {
        return S3Exception.invalidArgument("Requests specifying Server Side Encryption with AWS KMS managed keys "
                + "require AWS Signature Version 4.", "Authorization", null);
    }

    /** Refuses an anonymous write whose {@code x-amz-server-side-encryption} value names SSE-KMS. */
    static void refuseAnonymousKmsWrite(S3Exchange ex, String sseValue) {
        if (ex.principal() == null && sseValue != null && sseValue.trim().startsWith("aws:kms")) {
            throw anonymousKms();
        }
    }

    /** The message of the 403 that refuses an object without envelope ({@code legacy-plaintext=refuse}). */
    static final String LEGACY_REFUSED = "Access Denied: the object was stored without encryption and this endpoint "
            + "is configured to refuse such objects (sse-proxy.encryption.legacy-plaintext=refuse).";

    static Function<String, String> headers(S3Exchange ex) {
        return name -> ex.request().getHeader(name);
    }

    /** Whether the client-facing hop is secure (SSE-C needs it). */
    /**
     * Whom the KMS keys of this request serve (key resolution and key authorization, see
     * {@code dev.sseproxy.kms.registry}): the requester, an account root or an IAM user with its identity
     * policies; for an anonymous request, the bucket owner's root (as {@link S3Exchange#actingAccount()}).
     */
    static KeyRequester keyRequester(S3Exchange ex) {
        if (ex.principal() == null) {
            return KeyRequester.root(ex.actingAccount());
        }
        return new KeyRequester(ex.principal().principal(), ex.principal().identityPolicies());
    }

    static boolean secure(S3Exchange ex) {
        return ex.secure();
    }

    /**
     * Refuses a request that names a customer key (any SSE-C header, of the object or of a copy
     * source, on any operation: reads, UploadPart and copies too) unless it reached the proxy over
     * TLS or through a trusted load balancer that says so (spec §3.8): the key must never cross the
     * network in clear, and S3 answers 400 InvalidRequest.
     */
    static void requireSecureForCustomerKeys(S3Exchange ex) {
        for (String name : EncryptionPolicy.CUSTOMER_KEY_HEADERS) {
            if (ex.header(name) != null) {
                if (!secure(ex)) {
                    throw S3Exception.invalidRequest(EncryptionPolicy.INSECURE);
                }
                return;
            }
        }
    }

    /** The encryption of a new object written into {@code bucket} with these headers (spec §3.1). */
    Uni<EncryptionDecision> decide(S3Exchange ex, Function<String, String> h, String bucket) {
        return buckets.get(bucket).map(b -> {
            EncryptionDecision d = EncryptionPolicy.decide(h, b.effective(), secure(ex));
            ex.encryptionApplied(d);
            return d;
        });
    }

    /** The keys for that decision. */
    Uni<ObjectKeys.WriteKeys> keysFor(S3Exchange ex, EncryptionDecision d, ObjectIdentity id, Function<String, String> h) {
        return keys.forWrite(d, keyRequester(ex), id, Optional.ofNullable(h.apply(EncryptionPolicy.X)));
    }

    /** Rejects S / K / X / B on an operation that is not a write (spec §3.9 last row). */
    static void rejectWriteOnlyHeaders(S3Exchange ex) {
        for (String name : WRITE_ONLY) {
            String v = ex.header(name);
            if (v != null) {
                throw S3Exception.invalidArgument(name + " header is not supported for this operation.", name, v);
            }
        }
    }

    /** The request's SSE-C key for reading (prefix "" or the copy-source prefix), validated; empty if absent. */
    static Optional<CustomerKey> readKey(S3Exchange ex, String prefix) {
        return EncryptionPolicy.customerKey(headers(ex), prefix, false);
    }

    static void putSseHeaders(MultiMap r, SseHeaders s) {
        if (s == null || s.mode() == null) {
            return;
        }
        if (s.mode() == dev.sseproxy.sse.SseMode.SSE_C) {
            r.set("x-amz-server-side-encryption-customer-algorithm", "AES256");
            s.customerKeyMd5().ifPresent(v -> r.set("x-amz-server-side-encryption-customer-key-MD5", v));
            return;
        }
        r.set(EncryptionPolicy.S, s.mode().headerValue().orElseThrow());
        s.kmsKeyArn().ifPresent(v -> r.set(EncryptionPolicy.K, v));
        if (s.bucketKey()) {
            r.set(EncryptionPolicy.B, "true");
        }
        s.context().ifPresent(v -> r.set(EncryptionPolicy.X, v));
    }

    /**
     * The full envelope of {@code bucket/key} from the backend's answer (see
     * {@link dev.sseproxy.sse.StoredEnvelopes#load}); empty for a legacy (plaintext) object, which
     * fails with 403 {@code AccessDenied} instead when the setting refuses those.
     */
    Uni<Optional<Envelope>> envelope(String bucket, String key, MultiMap backendHeaders) {
        return envelopes.load(bucket, key, backendHeaders).map(env -> {
            if (env.isEmpty() && refuseLegacy) {
                throw S3Exception.of(dev.sseproxy.error.S3ErrorCode.ACCESS_DENIED, LEGACY_REFUSED);
            }
            return env;
        });
    }

    /** The ETag clients see: the envelope's when it has one, else the backend's. */
    static String etag(Optional<Envelope> env, MultiMap backendHeaders) {
        return env.map(Envelope::plaintextEtag).map(Ops::quoteEtag).orElse(backendHeaders.get("etag"));
    }

    /** See {@link dev.sseproxy.sse.StoredEnvelopes#restamp}. */
    Uni<BackendReply> restamp(String bucket, String key, String backendEtag, MultiMap stored, Map<String, String> envelope) {
        return dev.sseproxy.sse.StoredEnvelopes.restamp(store, bucket, key, backendEtag, stored, envelope);
    }
}
