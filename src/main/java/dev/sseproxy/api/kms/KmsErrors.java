package dev.sseproxy.api.kms;

import com.fasterxml.jackson.core.JacksonException;
import dev.sseproxy.auth.AuthException;
import dev.sseproxy.kms.KmsException;
import dev.sseproxy.kms.registry.KeyRegistryException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;

/**
 * Failures as the KMS JSON protocol reports them: HTTP status, {@code __type} (the exception name of
 * the KMS API reference) and message. Client errors are 400, as KMS sends them.
 */
public final class KmsErrors {
    private static final Logger LOG = Logger.getLogger(KmsErrors.class);

    /** One error answer. */
    public record KmsError(int status, String type, String message) {
        static KmsError client(String type, String message) {
            return new KmsError(400, type, message);
        }
    }

    /** The exception name for every key registry failure; a test walks the permitted subclasses. */
    static final Map<Class<? extends KeyRegistryException>, String> REGISTRY_TYPES = Map.ofEntries(
            Map.entry(KeyRegistryException.InvalidKeyId.class, "NotFoundException"),
            Map.entry(KeyRegistryException.KeyNotFound.class, "NotFoundException"),
            Map.entry(KeyRegistryException.InvalidArn.class, "NotFoundException"),
            Map.entry(KeyRegistryException.AliasNotFound.class, "NotFoundException"),
            Map.entry(KeyRegistryException.Disabled.class, "DisabledException"),
            Map.entry(KeyRegistryException.InvalidState.class, "KMSInvalidStateException"),
            Map.entry(KeyRegistryException.AccessDenied.class, "AccessDeniedException"),
            Map.entry(KeyRegistryException.AlreadyExists.class, "AlreadyExistsException"),
            Map.entry(KeyRegistryException.Validation.class, "ValidationException"),
            Map.entry(KeyRegistryException.NotAuthorized.class, "NotAuthorizedException"),
            Map.entry(KeyRegistryException.Unsupported.class, "UnsupportedOperationException"),
            Map.entry(KeyRegistryException.MalformedPolicy.class, "MalformedPolicyDocumentException"),
            Map.entry(KeyRegistryException.LimitExceeded.class, "LimitExceededException"),
            Map.entry(KeyRegistryException.InvalidMarker.class, "InvalidMarkerException"));

    private KmsErrors() {
    }

    /** The answer for any failure; unexpected ones are logged once and become KMSInternalException. */
    static KmsError of(Throwable t, String requestId) {
        Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (e instanceof KeyRegistryException k && REGISTRY_TYPES.containsKey(k.getClass())) {
            return KmsError.client(REGISTRY_TYPES.get(k.getClass()), k.getMessage());
        }
        if (e instanceof AuthException a) {
            return auth(a);
        }
        if (e instanceof KmsRequestException r) {
            return KmsError.client(r.type(), r.getMessage());
        }
        if (e instanceof JacksonException) {
            return KmsError.client("SerializationException", "The request body could not be read as the operation's "
                    + "JSON input.");
        }
        if (e instanceof KmsException k) {
            return backend(k, requestId);
        }
        LOG.errorf(e, "KMS API request %s failed unexpectedly", requestId);
        return new KmsError(500, "KMSInternalException", "We encountered an internal error. Please try again.");
    }

    private static KmsError backend(KmsException k, String requestId) {
        if (k instanceof KmsException.Throttled) {
            return KmsError.client("ThrottlingException", "Rate exceeded");
        }
        LOG.warnf("KMS API request %s: backend KMS failed: %s", requestId, k.getMessage());
        if (k instanceof KmsException.Unavailable) {
            return new KmsError(503, "DependencyTimeoutException", "The KMS backend is unavailable. Please try again.");
        }
        return new KmsError(500, "KMSInternalException", "The KMS backend refused the request.");
    }

    /** Authentication failures, named as AWS's JSON services name them. */
    public static KmsError auth(AuthException a) {
        return switch (a.kind()) {
            case INVALID_ACCESS_KEY_ID -> KmsError.client("UnrecognizedClientException",
                    "The security token included in the request is invalid.");
            case SIGNATURE_DOES_NOT_MATCH, CONTENT_SHA256_MISMATCH -> KmsError.client("InvalidSignatureException",
                    "The request signature we calculated does not match the signature you provided. Check your AWS "
                            + "Secret Access Key and signing method. Consult the service documentation for details.");
            case REQUEST_TIME_TOO_SKEWED, REQUEST_EXPIRED, REQUEST_NOT_YET_VALID -> KmsError.client(
                    "InvalidSignatureException", "Signature expired or not yet current: " + a.getMessage());
            case ACCESS_DENIED -> KmsError.client("MissingAuthenticationTokenException", "Missing Authentication Token");
            case AUTHORIZATION_HEADER_MALFORMED -> KmsError.client("InvalidSignatureException", a.getMessage());
            case PAYLOAD_NOT_SIGNED -> KmsError.client("IncompleteSignatureException", a.getMessage());
            default -> KmsError.client("IncompleteSignatureException", a.getMessage());
        };
    }
}
