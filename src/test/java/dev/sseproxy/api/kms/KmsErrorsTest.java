package dev.sseproxy.api.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.api.kms.KmsErrors.KmsError;
import dev.sseproxy.auth.AuthException;
import dev.sseproxy.kms.KmsException;
import dev.sseproxy.kms.registry.KeyRegistryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every failure reaches a KMS API client as a named AWS exception; none falls through to KMSInternalException. */
class KmsErrorsTest {

    @Test
    void everyKeyRegistryFailureHasItsKmsExceptionName() {
        for (Class<?> c : KeyRegistryException.class.getPermittedSubclasses()) {
            String type = KmsErrors.REGISTRY_TYPES.get(c);
            assertTrue(type != null && type.endsWith("Exception"), "unmapped " + c.getName());
        }
        assertEquals(KeyRegistryException.class.getPermittedSubclasses().length, KmsErrors.REGISTRY_TYPES.size());
    }

    @Test
    void registryFailuresAre400WithTheirMessage() {
        KmsError e = KmsErrors.of(new KeyRegistryException.Disabled("arn:k"), "R");
        assertEquals(new KmsError(400, "DisabledException", "arn:k is disabled."), e);
        assertEquals("KMSInvalidStateException",
                KmsErrors.of(KeyRegistryException.InvalidState.pendingDeletion("arn:k"), "R").type());
        assertEquals("NotFoundException", KmsErrors.of(new KeyRegistryException.InvalidArn("us-west-2"), "R").type());
    }

    @ParameterizedTest
    @EnumSource(AuthException.Kind.class)
    void everyAuthenticationFailureIsAClientError(AuthException.Kind kind) {
        KmsError e = KmsErrors.of(new AuthException(kind), "R");
        assertEquals(400, e.status(), kind.name());
        assertTrue(e.type().endsWith("Exception"), kind.name());
    }

    @Test
    void backendOutagesAreDependencyTimeoutsAndThrottlingIsThrottling() {
        assertEquals(new KmsError(503, "DependencyTimeoutException", "The KMS backend is unavailable. Please try again."),
                KmsErrors.of(new KmsException.Unavailable("down"), "R"));
        assertEquals("ThrottlingException", KmsErrors.of(new KmsException.Throttled("q"), "R").type());
    }

    @Test
    void anythingUnexpectedIsAnInternalErrorWithoutItsMessage() {
        KmsError e = KmsErrors.of(new IllegalStateException("secret detail"), "R");
        assertEquals(500, e.status());
        assertEquals("KMSInternalException", e.type());
        assertTrue(!e.message().contains("secret detail"));
    }
}
