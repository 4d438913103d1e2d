package dev.sseproxy.kms.registry;

import static dev.sseproxy.kms.registry.KmsAction.DECRYPT;
import static dev.sseproxy.kms.registry.KmsAction.GENERATE_DATA_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sseproxy.kms.registry.KeyAuthorization.Via;
import dev.sseproxy.kms.registry.KeyResolution.LoadedKey;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who may use a key (the rule of the package documentation), table-driven: account roots here; IAM
 * users with identity policies in {@code KeyAuthorizationUsersTest}.
 */
class KeyAuthorizationTest {
    static final String REGION = "us-east-1";
    /** The key owner (C), a granted account (B), an account the policy does not name (D). */
    static final String OWNER = "333333333333";
    static final String GRANTED = "222222222222";
    static final String STRANGER = "444444444444";
    static final UUID ID = UUID.fromString("0f6c2e8a-1b7d-4c55-9d3e-2a4b6c8d0e1f");
    static final String ARN = KeyIdentifier.keyArn(REGION, OWNER, ID);

    static LoadedKey key(KeyManager manager, String policy) {
        return LoadedKey.of(new KmsKey(ID, OWNER, ARN, "sse-proxy-" + ID, "", manager, KeyState.ENABLED, null, policy,
                Instant.parse("2026-12-06T10:00:00Z")));
    }

    static String policy(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    static String statement(String effect, String principals, String actions) {
        return "{\"Effect\":\"" + effect + "\",\"Principal\":{\"AWS\":" + principals + "},\"Action\":" + actions
                + ",\"Resource\":\"*\"}";
    }

    static final String OWNER_ALL = statement("Allow", "\"arn:aws:iam::" + OWNER + ":root\"", "\"kms:*\"");
    static final String GRANT_USE = statement("Allow", "\"arn:aws:iam::" + GRANTED + ":root\"",
            "[\"kms:GenerateDataKey\",\"kms:Decrypt\"]");

    static Stream<Arguments> roots() {
        String shared = policy(OWNER_ALL, GRANT_USE);
        String decryptOnly = policy(OWNER_ALL, statement("Allow", "\"" + GRANTED + "\"", "\"kms:Decrypt\""));
        String denyGranted = policy(OWNER_ALL, GRANT_USE, statement("Deny", "\"" + GRANTED + "\"", "\"kms:Decrypt\""));
        String star = policy(statement("Allow", "\"*\"", "\"kms:Decrypt\""));
        String withoutOwner = policy(GRANT_USE);
        String userOnly = policy(OWNER_ALL, statement("Allow", "\"arn:aws:iam::" + GRANTED + ":user/bob\"", "\"kms:*\""));
        return Stream.of(
                Arguments.of("owner, default policy", KeyPolicy.defaultPolicy(OWNER), OWNER, GENERATE_DATA_KEY, true),
                Arguments.of("other account, default policy", KeyPolicy.defaultPolicy(OWNER), GRANTED, DECRYPT, false),
                Arguments.of("granted account, generate", shared, GRANTED, GENERATE_DATA_KEY, true),
                Arguments.of("granted account, decrypt", shared, GRANTED, DECRYPT, true),
                Arguments.of("stranger, shared key", shared, STRANGER, DECRYPT, false),
                Arguments.of("granted decrypt only: generate refused", decryptOnly, GRANTED, GENERATE_DATA_KEY, false),
                Arguments.of("granted decrypt by bare id", decryptOnly, GRANTED, DECRYPT, true),
                Arguments.of("deny wins over the grant", denyGranted, GRANTED, DECRYPT, false),
                Arguments.of("deny of another action leaves the grant", denyGranted, GRANTED, GENERATE_DATA_KEY, true),
                Arguments.of("star: any root", star, STRANGER, DECRYPT, true),
                Arguments.of("owner not in its own policy", withoutOwner, OWNER, DECRYPT, false),
                Arguments.of("a user ARN does not name its root", userOnly, GRANTED, DECRYPT, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roots")
    void aRootMayUseAKeyWhenTheKeyPolicyNamesItsAccount(String name, String policy, String requester, KmsAction action,
            boolean allowed) {
        assertEquals(allowed, KeyAuthorization.permitted(key(KeyManager.CUSTOMER, policy), KeyRequester.root(requester),
                action, Via.S3, REGION));
    }

    static Stream<Arguments> awsManaged() {
        return Stream.of(Arguments.of(OWNER, true), Arguments.of(GRANTED, false), Arguments.of(STRANGER, false));
    }

    @ParameterizedTest(name = "aws/s3 of {0}'s owner: {1}")
    @MethodSource("awsManaged")
    void theAwsManagedKeyServesItsOwnAccountOnlyWhateverItsPolicySays(String requester, boolean allowed) {
        LoadedKey awsS3 = key(KeyManager.AWS, policy(statement("Allow", "\"*\"", "\"kms:*\"")));
        assertEquals(allowed, KeyAuthorization.permitted(awsS3, KeyRequester.root(requester), DECRYPT, Via.S3, REGION));
    }
}
