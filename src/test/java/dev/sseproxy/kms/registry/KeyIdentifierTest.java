package dev.sseproxy.kms.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class KeyIdentifierTest {
    static final UUID ID = UUID.fromString("0f6c2e8a-1b7d-4c55-9d3e-2a4b6c8d0e1f");

    @Test
    void parsesTheFourFormsOfSpec41() {
        assertEquals(new KeyIdentifier.KeyId(ID), KeyIdentifier.parse(ID.toString()));
        assertEquals(new KeyIdentifier.KeyArn("eu-west-1", "111122223333", ID),
                KeyIdentifier.parse("arn:aws:kms:eu-west-1:111122223333:key/" + ID));
        assertEquals(new KeyIdentifier.AliasName("alias/payments"), KeyIdentifier.parse("alias/payments"));
        assertEquals(new KeyIdentifier.AliasArn("eu-west-1", "111122223333", "alias/payments"),
                KeyIdentifier.parse("arn:aws:kms:eu-west-1:111122223333:alias/payments"));
    }

    @Test
    void upperCaseKeyIdsNameTheSameKey() {
        assertEquals(new KeyIdentifier.KeyId(ID), KeyIdentifier.parse(ID.toString().toUpperCase()));
    }

    @Test
    void fakeKeyIdIsInvalidWithTheS3Message() {
        KeyRegistryException e = assertThrows(KeyRegistryException.InvalidKeyId.class,
                () -> KeyIdentifier.parse("fake-key-id"));
        assertEquals("Invalid keyId 'fake-key-id'", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"aws/s3", "", "alias/", "alias/a b", "0f6c2e8a1b7d4c559d3e2a4b6c8d0e1f",
        "arn:aws:kms:us-east-1:111122223333:key/not-a-uuid", "arn:aws:s3:::bucket",
        "arn:aws:kms:us-east-1:1234:key/0f6c2e8a-1b7d-4c55-9d3e-2a4b6c8d0e1f", "mrk-1234abcd12ab34cd56ef1234567890ab"})
    void anythingElseIsAnInvalidKeyId(String value) {
        assertThrows(KeyRegistryException.InvalidKeyId.class, () -> KeyIdentifier.parse(value));
    }

    @Test
    void arnsAreBuiltAsAwsWritesThem() {
        assertEquals("arn:aws:kms:us-east-1:111122223333:key/" + ID, KeyIdentifier.keyArn("us-east-1", "111122223333", ID));
        assertEquals("arn:aws:kms:us-east-1:111122223333:alias/x",
                KeyIdentifier.aliasArn("us-east-1", "111122223333", "alias/x"));
    }
}
