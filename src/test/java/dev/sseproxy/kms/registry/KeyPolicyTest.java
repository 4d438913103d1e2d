package dev.sseproxy.kms.registry;

import static dev.sseproxy.kms.registry.KmsAction.DECRYPT;
import static dev.sseproxy.kms.registry.KmsAction.DESCRIBE_KEY;
import static dev.sseproxy.kms.registry.KmsAction.ENCRYPT;
import static dev.sseproxy.kms.registry.KmsAction.GENERATE_DATA_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.authz.Policy.Verdict;
import dev.sseproxy.authz.Principal;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The honoured subset of key policies (see {@link KeyPolicy}'s documentation). */
class KeyPolicyTest {
    static final String OWNER = "111122223333";
    static final String OTHER = "444455556666";
    static final String ARN = "arn:aws:kms:us-east-1:111122223333:key/0f6c2e8a-1b7d-4c55-9d3e-2a4b6c8d0e1f";

    static String policy(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    static String allow(String principal, String action) {
        return "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":" + principal + "},\"Action\":" + action
                + ",\"Resource\":\"*\"}";
    }

    @Test
    void defaultPolicyGrantsTheOwnerEverythingAndNobodyElseAnything() {
        KeyPolicy p = KeyPolicy.parse(KeyPolicy.defaultPolicy(OWNER));
        for (KmsAction a : KmsAction.values()) {
            assertTrue(p.allows(OWNER, a, ARN), a.name());
            assertFalse(p.allows(OTHER, a, ARN), a.name());
        }
    }

    @Test
    void accountRootArnAndBareAccountIdBothNameTheAccount() {
        KeyPolicy p = KeyPolicy.parse(policy(allow("[\"arn:aws:iam::" + OTHER + ":root\",\"" + OWNER + "\"]",
                "\"kms:Decrypt\"")));
        assertTrue(p.allows(OTHER, DECRYPT, ARN));
        assertTrue(p.allows(OWNER, DECRYPT, ARN));
    }

    @Test
    void aGrantCoversOnlyTheActionsItNames() {
        KeyPolicy p = KeyPolicy.parse(policy(allow("\"" + OTHER + "\"", "[\"kms:Decrypt\"]")));
        assertTrue(p.allows(OTHER, DECRYPT, ARN));
        assertFalse(p.allows(OTHER, GENERATE_DATA_KEY, ARN));
        assertFalse(p.allows(OTHER, ENCRYPT, ARN));
    }

    @Test
    void actionWildcardsMatchCaseInsensitively() {
        KeyPolicy p = KeyPolicy.parse(policy(allow("\"" + OTHER + "\"", "[\"KMS:generatedatakey*\",\"kms:Describe?ey\"]")));
        assertTrue(p.allows(OTHER, GENERATE_DATA_KEY, ARN));
        assertTrue(p.allows(OTHER, DESCRIBE_KEY, ARN));
        assertFalse(p.allows(OTHER, DECRYPT, ARN));
    }

    @Test
    void aMatchingDenyWinsOverAnyAllow() {
        KeyPolicy p = KeyPolicy.parse(policy(allow("\"*\"", "\"kms:*\""),
                "{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"" + OTHER + "\"},\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}"));
        assertFalse(p.allows(OTHER, DECRYPT, ARN));
        assertTrue(p.allows(OTHER, GENERATE_DATA_KEY, ARN));
        assertTrue(p.allows(OWNER, DECRYPT, ARN));
    }

    @Test
    void conditionsAreNotEvaluatedSoTheyFailClosed() {
        String conditionalAllow = "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + OTHER + "\"},\"Action\":\"kms:*\","
                + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"kms:ViaService\":\"s3.us-east-1.amazonaws.com\"}}}";
        assertFalse(KeyPolicy.parse(policy(conditionalAllow)).allows(OTHER, DECRYPT, ARN));
        String conditionalDeny = conditionalAllow.replace("Allow", "Deny");
        assertFalse(KeyPolicy.parse(policy(allow("\"" + OTHER + "\"", "\"kms:*\""), conditionalDeny))
                .allows(OTHER, DECRYPT, ARN));
    }

    @Test
    void aStatementAboutAnotherResourceDoesNotApply() {
        String other = "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + OTHER + "\"},\"Action\":\"kms:*\","
                + "\"Resource\":\"arn:aws:kms:us-east-1:111122223333:key/11111111-1b7d-4c55-9d3e-2a4b6c8d0e1f\"}";
        assertFalse(KeyPolicy.parse(policy(other)).allows(OTHER, DECRYPT, ARN));
        assertTrue(KeyPolicy.parse(policy(other.replace("11111111", "0f6c2e8a"))).allows(OTHER, DECRYPT, ARN));
    }

    @Test
    void starPrincipalGrantsEveryAccount() {
        KeyPolicy p = KeyPolicy.parse("{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:Encrypt\","
                + "\"Resource\":\"*\"}}");
        assertTrue(p.allows(OTHER, ENCRYPT, ARN));
        assertTrue(p.allows("999999999999", ENCRYPT, ARN));
    }

    static final Principal OWNER_ROOT = Principal.account(OWNER);
    static final Principal OTHER_ROOT = Principal.account(OTHER);
    static final Principal ALICE = Principal.user(OTHER, "alice", "/");
    static final Principal BOB = Principal.user(OTHER, "bob", "/");
    static final Principal OWNER_USER = Principal.user(OWNER, "carol", "/team/");

    @Test
    void theDefaultPolicyDelegatesToTheOwnersIdentityPolicies() {
        KeyPolicy p = KeyPolicy.parse(KeyPolicy.defaultPolicy(OWNER));
        assertEquals(Verdict.ALLOW, p.verdict(OWNER_ROOT, DECRYPT, ARN));
        assertEquals(Verdict.ALLOW_ACCOUNT, p.verdict(OWNER_USER, DECRYPT, ARN));
        assertEquals(Verdict.NONE, p.verdict(OTHER_ROOT, DECRYPT, ARN));
        assertEquals(Verdict.NONE, p.verdict(ALICE, DECRYPT, ARN));
    }

    @Test
    void aUserArnNamesThatUserOnlyAndAnAccountNamesItsRootAndDelegatesForItsUsers() {
        KeyPolicy users = KeyPolicy.parse(policy(allow("\"arn:aws:iam::" + OTHER + ":user/alice\"", "\"kms:Decrypt\"")));
        assertEquals(Verdict.ALLOW, users.verdict(ALICE, DECRYPT, ARN));
        assertEquals(Verdict.NONE, users.verdict(BOB, DECRYPT, ARN));
        assertEquals(Verdict.NONE, users.verdict(OTHER_ROOT, DECRYPT, ARN));
        assertEquals(Verdict.NONE, users.verdict(ALICE, GENERATE_DATA_KEY, ARN));
        // the path is part of the ARN
        assertEquals(Verdict.NONE, users.verdict(Principal.user(OTHER, "alice", "/x/"), DECRYPT, ARN));
        KeyPolicy account = KeyPolicy.parse(policy(allow("\"" + OTHER + "\"", "\"kms:Decrypt\"")));
        assertEquals(Verdict.ALLOW, account.verdict(OTHER_ROOT, DECRYPT, ARN));
        assertEquals(Verdict.ALLOW_ACCOUNT, account.verdict(ALICE, DECRYPT, ARN));
        assertEquals(Verdict.NONE, account.verdict(OWNER_USER, DECRYPT, ARN));
        // naming the user itself wins over the account's delegation
        KeyPolicy both = KeyPolicy.parse(policy(allow("\"" + OTHER + "\"", "\"kms:Decrypt\""),
                allow("\"arn:aws:iam::" + OTHER + ":user/alice\"", "\"kms:Decrypt\"")));
        assertEquals(Verdict.ALLOW, both.verdict(ALICE, DECRYPT, ARN));
        assertEquals(Verdict.ALLOW_ACCOUNT, both.verdict(BOB, DECRYPT, ARN));
    }

    @Test
    void aStarPrincipalNamesEveryUserItself() {
        KeyPolicy p = KeyPolicy.parse(policy("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\","
                + "\"Resource\":\"*\"}"));
        assertEquals(Verdict.ALLOW, p.verdict(ALICE, DECRYPT, ARN));
        assertEquals(Verdict.ALLOW, p.verdict(OWNER_USER, DECRYPT, ARN));
    }

    @Test
    void aDenyNamingTheAccountAppliesToEveryUserOfItAndOneNamingAUserToThatUser() {
        String allowAll = allow("\"*\"", "\"kms:*\"");
        KeyPolicy account = KeyPolicy.parse(policy(allowAll, allow("\"arn:aws:iam::" + OTHER + ":root\"", "\"kms:Decrypt\"")
                .replace("Allow", "Deny")));
        assertEquals(Verdict.DENY, account.verdict(ALICE, DECRYPT, ARN));
        assertEquals(Verdict.DENY, account.verdict(OTHER_ROOT, DECRYPT, ARN));
        assertEquals(Verdict.ALLOW, account.verdict(OWNER_USER, DECRYPT, ARN));
        KeyPolicy user = KeyPolicy.parse(policy(allowAll, allow("\"arn:aws:iam::" + OTHER + ":user/alice\"",
                "\"kms:Decrypt\"").replace("Allow", "Deny")));
        assertEquals(Verdict.DENY, user.verdict(ALICE, DECRYPT, ARN));
        assertEquals(Verdict.ALLOW, user.verdict(BOB, DECRYPT, ARN));
        assertEquals(Verdict.ALLOW, user.verdict(OTHER_ROOT, DECRYPT, ARN));
    }

    @Test
    void iamUsersRolesAndServicePrincipalsMatchNobody() {
        KeyPolicy p = KeyPolicy.parse(policy(allow("[\"arn:aws:iam::" + OTHER + ":user/alice\",\"arn:aws:iam::" + OTHER
                + ":role/r\"]", "\"kms:*\""), "{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"s3.amazonaws.com\"},"
                + "\"Action\":\"kms:*\",\"Resource\":\"*\"}"));
        assertFalse(p.allows(OTHER, DECRYPT, ARN));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[]", "{}", "{\"Statement\":[]}", "{\"Version\":\"2020-01-01\",\"Statement\":{}}",
        "{\"Statement\":{\"Effect\":\"Maybe\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\"}}",
        "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"kms:*\",\"Resource\":\"*\"}}",
        "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"bob\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}}",
        "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}}",
        "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\"}}",
        "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"NotAction\":\"kms:Decrypt\",\"Resource\":\"*\"}}",
        "{\"Statement\":{\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":\"111122223333\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}}"})
    void documentsOutsideTheSubsetAreMalformed(String document) {
        assertThrows(KeyRegistryException.MalformedPolicy.class, () -> KeyPolicy.parse(document));
    }

    @Test
    void aPolicyOver32KiBExceedsTheLimitAsKmsSays() {
        String base = policy(allow("\"" + OTHER + "\"", "\"kms:*\""));
        String padded = base.replace("\"2012-10-17\"", "\"2012-10-17\",\"Id\":\"\"");
        String exact = padded.replace("\"Id\":\"\"", "\"Id\":\"" + "x".repeat(KeyPolicy.MAX_BYTES - padded.length()) + "\"");
        assertEquals(KeyPolicy.MAX_BYTES, exact.length());
        assertTrue(KeyPolicy.parse(exact).allows(OTHER, DECRYPT, ARN));
        String over = exact.replace("\"Id\":\"x", "\"Id\":\"xx");
        assertThrows(KeyRegistryException.LimitExceeded.class, () -> KeyPolicy.parse(over));
        // bytes, not characters: é is two bytes in UTF-8
        String overInBytes = exact.replace("\"Id\":\"x", "\"Id\":\"\u00e9");
        assertEquals(KeyPolicy.MAX_BYTES, overInBytes.length());
        assertThrows(KeyRegistryException.LimitExceeded.class, () -> KeyPolicy.parse(overInBytes));
        assertFalse(KeyPolicy.parseStored(over).allows(OTHER, DECRYPT, ARN));
    }

    @Test
    void moreStatementsThanTheBoundExceedTheLimit() {
        String one = "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}";
        String[] max = new String[KeyPolicy.MAX_STATEMENTS];
        java.util.Arrays.fill(max, one);
        assertFalse(KeyPolicy.parse(policy(max)).allows(OWNER, DECRYPT, ARN));
        String[] over = java.util.Arrays.copyOf(max, KeyPolicy.MAX_STATEMENTS + 1);
        over[KeyPolicy.MAX_STATEMENTS] = one;
        assertThrows(KeyRegistryException.LimitExceeded.class, () -> KeyPolicy.parse(policy(over)));
    }

    @Test
    void theReDoSPolicyIsParsedAndEvaluatedWellUnderASecond() {
        String redos = "\"kms:" + "*".repeat(40) + "q\"";
        String document = policy(allow("\"" + OTHER + "\"", redos), allow("\"" + OWNER + "\"", "\"kms:*\""),
                "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":" + redos + ",\"Resource\":\"*\"}");
        assertTimeoutPreemptively(Duration.ofSeconds(1), () -> {
            KeyPolicy p = KeyPolicy.parse(document);
            for (KmsAction a : KmsAction.values()) {
                assertFalse(p.allows(OTHER, a, ARN), a.name());
                assertTrue(p.allows(OWNER, a, ARN), a.name());
            }
        });
    }

    @Test
    void aFullSizePolicyOfPathologicalPatternsIsParsedWellUnderASecond() {
        // as many "kms:*?*?…" patterns as fit in 32 KiB: every byte of the document is pattern work
        String pattern = "\"kms:" + "*?".repeat(60) + "q\"";
        StringBuilder actions = new StringBuilder(pattern);
        String frame = policy(allow("\"" + OTHER + "\"", "[]"));
        while (frame.length() + actions.length() + pattern.length() + 1 < KeyPolicy.MAX_BYTES) {
            actions.append(',').append(pattern);
        }
        String document = policy(allow("\"" + OTHER + "\"", "[" + actions + "]"));
        assertTimeoutPreemptively(Duration.ofSeconds(1), () -> {
            KeyPolicy p = KeyPolicy.parse(document);
            assertFalse(p.allows(OTHER, GENERATE_DATA_KEY, ARN));
        });
    }

    @Test
    void aStoredPolicyThatNoLongerParsesGrantsNothing() {
        assertFalse(KeyPolicy.parseStored("garbage").allows(OWNER, DECRYPT, ARN));
    }

    @Test
    void theAwsManagedS3PolicyIsAValidDocument() {
        KeyPolicy p = KeyPolicy.parse(KeyPolicy.awsManagedS3Policy(OWNER, "us-east-1"));
        // its use statement is conditional (via S3 only), so it grants the account metadata access only
        assertTrue(p.allows(OWNER, DESCRIBE_KEY, ARN));
        assertFalse(p.allows(OTHER, DESCRIBE_KEY, ARN));
        assertEquals(false, p.allows(OTHER, DECRYPT, ARN));
    }
}
