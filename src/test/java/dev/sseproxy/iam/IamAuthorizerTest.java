package dev.sseproxy.iam;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.authz.Policy;
import dev.sseproxy.catalog.Credential;
import dev.sseproxy.catalog.IamUser;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who may call which IAM action: a root everything in its account, a user what its identity policies allow. */
class IamAuthorizerTest {
    static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    static final String ACCT = "111122223333";
    static final IamUser BOB = new IamUser(ACCT, "bob", "/", "AIDABBBBBBBBBBBBBBBBB", NOW);
    static final String ALICE_ARN = "arn:aws:iam::" + ACCT + ":user/alice";

    static Credential user(String... documents) {
        return new Credential("AKIABOB0000000000001", ACCT, "s", BOB,
                java.util.Arrays.stream(documents).map(Policy::identityPolicy).toList());
    }

    static String statement(String effect, String action, String resource) {
        return "{\"Effect\":\"" + effect + "\",\"Action\":\"" + action + "\",\"Resource\":\"" + resource + "\"}";
    }

    static String policy(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    @Test
    void aRootMayDoEverythingInItsAccount() {
        assertDoesNotThrow(() -> IamAuthorizer.require(new Credential("AKROOT", ACCT, "s"), "DeleteUser", ALICE_ARN, NOW));
    }

    @Test
    void aUserWithoutPoliciesIsDeniedWithIamsMessage() {
        IamException e = assertThrows(IamException.class, () -> IamAuthorizer.require(user(), "CreateUser", ALICE_ARN, NOW));
        assertEquals(IamErrorCode.ACCESS_DENIED, e.code());
        assertEquals("User: arn:aws:iam::111122223333:user/bob is not authorized to perform: iam:CreateUser on resource: "
                + ALICE_ARN + " because no identity-based policy allows the iam:CreateUser action", e.getMessage());
    }

    @Test
    void anAllowOnTheActionAndResourceAllows() {
        Credential c = user(policy(statement("Allow", "iam:CreateUser", "arn:aws:iam::" + ACCT + ":user/*")));
        assertDoesNotThrow(() -> IamAuthorizer.require(c, "CreateUser", ALICE_ARN, NOW));
        assertThrows(IamException.class, () -> IamAuthorizer.require(c, "DeleteUser", ALICE_ARN, NOW), "another action");
        assertThrows(IamException.class, () -> IamAuthorizer.require(c, "CreateUser",
                "arn:aws:iam::" + ACCT + ":policy/p", NOW), "another resource");
    }

    @Test
    void wildcardsInActionsMatchCaseInsensitively() {
        Credential c = user(policy(statement("Allow", "IAM:Get*", "*")));
        assertDoesNotThrow(() -> IamAuthorizer.require(c, "GetUser", ALICE_ARN, NOW));
        assertDoesNotThrow(() -> IamAuthorizer.require(c, "GetUserPolicy", ALICE_ARN, NOW));
        assertThrows(IamException.class, () -> IamAuthorizer.require(c, "ListUsers", ALICE_ARN, NOW));
    }

    @Test
    void aDenyInAnyPolicyWinsWithTheExplicitDenyMessage() {
        Credential c = user(policy(statement("Allow", "iam:*", "*")), policy(statement("Deny", "iam:DeleteUser", ALICE_ARN)));
        IamException e = assertThrows(IamException.class, () -> IamAuthorizer.require(c, "DeleteUser", ALICE_ARN, NOW));
        assertTrue(e.getMessage().endsWith("with an explicit deny in an identity-based policy"), e.getMessage());
        assertDoesNotThrow(() -> IamAuthorizer.require(c, "DeleteUser", "arn:aws:iam::" + ACCT + ":user/carol", NOW));
    }

    @Test
    void s3PermissionsGrantNoIamAction() {
        Credential c = user(policy(statement("Allow", "s3:*", "*")));
        assertThrows(IamException.class, () -> IamAuthorizer.require(c, "ListUsers", "arn:aws:iam::" + ACCT + ":user/", NOW));
    }

    @Test
    void conditionsSeeTheCurrentTime() {
        String until = "{\"Effect\":\"Allow\",\"Action\":\"iam:GetUser\",\"Resource\":\"*\",\"Condition\":"
                + "{\"DateLessThan\":{\"aws:CurrentTime\":\"2026-12-31T00:00:00Z\"}}}";
        Credential c = user(policy(until));
        assertDoesNotThrow(() -> IamAuthorizer.require(c, "GetUser", ALICE_ARN, NOW));
        assertThrows(IamException.class, () -> IamAuthorizer.require(c, "GetUser", ALICE_ARN, Instant.parse("2027-01-01T00:00:00Z")));
    }

    @Test
    void aUserMayBeAllowedItsOwnKeysThroughThePolicyVariableUsername() {
        Credential c = user(policy(statement("Allow", "iam:*AccessKey*", "arn:aws:iam::*:user/${aws:username}")));
        assertDoesNotThrow(() -> IamAuthorizer.require(c, "CreateAccessKey", "arn:aws:iam::" + ACCT + ":user/bob", NOW));
        assertThrows(IamException.class, () -> IamAuthorizer.require(c, "CreateAccessKey", ALICE_ARN, NOW));
    }

    @Test
    void stsNamesTheCaller() {
        assertEquals("<Arn>arn:aws:iam::111122223333:user/bob</Arn><UserId>AIDABBBBBBBBBBBBBBBBB</UserId>"
                + "<Account>111122223333</Account>", IamActions.callerIdentity(user()));
        assertEquals("<Arn>arn:aws:iam::111122223333:root</Arn><UserId>111122223333</UserId>"
                + "<Account>111122223333</Account>", IamActions.callerIdentity(new Credential("AKROOT", ACCT, "s")));
        assertEquals(List.of(), user().identityPolicies());
    }
}
