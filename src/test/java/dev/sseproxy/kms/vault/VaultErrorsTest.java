package dev.sseproxy.kms.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.sseproxy.kms.KmsException;
import io.github.jopenlibs.vault.VaultException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Vault's answers (status + {@code errors}, texts from Vault's transit backend) and the KmsException each becomes. */
class VaultErrorsTest {

    static Stream<Arguments> answers() {
        return Stream.of(
                Arguments.of(TransitOp.DATAKEY, 403, "permission denied", KmsException.AccessDenied.class),
                Arguments.of(TransitOp.DECRYPT, 403, "permission denied", KmsException.AccessDenied.class),
                Arguments.of(TransitOp.LOGIN, 400, "invalid role or secret ID", KmsException.AccessDenied.class),
                Arguments.of(TransitOp.READ_KEY, 404, "", KmsException.NotFound.class),
                Arguments.of(TransitOp.DATAKEY, 400, "encryption key not found", KmsException.NotFound.class),
                Arguments.of(TransitOp.DECRYPT, 400, "encryption key not found", KmsException.NotFound.class),
                Arguments.of(TransitOp.ROTATE_KEY, 400, "key not found", KmsException.NotFound.class),
                Arguments.of(TransitOp.CONFIGURE_KEY, 400, "no existing key named k could be found", KmsException.NotFound.class),
                Arguments.of(TransitOp.ENCRYPT, 429, "request path \"transit/encrypt/k\": rate limit quota exceeded",
                        KmsException.Throttled.class),
                Arguments.of(TransitOp.DATAKEY, 503, "Vault is sealed", KmsException.Unavailable.class),
                Arguments.of(TransitOp.DATAKEY, 500, "internal error", KmsException.Unavailable.class),
                Arguments.of(TransitOp.DATAKEY, 412, "", KmsException.Unavailable.class),
                Arguments.of(TransitOp.DECRYPT, 400, "cipher: message authentication failed", KmsException.InvalidCiphertext.class),
                Arguments.of(TransitOp.DECRYPT, 400, "invalid ciphertext: no prefix", KmsException.InvalidCiphertext.class),
                Arguments.of(TransitOp.REWRAP, 400, "ciphertext or signature version is disallowed by policy (too old)",
                        KmsException.InvalidCiphertext.class),
                Arguments.of(TransitOp.DATAKEY, 400, "missing 'context' for key derivation", KmsException.UnusableKey.class),
                Arguments.of(TransitOp.ENCRYPT, 400, "message encryption not supported for key type ed25519",
                        KmsException.UnusableKey.class));
    }

    @ParameterizedTest
    @MethodSource("answers")
    void eachVaultAnswerBecomesItsKmsException(TransitOp op, int status, String error, Class<? extends KmsException> expected) {
        byte[] body = ("{\"errors\":[\"" + error.replace("\"", "\\\"") + "\"]}").getBytes(StandardCharsets.UTF_8);
        KmsException e = VaultErrors.fromResponse(op, "k", status, body);
        assertInstanceOf(expected, e);
        assertEquals(true, e.getMessage().contains(error), e.getMessage());
    }

    @Test
    void transportFailuresAreUnavailableWithoutTheDriversMessage() {
        VaultException driver = new VaultException(new ConnectException("Connection refused"));
        KmsException e = VaultErrors.fromDriver(TransitOp.DATAKEY, "k", driver);
        assertInstanceOf(KmsException.Unavailable.class, e);
        assertInstanceOf(ConnectException.class, e.getCause());
    }

    @Test
    void serverErrorsFromTheDriverDoNotCopyTheResponseBody() {
        VaultException driver = new VaultException("Expecting HTTP status 204 or 200, but instead receiving 503\n"
                + "Response body: {\"errors\":[\"secret-ish detail\"]}", 503);
        KmsException e = VaultErrors.fromDriver(TransitOp.DATAKEY, "k", driver);
        assertInstanceOf(KmsException.Unavailable.class, e);
        assertFalse(e.getMessage().contains("secret-ish"));
    }

    @Test
    void aBodyThatIsNotVaultsErrorShapeStillMapsByStatus() {
        assertInstanceOf(KmsException.Throttled.class,
                VaultErrors.fromResponse(TransitOp.DATAKEY, "k", 429, "<html>slow down</html>".getBytes()));
    }
}
