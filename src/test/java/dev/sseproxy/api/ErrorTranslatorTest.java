package dev.sseproxy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.auth.AuthException;
import dev.sseproxy.backend.BackendException;
import dev.sseproxy.catalog.CatalogException;
import dev.sseproxy.crypto.CryptoException;
import dev.sseproxy.kms.registry.KeyRegistryException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every domain failure maps to a deliberate S3 error; none falls through to InternalError by accident. */
class ErrorTranslatorTest {
    static final String KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/0f6c2e8a-1b7d-4c55-9d3e-2a4b6c8d0e1f";

    @ParameterizedTest
    @EnumSource(AuthException.Kind.class)
    void everyAuthFailureKeepsItsCodeStatusAndMessage(AuthException.Kind kind) {
        S3Exception e = ErrorTranslator.translate(new AuthException(kind), "R");
        assertEquals(kind.s3Code(), e.code().code(), kind.name());
        assertEquals(kind.httpStatus(), e.code().status(), kind.name());
        assertEquals(kind.defaultMessage(), e.getMessage());
    }

    @Test
    void everyCatalogFailureHasAClientError() {
        for (Class<?> c : CatalogException.class.getPermittedSubclasses()) {
            CatalogException ce = switch (c.getSimpleName()) {
                case "BucketTaken" -> new CatalogException.BucketTaken("b");
                case "BucketOwnedByYou" -> new CatalogException.BucketOwnedByYou("b");
                case "NotFound" -> new CatalogException.NotFound("x");
                default -> throw new AssertionError("unmapped CatalogException subclass " + c);
            };
            assertTrue(ErrorTranslator.translate(ce, "R").code().status() < 500, c.getName());
        }
        assertEquals(S3ErrorCode.BUCKET_ALREADY_EXISTS, ErrorTranslator.translate(new CatalogException.BucketTaken("b"), "R").code());
    }

    @Test
    void backendFailuresKeepS3CodesAndOutagesAre503() {
        assertEquals(S3ErrorCode.ENTITY_TOO_SMALL,
                ErrorTranslator.translate(new BackendException.Rejected(400, "EntityTooSmall", "small"), "R").code());
        assertEquals(S3ErrorCode.NO_SUCH_KEY, ErrorTranslator.translate(new BackendException.Rejected(404, "NotFound", ""), "R").code());
        S3Exception down = ErrorTranslator.translate(new BackendException.Unavailable("down", null), "R");
        assertEquals(503, down.code().status());
        assertEquals("1", down.headers().get("Retry-After"));
        S3Exception unknown = ErrorTranslator.translate(new BackendException.Rejected(400, "XMinioSomething", "odd"), "R");
        assertNotEquals(500, unknown.code().status());
    }

    @ParameterizedTest
    @EnumSource(dev.sseproxy.sse.SseException.Kind.class)
    void everySseRejectionIsAClientError(dev.sseproxy.sse.SseException.Kind kind) throws Exception {
        var ctor = dev.sseproxy.sse.SseException.class.getDeclaredConstructor(dev.sseproxy.sse.SseException.Kind.class,
                String.class, String.class, String.class);
        ctor.setAccessible(true);
        S3Exception e = ErrorTranslator.translate(ctor.newInstance(kind, "m", "x-amz-server-side-encryption", "v"), "R");
        assertTrue(e.code().status() == 400 || e.code().status() == 403, kind.name());
        assertEquals("m", e.getMessage());
        assertEquals("x-amz-server-side-encryption", e.details().get("ArgumentName"));
    }

    @Test
    void everyKmsFailureHasADeliberateS3Error() {
        for (Class<?> c : dev.sseproxy.kms.KmsException.class.getPermittedSubclasses()) {
            dev.sseproxy.kms.KmsException k = switch (c.getSimpleName()) {
                case "NotFound" -> new dev.sseproxy.kms.KmsException.NotFound("Invalid keyId 'x'");
                case "AccessDenied" -> new dev.sseproxy.kms.KmsException.AccessDenied("denied");
                case "Throttled" -> new dev.sseproxy.kms.KmsException.Throttled("quota");
                case "Unavailable" -> new dev.sseproxy.kms.KmsException.Unavailable("down");
                case "InvalidCiphertext" -> new dev.sseproxy.kms.KmsException.InvalidCiphertext("bad");
                case "UnusableKey" -> new dev.sseproxy.kms.KmsException.UnusableKey("not derived");
                default -> throw new AssertionError("unmapped KmsException subclass " + c);
            };
            assertNotEquals(S3ErrorCode.INTERNAL_ERROR, ErrorTranslator.translate(k, "R").code(), c.getName());
        }
        S3Exception slow = ErrorTranslator.translate(new dev.sseproxy.kms.KmsException.Throttled("q"), "R");
        assertEquals(S3ErrorCode.SLOW_DOWN, slow.code());
        assertEquals("Please reduce your request rate for operations involving AWS KMS.", slow.getMessage());
        assertEquals("1", slow.headers().get("Retry-After"));
    }

    @Test
    void everyKeyRegistryFailureHasADeliberateS3Error() {
        for (Class<?> c : KeyRegistryException.class.getPermittedSubclasses()) {
            KeyRegistryException k = switch (c.getSimpleName()) {
                case "InvalidKeyId" -> new KeyRegistryException.InvalidKeyId("fake-key-id");
                case "KeyNotFound" -> new KeyRegistryException.KeyNotFound(KEY_ARN);
                case "InvalidArn" -> new KeyRegistryException.InvalidArn("us-west-2");
                case "AliasNotFound" -> new KeyRegistryException.AliasNotFound("arn:aws:kms:us-east-1:111122223333:alias/x");
                case "Disabled" -> new KeyRegistryException.Disabled(KEY_ARN);
                case "InvalidState" -> KeyRegistryException.InvalidState.pendingDeletion(KEY_ARN);
                case "AccessDenied" -> new KeyRegistryException.AccessDenied("111122223333", "kms:Decrypt");
                case "AlreadyExists" -> new KeyRegistryException.AlreadyExists("arn:aws:kms:us-east-1:1:alias/x");
                case "Validation" -> new KeyRegistryException.Validation("bad");
                case "NotAuthorized" -> new KeyRegistryException.NotAuthorized("reserved");
                case "Unsupported" -> new KeyRegistryException.Unsupported("no");
                case "MalformedPolicy" -> new KeyRegistryException.MalformedPolicy("not json");
                case "LimitExceeded" -> new KeyRegistryException.LimitExceeded("too big");
                case "InvalidMarker" -> new KeyRegistryException.InvalidMarker();
                default -> throw new AssertionError("unmapped KeyRegistryException subclass " + c);
            };
            S3Exception s3 = ErrorTranslator.translate(k, "R");
            assertTrue(s3.code().status() == 400 || s3.code().status() == 403, c.getName());
            assertEquals(k.getMessage(), s3.getMessage(), c.getName());
        }
    }

    @Test
    void keyResolutionFailuresAreTheKmsErrorsOfSpec45() {
        assertKms("KMS.NotFoundException", "Invalid keyId 'fake-key-id'", new KeyRegistryException.InvalidKeyId("fake-key-id"));
        assertKms("KMS.NotFoundException", "Key '" + KEY_ARN + "' does not exist", new KeyRegistryException.KeyNotFound(KEY_ARN));
        assertKms("KMS.NotFoundException", "Invalid arn us-west-2", new KeyRegistryException.InvalidArn("us-west-2"));
        assertKms("KMS.NotFoundException", "Alias arn:aws:kms:us-east-1:111122223333:alias/x is not found.",
                new KeyRegistryException.AliasNotFound("arn:aws:kms:us-east-1:111122223333:alias/x"));
        assertKms("KMS.DisabledException", KEY_ARN + " is disabled.", new KeyRegistryException.Disabled(KEY_ARN));
        assertKms("KMS.KMSInvalidStateException", KEY_ARN + " is pending deletion.",
                KeyRegistryException.InvalidState.pendingDeletion(KEY_ARN));
        S3Exception denied = ErrorTranslator.translate(new KeyRegistryException.AccessDenied("111122223333",
                "kms:GenerateDataKey"), "R");
        assertEquals(403, denied.code().status());
        assertEquals("AccessDenied", denied.code().code());
    }

    private static void assertKms(String code, String message, KeyRegistryException e) {
        S3Exception s3 = ErrorTranslator.translate(e, "R");
        assertEquals(code, s3.code().code());
        assertEquals(400, s3.code().status());
        assertEquals(message, s3.getMessage());
    }

    @Test
    void integrityFailuresAreInternalErrorsNeverData() {
        for (CryptoException c : List.of(new CryptoException.Tampered("t"), new CryptoException.UnknownFormat("u"))) {
            assertEquals(S3ErrorCode.INTERNAL_ERROR, ErrorTranslator.translate(c, "R").code());
        }
    }
}
