package dev.sseproxy.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** What the other tables do not reach: owners, delegation through ACLs, the principal's keys, verdicts, addresses. */
class PolicyEdgeCasesTest {
    static final String OWNER = "111122223333";
    static final String OTHER = "444455556666";
    static final Principal ROOT = Principal.account(OWNER);
    static final Principal ALICE = Principal.user(OWNER, "alice", "/");
    static final Principal CAROL = Principal.user(OWNER, "carol", "/staff/");
    static final Principal OTHER_ROOT = Principal.account(OTHER);
    static final Principal ANON = Principal.anonymous();

    static Policy bucket(String statements) {
        return Policy.bucketPolicy(("{'Version':'2012-10-17','Statement':[" + statements + "]}").replace('\'', '"'), "b");
    }

    static Stream<Arguments> verdicts() {
        Policy accountOnly = bucket("{'Effect':'Allow','Principal':{'AWS':'" + OWNER + "'},'Action':'s3:*','Resource':'arn:aws:s3:::b/*'}");
        Policy carol = bucket("{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::" + OWNER
                + ":user/staff/carol'},'Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}");
        Policy both = bucket("{'Effect':'Allow','Principal':{'AWS':'" + OWNER + "'},'Action':'s3:*','Resource':'arn:aws:s3:::b/*'},"
                + "{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::" + OWNER + ":user/alice'},'Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}");
        Policy canonical = bucket("{'Effect':'Allow','Principal':{'CanonicalUser':'" + OTHER + "'},'Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}");
        Policy role = bucket("{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::" + OWNER + ":role/r'},'Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}");
        Policy service = bucket("{'Effect':'Allow','Principal':{'Service':'logging.s3.amazonaws.com'},'Action':'s3:PutObject','Resource':'arn:aws:s3:::b/*'}");
        Policy userOnlyNotPrincipal = bucket("{'Effect':'Deny','NotPrincipal':{'AWS':'arn:aws:iam::" + OWNER
                + ":user/alice'},'Action':'s3:*','Resource':'arn:aws:s3:::b/*'}");
        Policy accountNotPrincipal = bucket("{'Effect':'Deny','NotPrincipal':{'AWS':'" + OWNER
                + "'},'Action':'s3:*','Resource':'arn:aws:s3:::b/*'}");
        String obj = "arn:aws:s3:::b/k";
        return Stream.of(
                Arguments.of("account principal names a user only as delegation", accountOnly, ALICE, obj, Policy.Verdict.ALLOW_ACCOUNT),
                Arguments.of("account principal names the root itself", accountOnly, ROOT, obj, Policy.Verdict.ALLOW),
                Arguments.of("account principal: another account", accountOnly, OTHER_ROOT, obj, Policy.Verdict.NONE),
                Arguments.of("account principal: anonymous", accountOnly, ANON, obj, Policy.Verdict.NONE),
                Arguments.of("a user ARN with a path", carol, CAROL, obj, Policy.Verdict.ALLOW),
                Arguments.of("the same name without the path is another user", carol, Principal.user(OWNER, "carol", "/"), obj, Policy.Verdict.NONE),
                Arguments.of("naming the user beats naming the account", both, ALICE, obj, Policy.Verdict.ALLOW),
                Arguments.of("naming the account: another user of it", both, CAROL, obj, Policy.Verdict.ALLOW_ACCOUNT),
                Arguments.of("a canonical user id names its account", canonical, OTHER_ROOT, obj, Policy.Verdict.ALLOW),
                Arguments.of("a role matches no requester", role, ROOT, obj, Policy.Verdict.NONE),
                Arguments.of("a service matches no requester", service, ANON, obj, Policy.Verdict.NONE),
                Arguments.of("NotPrincipal listing only the user does not exempt it", userOnlyNotPrincipal, ALICE, obj, Policy.Verdict.DENY),
                Arguments.of("NotPrincipal listing only the account exempts the root", accountNotPrincipal, ROOT, obj, Policy.Verdict.NONE),
                Arguments.of("NotPrincipal listing only the account: its users not exempt", accountNotPrincipal, ALICE, obj, Policy.Verdict.DENY),
                Arguments.of("NotPrincipal: anonymous never exempt", accountNotPrincipal, ANON, obj, Policy.Verdict.DENY),
                Arguments.of("resource outside the statement", accountOnly, ROOT, "arn:aws:s3:::b", Policy.Verdict.NONE),
                Arguments.of("resources compare case-sensitively", accountOnly, ROOT, "arn:aws:s3:::B/k", Policy.Verdict.NONE));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("verdicts")
    void verdict(String name, Policy p, Principal who, String arn, Policy.Verdict want) {
        assertEquals(want, p.verdict(who, "s3:GetObject", arn, ConditionContext.EMPTY), name);
    }

    static Decision evaluate(Principal who, String action, String objectOwner, AccessControlList acl, Policy bucketPolicy,
            List<Policy> identity, ConditionContext ctx) {
        return AuthorizationDecisions.evaluate(new AuthzRequest(who, action, AuthzRequest.objectArn("b", "k"), OWNER,
                objectOwner, acl, ObjectOwnership.OBJECT_WRITER, identity, bucketPolicy, PublicAccessBlock.NONE, ctx));
    }

    @Test
    void aBucketPolicyDoesNotReachObjectsAnotherAccountOwns() {
        Policy everyone = bucket("{'Effect':'Allow','Principal':'*','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}");
        AccessControlList theirs = AccessControlList.ownerFullControl(OTHER);
        assertFalse(evaluate(ROOT, "s3:GetObject", OTHER, theirs, everyone, List.of(), ConditionContext.EMPTY).allowed());
        assertFalse(evaluate(ANON, "s3:GetObject", OTHER, theirs, everyone, List.of(), ConditionContext.EMPTY).allowed());
        assertTrue(evaluate(ANON, "s3:GetObject", null, null, everyone, List.of(), ConditionContext.EMPTY).allowed());
        // its denies still do
        Policy deny = bucket("{'Effect':'Deny','Principal':'*','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}");
        Decision d = evaluate(OTHER_ROOT, "s3:GetObject", OTHER, theirs, deny, List.of(), ConditionContext.EMPTY);
        assertTrue(d.explicitDeny(), d.reason());
    }

    @Test
    void anAclGrantToTheAccountDelegatesToItsUsersIdentityPolicies() {
        AccessControlList otherRead = new AccessControlList(List.of(new Grant(Grantee.user(OWNER), Permission.FULL_CONTROL),
                new Grant(Grantee.user(OTHER), Permission.READ)));
        assertTrue(evaluate(OTHER_ROOT, "s3:GetObject", null, otherRead, null, List.of(), ConditionContext.EMPTY).allowed());
        Principal bob = Principal.user(OTHER, "bob", "/");
        assertFalse(evaluate(bob, "s3:GetObject", null, otherRead, null, List.of(), ConditionContext.EMPTY).allowed());
        // the owner's own users: the default ACL (owner FULL_CONTROL) does not allow them by itself
        Decision d = evaluate(ALICE, "s3:GetObject", null, null, null, List.of(), ConditionContext.EMPTY);
        assertFalse(d.allowed());
        assertFalse(d.explicitDeny());
    }

    @ParameterizedTest(name = "[{index}] {0} {1} = {2}")
    @CsvSource(delimiter = '|', value = {
        "root   | aws:PrincipalType    | Account",
        "alice  | aws:PrincipalType    | User",
        "anon   | aws:PrincipalType    | Anonymous",
        "root   | aws:PrincipalAccount | 111122223333",
        "alice  | aws:PrincipalArn     | arn:aws:iam::111122223333:user/alice",
        "carol  | aws:PrincipalArn     | arn:aws:iam::111122223333:user/staff/carol",
        "root   | aws:PrincipalArn     | arn:aws:iam::111122223333:root",
        "alice  | aws:username         | alice",
        "root   | aws:userid           | 111122223333",
        "anon   | aws:userid           | anonymous",
        "alice  | aws:userid           | AIDAEXAMPLE",
        "alice  | AWS:PRINCIPALACCOUNT | 111122223333",
    })
    void theEvaluatorAddsThePrincipalsKeys(String who, String key, String value) {
        Principal p = Map.of("root", ROOT, "alice", ALICE, "carol", CAROL, "anon", ANON).get(who.trim());
        // the caller claims other values for every key: the principal's win, but a user's aws:userid is the caller's
        ConditionContext claimed = k -> List.of(k.equalsIgnoreCase("aws:userid") ? "AIDAEXAMPLE" : "999999999999");
        assertEquals(List.of(value), ConditionContext.withPrincipal(p, claimed).values(key));
    }

    @Test
    void anonymousHasNoAccountNoArnNoName() {
        ConditionContext c = ConditionContext.withPrincipal(ANON, k -> List.of("claimed"));
        assertEquals(List.of(), c.values("aws:PrincipalAccount"));
        assertEquals(List.of(), c.values("aws:PrincipalArn"));
        assertEquals(List.of(), c.values("aws:username"));
        assertEquals(List.of("claimed"), c.values("aws:SourceIp"));
    }

    @ParameterizedTest(name = "[{index}] {0} in {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "::ffff:203.0.113.9     | 203.0.113.0/24      | true",
        "203.0.113.9            | ::ffff:203.0.113.0/120 | true",
        "2001:db8::1            | 2001:db8::1         | true",
        "2001:0db8:0000::0001   | 2001:db8::1/128     | true",
        "fe80::1%eth0           | fe80::/10           | false",
        "[2001:db8::1]          | 2001:db8::/32       | false",
        "203.0.113.256          | 203.0.113.0/24      | false",
        "203.0.113.9.1          | 203.0.113.0/24      | false",
        "' 203.0.113.9'         | 203.0.113.0/24      | false",
        "1.2.3.4                | 1.2.3.4/0           | true",
        "255.255.255.255        | 255.255.255.254/31  | true",
        "255.255.255.253        | 255.255.255.254/31  | false",
    })
    void addresses(String address, String cidr, boolean in) {
        IpRange r = IpRange.parse(cidr);
        byte[] a = IpRange.address(address);
        assertEquals(in, r != null && r.contains(a));
    }
}
