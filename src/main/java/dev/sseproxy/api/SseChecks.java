package dev.sseproxy.api;

import dev.sseproxy.error.S3Exception;
import dev.sseproxy.kms.registry.KeyRequester;
import dev.sseproxy.sse.CustomerKey;
import dev.sseproxy.sse.EncryptionPolicy;
import dev.sseproxy.sse.SseHeaders;
import io.vertx.core.MultiMap;
import java.util.Optional;
import java.util.function.Function;

/**
 * The SSE rules that depend on the HTTP exchange rather than on the object (spec §3.7-§3.9): who asks
 * (the KMS requester, anonymous or not), over which hop (SSE-C needs TLS), which headers an operation
 * may carry, and the SSE response headers of spec §2.1. The encryption itself is
 * {@link dev.sseproxy.sse.SseService}'s.
 */
final class SseChecks {
    private SseChecks() {
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

    /** The request's headers as the {@code (name) -> first value} view the SSE rules read. */
    static Function<String, String> headers(S3Exchange ex) {
        return ex.headers();
    }

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

    /**
     * Refuses a request that names a customer key (any SSE-C header, of the object or of a copy
     * source, on any operation: reads, UploadPart and copies too) unless it reached the proxy over
     * TLS or through a trusted load balancer that says so (spec §3.8): the key must never cross the
     * network in clear, and S3 answers 400 InvalidRequest.
     */
    static void requireSecureForCustomerKeys(S3Exchange ex) {
        for (String name : EncryptionPolicy.CUSTOMER_KEY_HEADERS) {
            if (ex.header(name) != null) {
                if (!ex.secure()) {
                    throw S3Exception.invalidRequest(EncryptionPolicy.INSECURE);
                }
                return;
            }
        }
    }

    /** Rejects S / K / X / B on an operation that is not a write (spec §3.9 last row). */
    static void rejectWriteOnlyHeaders(S3Exchange ex) {
        for (String name : EncryptionPolicy.WRITE_ONLY) {
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
        if (s.mode() == dev.sseproxy.crypto.SseMode.SSE_C) {
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
}
