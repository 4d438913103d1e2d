package dev.sseproxy.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.auth.AuthException;
import dev.sseproxy.backend.BackendException;
import dev.sseproxy.catalog.CatalogException;
import dev.sseproxy.crypto.CryptoException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every domain failure maps to a deliberate S3 error; none falls through to InternalError by accident. */
class ErrorTranslatorTest {

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
    void integrityFailuresAreInternalErrorsNeverData() {
        for (CryptoException c : List.of(new CryptoException.Tampered("t"), new CryptoException.UnknownFormat("u"))) {
            assertEquals(S3ErrorCode.INTERNAL_ERROR, ErrorTranslator.translate(c, "R").code());
        }
    }
}
