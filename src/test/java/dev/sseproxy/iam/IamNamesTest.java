package dev.sseproxy.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** IAM's name, path and ARN constraints, with IAM's ValidationError messages. */
class IamNamesTest {
    @ParameterizedTest
    @ValueSource(strings = {"a", "Alice", "alice.b+c=d,e@f-g_h", "0123456789012345678901234567890123456789012345678901234567890123"})
    void validUserNames(String name) {
        assertEquals(name, IamNames.userName("userName", name));
    }

    @Test
    void aUserNameWithASpaceIsAValidationError() {
        IamException e = assertThrows(IamException.class, () -> IamNames.userName("userName", "a b"));
        assertEquals(IamErrorCode.VALIDATION_ERROR, e.code());
        assertEquals("1 validation error detected: Value 'a b' at 'userName' failed to satisfy constraint: "
                + "Member must satisfy regular expression pattern: [\\w+=,.@-]+", e.getMessage());
    }

    @Test
    void tooLongEmptyAndMissingNames() {
        assertEquals("1 validation error detected: Value '" + "a".repeat(65) + "' at 'userName' failed to satisfy "
                + "constraint: Member must have length less than or equal to 64",
                assertThrows(IamException.class, () -> IamNames.userName("userName", "a".repeat(65))).getMessage());
        assertEquals("1 validation error detected: Value '' at 'userName' failed to satisfy constraint: Member must "
                + "have length greater than or equal to 1",
                assertThrows(IamException.class, () -> IamNames.userName("userName", "")).getMessage());
        assertEquals("1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must "
                + "not be null", assertThrows(IamException.class, () -> IamNames.userName("userName", null)).getMessage());
        assertEquals(128, IamNames.policyName("policyName", "p".repeat(128)).length());
        assertThrows(IamException.class, () -> IamNames.policyName("policyName", "p".repeat(129)));
    }

    @ParameterizedTest
    @CsvSource({"/,true", "/division/,true", "/a/b/,true", "division/,false", "/division,false", "/a b/,false", "//,true"})
    void paths(String path, boolean valid) {
        if (valid) {
            assertEquals(path, IamNames.path("path", path));
        } else {
            assertEquals(IamErrorCode.VALIDATION_ERROR,
                    assertThrows(IamException.class, () -> IamNames.path("path", path)).code());
        }
    }

    @Test
    void anAbsentPathIsTheRoot() {
        assertEquals("/", IamNames.path("path", null));
        assertEquals("/", IamNames.pathPrefix("pathPrefix", null));
    }

    @Test
    void policyArnsSplitIntoAccountPathAndName() {
        assertEquals(new IamNames.PolicyArn("111122223333", "/", "p"),
                IamNames.policyArn("policyArn", "arn:aws:iam::111122223333:policy/p"));
        assertEquals(new IamNames.PolicyArn("111122223333", "/team/a/", "Read.Only"),
                IamNames.policyArn("policyArn", "arn:aws:iam::111122223333:policy/team/a/Read.Only"));
        IamException managed = assertThrows(IamException.class,
                () -> IamNames.policyArn("policyArn", "arn:aws:iam::aws:policy/AdministratorAccess"));
        assertEquals(IamErrorCode.NO_SUCH_ENTITY, managed.code());
        assertEquals("Policy arn:aws:iam::aws:policy/AdministratorAccess does not exist or is not attachable.",
                managed.getMessage());
        assertEquals(IamErrorCode.VALIDATION_ERROR,
                assertThrows(IamException.class, () -> IamNames.policyArn("policyArn", "not-an-arn-at-all-xxxxx")).code());
    }

    @Test
    void accessKeyIds() {
        assertEquals("AKIAIOSFODNN7EXAMPLE", IamNames.accessKeyId("accessKeyId", "AKIAIOSFODNN7EXAMPLE"));
        assertThrows(IamException.class, () -> IamNames.accessKeyId("accessKeyId", "short"));
        assertThrows(IamException.class, () -> IamNames.accessKeyId("accessKeyId", "AKIA-IOSFODNN7EXAMPLE"));
    }
}
