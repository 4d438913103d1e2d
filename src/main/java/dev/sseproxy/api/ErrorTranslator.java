package dev.sseproxy.api;

import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.auth.AuthException;
import dev.sseproxy.backend.BackendException;
import dev.sseproxy.catalog.CatalogException;
import dev.sseproxy.crypto.CryptoException;
import dev.sseproxy.kms.KmsException;
import dev.sseproxy.kms.registry.KeyRegistryException;
import dev.sseproxy.sse.SseException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;

/** The one place that turns any failure into the S3 error the client sees. */
public final class ErrorTranslator {
    private static final Logger LOG = Logger.getLogger(ErrorTranslator.class);
    /**
     * Codes whose message depends on the case: the backend's text is kept. Every other code has one
     * fixed AWS message (the enum's), which is used even when the backend words it differently
     * (MinIO: "The requested range 'bytes=5000-6000' is not satisfiable").
     */
    private static final java.util.Set<S3ErrorCode> CASE_SPECIFIC_MESSAGES =
            java.util.EnumSet.of(S3ErrorCode.INVALID_ARGUMENT, S3ErrorCode.INVALID_REQUEST);

    /**
     * Key registry failures as S3 reports them (spec §4.5): the KMS exception name prefixed with
     * {@code KMS.} and KMS's own message. Failures only management can cause still get a client error.
     */
    private static final Map<Class<? extends KeyRegistryException>, S3ErrorCode> KEY_REGISTRY_CODES = Map.ofEntries(
            Map.entry(KeyRegistryException.InvalidKeyId.class, S3ErrorCode.KMS_NOT_FOUND),
            Map.entry(KeyRegistryException.KeyNotFound.class, S3ErrorCode.KMS_NOT_FOUND),
            Map.entry(KeyRegistryException.InvalidArn.class, S3ErrorCode.KMS_NOT_FOUND),
            Map.entry(KeyRegistryException.AliasNotFound.class, S3ErrorCode.KMS_NOT_FOUND),
            Map.entry(KeyRegistryException.Disabled.class, S3ErrorCode.KMS_DISABLED),
            Map.entry(KeyRegistryException.InvalidState.class, S3ErrorCode.KMS_INVALID_STATE),
            Map.entry(KeyRegistryException.AccessDenied.class, S3ErrorCode.ACCESS_DENIED),
            Map.entry(KeyRegistryException.NotAuthorized.class, S3ErrorCode.ACCESS_DENIED),
            Map.entry(KeyRegistryException.AlreadyExists.class, S3ErrorCode.INVALID_ARGUMENT),
            Map.entry(KeyRegistryException.Validation.class, S3ErrorCode.INVALID_ARGUMENT),
            Map.entry(KeyRegistryException.MalformedPolicy.class, S3ErrorCode.INVALID_ARGUMENT),
            Map.entry(KeyRegistryException.LimitExceeded.class, S3ErrorCode.INVALID_ARGUMENT),
            Map.entry(KeyRegistryException.InvalidMarker.class, S3ErrorCode.INVALID_ARGUMENT),
            Map.entry(KeyRegistryException.Unsupported.class, S3ErrorCode.INVALID_REQUEST));

    private ErrorTranslator() {
    }

    public static S3Exception translate(Throwable t, String requestId) {
        Throwable e = unwrap(t);
        if (e instanceof S3Exception s3) {
            return s3;
        }
        if (e instanceof AuthException a) {
            S3Exception s3 = S3Exception.of(S3ErrorCode.fromCode(a.kind().s3Code()).orElse(S3ErrorCode.INVALID_REQUEST),
                    a.getMessage());
            // the elements AWS adds (Region, AWSAccessKeyId, StringToSign, ServerTime, ...)
            for (var x : a.extra().entrySet()) {
                s3 = s3.withDetail(x.getKey(), x.getValue());
            }
            return s3;
        }
        if (e instanceof SseException sse) {
            return fromSse(sse);
        }
        if (e instanceof KmsException k) {
            return fromKms(k, requestId);
        }
        if (e instanceof KeyRegistryException k && KEY_REGISTRY_CODES.containsKey(k.getClass())) {
            return S3Exception.of(KEY_REGISTRY_CODES.get(k.getClass()), k.getMessage());
        }
        if (e instanceof BackendException.Rejected r) {
            return fromBackend(r);
        }
        if (e instanceof BackendException.Unavailable u) {
            LOG.warnf("request %s: backend unavailable: %s", requestId, u.getCause());
            return S3Exception.of(S3ErrorCode.SERVICE_UNAVAILABLE, "Service is unable to handle request.")
                    .withHeader("Retry-After", "1");
        }
        if (e instanceof CatalogException.BucketTaken) {
            return S3Exception.of(S3ErrorCode.BUCKET_ALREADY_EXISTS);
        }
        if (e instanceof CatalogException.BucketOwnedByYou) {
            return S3Exception.of(S3ErrorCode.BUCKET_ALREADY_OWNED_BY_YOU);
        }
        if (e instanceof CatalogException.NotFound nf) {
            return S3Exception.of(S3ErrorCode.INVALID_ARGUMENT, "Not found: " + nf.getMessage());
        }
        if (e instanceof CryptoException) {
            LOG.errorf("request %s: integrity failure: %s", requestId, e.getMessage());
            return S3Exception.internal();
        }
        LOG.errorf(e, "request %s failed unexpectedly", requestId);
        return S3Exception.internal();
    }

    /** KMS failures as S3 reports them (spec §4.5): throttling is 503 SlowDown, never a KMS code. */
    private static S3Exception fromKms(KmsException e, String requestId) {
        if (e instanceof KmsException.Throttled) {
            return S3Exception.of(S3ErrorCode.SLOW_DOWN, "Please reduce your request rate for operations involving AWS KMS.")
                    .withHeader("Retry-After", "1");
        }
        if (e instanceof KmsException.Unavailable) {
            LOG.warnf("request %s: KMS unavailable: %s", requestId, e.getMessage());
            return S3Exception.of(S3ErrorCode.SERVICE_UNAVAILABLE, "Service is unable to handle request.")
                    .withHeader("Retry-After", "1");
        }
        if (e instanceof KmsException.AccessDenied) {
            return S3Exception.accessDenied();
        }
        if (e instanceof KmsException.InvalidCiphertext) {
            LOG.errorf("request %s: KMS refused to decrypt a stored key: %s", requestId, e.getMessage());
            return S3Exception.of(S3ErrorCode.ACCESS_DENIED, "The ciphertext refers to a customer master key that does "
                    + "not exist, does not exist in this region, or you are not allowed to access.");
        }
        if (e instanceof KmsException.NotFound) {
            return S3Exception.of(S3ErrorCode.KMS_NOT_FOUND, e.getMessage());
        }
        return S3Exception.of(S3ErrorCode.KMS_INVALID_KEY_USAGE, e.getMessage());
    }

    private static S3Exception fromSse(SseException e) {
        S3ErrorCode code = switch (e.kind()) {
            case INVALID_ARGUMENT -> S3ErrorCode.INVALID_ARGUMENT;
            case INVALID_ENCRYPTION_ALGORITHM -> S3ErrorCode.INVALID_ENCRYPTION_ALGORITHM;
            case INVALID_REQUEST -> S3ErrorCode.INVALID_REQUEST;
            case ACCESS_DENIED -> S3ErrorCode.ACCESS_DENIED;
        };
        S3Exception s3 = S3Exception.of(code, e.getMessage());
        if (e.argumentName() != null) {
            s3 = s3.withDetail("ArgumentName", e.argumentName())
                    .withDetail("ArgumentValue", e.argumentValue() == null ? "" : e.argumentValue());
        }
        return s3;
    }

    private static S3Exception fromBackend(BackendException.Rejected r) {
        S3Exception s3 = fromBackendCode(r);
        return r.deleteMarker() ? Versions.deleteMarkerHeaders(s3, r.versionId()) : s3;
    }

    private static S3Exception fromBackendCode(BackendException.Rejected r) {
        if ("NotFound".equals(r.code())) {
            return S3Exception.of(S3ErrorCode.NO_SUCH_KEY);
        }
        return S3ErrorCode.fromCode(r.code())
                .map(c -> c == S3ErrorCode.INTERNAL_ERROR ? S3Exception.internal()
                        : S3Exception.of(c, r.backendMessage().isBlank() || !CASE_SPECIFIC_MESSAGES.contains(c)
                                ? c.defaultMessage() : r.backendMessage()))
                .orElseGet(() -> {
                    LOG.warnf("backend error %s (%d) has no S3 mapping: %s", r.code(), r.status(), r.backendMessage());
                    return r.status() < 500 ? S3Exception.of(S3ErrorCode.INVALID_REQUEST, r.backendMessage().isBlank()
                            ? S3ErrorCode.INVALID_REQUEST.defaultMessage() : r.backendMessage()) : S3Exception.internal();
                });
    }

    private static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof java.util.concurrent.ExecutionException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
