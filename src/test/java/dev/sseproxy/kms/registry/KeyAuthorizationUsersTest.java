package dev.sseproxy.kms.registry;

import static dev.sseproxy.kms.registry.KeyAuthorizationTest.ARN;
import static dev.sseproxy.kms.registry.KeyAuthorizationTest.GRANTED;
import static dev.sseproxy.kms.registry.KeyAuthorizationTest.OWNER;
import static dev.sseproxy.kms.registry.KeyAuthorizationTest.OWNER_ALL;
import static dev.sseproxy.kms.registry.KeyAuthorizationTest.REGION;
import static dev.sseproxy.kms.registry.KeyAuthorizationTest.key;
import static dev.sseproxy.kms.registry.KeyAuthorizationTest.policy;
import static dev.sseproxy.kms.registry.KeyAuthorizationTest.statement;
import static dev.sseproxy.kms.registry.KmsAction.CREATE_KEY;
import static dev.sseproxy.kms.registry.KmsAction.DECRYPT;
import static dev.sseproxy.kms.registry.KmsAction.GENERATE_DATA_KEY;
import static dev.sseproxy.kms.registry.KmsAction.LIST_KEYS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.authz.Policy;
import dev.sseproxy.authz.Principal;
import dev.sseproxy.kms.registry.KeyAuthorization.Via;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who may use a key, for IAM users: the key policy and the user's identity policies (real
 * {@link Policy#identityPolicy} documents) weighed as the package documentation says, table-driven.
 */
class KeyAuthorizationUsersTest {
    static final Principal OWNER_USER = Principal.user(OWNER, "carol", "/");
    static final Principal GRANTED_USER = Principal.user(GRANTED, "bob", "/");
    static final String BOB_ARN = "arn:aws:iam::" + GRANTED + ":user/bob";

    static String identity(String effect, String actions, String resource) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"" + effect + "\",\"Action\":" + actions
                + ",\"Resource\":\"" + resource + "\"}]}";
    }

    static final String USE_THIS_KEY = identity("Allow", "[\"kms:GenerateDataKey\",\"kms:Decrypt\"]", ARN);
    static final String DECRYPT_THIS_KEY = identity("Allow", "\"kms:Decrypt\"", ARN);
    static final String USE_OTHER_KEY = identity("Allow", "\"kms:*\"", ARN.replace("0f6c2e8a", "11111111"));
    static final String USE_ANY_KEY = identity("Allow", "\"kms:*\"", "*");
    static final String DENY_KMS = identity("Deny", "\"kms:*\"", "*");

    static KeyRequester user(Principal p, String... identityPolicies) {
        return new KeyRequester(p, Arrays.stream(identityPolicies).map(Policy::identityPolicy).toList());
    }

    static Stream<Arguments> users() {
        String dflt = KeyPolicy.defaultPolicy(OWNER);
        String grantAccount = policy(OWNER_ALL, statement("Allow", "\"arn:aws:iam::" + GRANTED + ":root\"",
                "[\"kms:GenerateDataKey\",\"kms:Decrypt\"]"));
        String grantBob = policy(OWNER_ALL, statement("Allow", "\"" + BOB_ARN + "\"", "\"kms:*\""));
        String grantCarol = policy(OWNER_ALL, statement("Allow", "\"arn:aws:iam::" + OWNER + ":user/carol\"", "\"kms:*\""));
        String star = policy(OWNER_ALL, statement("Allow", "\"*\"", "\"kms:Decrypt\""));
        String denyBob = policy(OWNER_ALL, statement("Allow", "\"arn:aws:iam::" + GRANTED + ":root\"",
                "[\"kms:GenerateDataKey\",\"kms:Decrypt\"]"), statement("Deny", "\"" + BOB_ARN + "\"", "\"kms:Decrypt\""));
        return Stream.of(
                // the owner's users: the default policy delegates to their identity policies
                Arguments.of("owner's user, default policy, identity allows", dflt, OWNER_USER, List.of(USE_THIS_KEY), DECRYPT, true),
                Arguments.of("owner's user, default policy, no identity policy", dflt, OWNER_USER, List.of(), DECRYPT, false),
                Arguments.of("owner's user, identity for another key", dflt, OWNER_USER, List.of(USE_OTHER_KEY), DECRYPT, false),
                Arguments.of("owner's user, identity kms:* on *", dflt, OWNER_USER, List.of(USE_ANY_KEY), GENERATE_DATA_KEY, true),
                Arguments.of("owner's user, identity allows decrypt only", dflt, OWNER_USER, List.of(DECRYPT_THIS_KEY),
                        GENERATE_DATA_KEY, false),
                Arguments.of("owner's user named by the key policy needs no identity policy", grantCarol, OWNER_USER,
                        List.of(), DECRYPT, true),
                Arguments.of("owner's user, star key policy needs no identity policy", star, OWNER_USER, List.of(), DECRYPT, true),
                Arguments.of("owner's user, identity deny beats the key policy", grantCarol, OWNER_USER, List.of(DENY_KMS),
                        DECRYPT, false),
                Arguments.of("owner's user, identity deny beats an identity allow", dflt, OWNER_USER,
                        List.of(USE_THIS_KEY, DENY_KMS), DECRYPT, false),
                // another account's users: both sides
                Arguments.of("granted account's user with identity allow", grantAccount, GRANTED_USER, List.of(USE_THIS_KEY),
                        GENERATE_DATA_KEY, true),
                Arguments.of("granted account's user without identity policy", grantAccount, GRANTED_USER, List.of(),
                        GENERATE_DATA_KEY, false),
                Arguments.of("granted account's user, identity for another key", grantAccount, GRANTED_USER,
                        List.of(USE_OTHER_KEY), DECRYPT, false),
                Arguments.of("user named by ARN still needs its identity policy", grantBob, GRANTED_USER, List.of(), DECRYPT, false),
                Arguments.of("user named by ARN with identity allow", grantBob, GRANTED_USER, List.of(USE_THIS_KEY), DECRYPT, true),
                Arguments.of("star key policy, foreign user without identity", star, GRANTED_USER, List.of(), DECRYPT, false),
                Arguments.of("star key policy, foreign user with identity", star, GRANTED_USER, List.of(USE_ANY_KEY), DECRYPT, true),
                Arguments.of("key policy without the account, identity allows", dflt, GRANTED_USER, List.of(USE_ANY_KEY),
                        DECRYPT, false),
                Arguments.of("key policy denies the user", denyBob, GRANTED_USER, List.of(USE_THIS_KEY), DECRYPT, false),
                Arguments.of("key policy's deny of decrypt leaves generate", denyBob, GRANTED_USER, List.of(USE_THIS_KEY),
                        GENERATE_DATA_KEY, true),
                Arguments.of("granted account's other action refused", grantAccount, GRANTED_USER, List.of(USE_ANY_KEY),
                        KmsAction.DISABLE_KEY, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("users")
    void aUserMayUseAKeyAsAwsKmsDecides(String name, String keyPolicy, Principal who, List<String> identity,
            KmsAction action, boolean allowed) {
        assertEquals(allowed, KeyAuthorization.permitted(key(KeyManager.CUSTOMER, keyPolicy),
                user(who, identity.toArray(String[]::new)), action, Via.S3, REGION));
    }

    @Test
    void theAwsManagedKeyServesTheUsersOfItsAccountBarAnIdentityDeny() {
        var awsS3 = key(KeyManager.AWS, KeyPolicy.awsManagedS3Policy(OWNER, REGION));
        assertTrue(KeyAuthorization.permitted(awsS3, user(OWNER_USER), GENERATE_DATA_KEY, Via.S3, REGION));
        assertFalse(KeyAuthorization.permitted(awsS3, user(OWNER_USER, DENY_KMS), GENERATE_DATA_KEY, Via.S3, REGION));
        assertFalse(KeyAuthorization.permitted(awsS3, user(GRANTED_USER, USE_ANY_KEY), DECRYPT, Via.S3, REGION));
    }

    @Test
    void identityConditionsSeeTheKmsConditionKeys() {
        String viaS3 = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\","
                + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"kms:ViaService\":\"s3.us-east-1.amazonaws.com\","
                + "\"kms:CallerAccount\":\"" + OWNER + "\"}}}]}";
        var loaded = key(KeyManager.CUSTOMER, KeyPolicy.defaultPolicy(OWNER));
        assertTrue(KeyAuthorization.permitted(loaded, user(OWNER_USER, viaS3), DECRYPT, Via.S3, REGION));
        assertFalse(KeyAuthorization.permitted(loaded, user(OWNER_USER, viaS3), DECRYPT, Via.DIRECT, REGION));
        assertFalse(KeyAuthorization.permitted(loaded, user(OWNER_USER, viaS3), DECRYPT, Via.S3, "eu-west-1"));
    }

    @Test
    void accountScopedActionsNeedAnIdentityAllowForAUser() {
        assertTrue(KeyAuthorization.permittedInAccount(KeyRequester.root(OWNER), CREATE_KEY, REGION));
        assertFalse(KeyAuthorization.permittedInAccount(user(OWNER_USER), CREATE_KEY, REGION));
        assertTrue(KeyAuthorization.permittedInAccount(user(OWNER_USER, USE_ANY_KEY), CREATE_KEY, REGION));
        assertFalse(KeyAuthorization.permittedInAccount(user(OWNER_USER, USE_THIS_KEY), LIST_KEYS, REGION));
        assertFalse(KeyAuthorization.permittedInAccount(user(OWNER_USER, USE_ANY_KEY, DENY_KMS), LIST_KEYS, REGION));
    }

    @Test
    void aDeniedUserIsNamedByItsArnInKmsMessage() {
        assertEquals("User: " + BOB_ARN + " is not authorized to perform: kms:Decrypt on this resource because the "
                + "resource does not exist in this Region, no resource-based policies allow access, or a resource-based "
                + "policy explicitly denies access",
                new KeyRegistryException.AccessDenied(user(GRANTED_USER), "kms:Decrypt").getMessage());
    }
}
