package dev.sseproxy.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** IAM's codes, statuses and messages, as the AWS CLI shows them. */
class IamExceptionTest {
    @Test
    void statusesAreIams() {
        assertEquals(404, IamException.noSuchUser("u").code().status());
        assertEquals(409, IamException.userExists("u").code().status());
        assertEquals(409, IamException.deleteConflict("x").code().status());
        assertEquals(409, IamException.limitExceeded("x").code().status());
        assertEquals(400, IamException.malformedPolicy("x").code().status());
        assertEquals(403, IamException.accessDenied("a", "iam:GetUser", "r", false).code().status());
        assertEquals("EntityAlreadyExists", IamException.policyExists("p").code().code());
    }

    @Test
    void accessDeniedNamesTheCallerActionAndResource() {
        assertEquals("User: arn:aws:iam::111122223333:user/bob is not authorized to perform: iam:CreateUser on "
                + "resource: arn:aws:iam::111122223333:user/alice because no identity-based policy allows the "
                + "iam:CreateUser action", IamException.accessDenied("arn:aws:iam::111122223333:user/bob", "iam:CreateUser",
                        "arn:aws:iam::111122223333:user/alice", false).getMessage());
        assertEquals("User: arn:aws:iam::111122223333:user/bob is not authorized to perform: iam:CreateUser on "
                + "resource: arn:aws:iam::111122223333:user/alice with an explicit deny in an identity-based policy",
                IamException.accessDenied("arn:aws:iam::111122223333:user/bob", "iam:CreateUser",
                        "arn:aws:iam::111122223333:user/alice", true).getMessage());
    }
}
