package dev.sseproxy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.api.Dispatcher.Scope;
import dev.sseproxy.authz.Grant;
import dev.sseproxy.authz.Grantee;
import dev.sseproxy.authz.Permission;
import dev.sseproxy.error.S3Exception;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ACL request headers and the IAM action of each route. */
class AclRequestsTest {
    @Test
    void grantHeadersListGranteesByIdAndGroupUri() {
        var r = AclRequests.fromHeaders(Map.of("x-amz-grant-read", "id=\"000000000002\", uri=\"" + Grantee.ALL_USERS_URI + "\"",
                "x-amz-grant-full-control", "id=000000000001")::get).orElseThrow();
        assertEquals(3, r.grants().size());
        assertTrue(r.grants().contains(new Grant(Grantee.user("000000000002"), Permission.READ)));
        assertTrue(r.grants().contains(new Grant(Grantee.ALL_USERS, Permission.READ)));
        assertTrue(r.grants().contains(new Grant(Grantee.user("000000000001"), Permission.FULL_CONTROL)));
    }

    @Test
    void badAclHeadersAreClientErrors() {
        for (Map<String, String> h : List.of(Map.of("x-amz-acl", "public"), Map.of("x-amz-grant-read", "nothing"),
                Map.of("x-amz-grant-read", "uri=\"http://example.com/\""), Map.of("x-amz-grant-write", "id=\"a b\""),
                Map.of("x-amz-acl", "private", "x-amz-grant-read", "id=\"1\""))) {
            S3Exception e = assertThrows(S3Exception.class, () -> AclRequests.fromHeaders(h::get), h::toString);
            assertEquals(400, e.code().status(), h::toString);
        }
        assertTrue(AclRequests.fromHeaders(Map.<String, String>of()::get).isEmpty());
    }

    @Test
    void routesHaveTheirIamActions() {
        assertEquals("s3:GetObject", IamActions.of(Scope.OBJECT, "HEAD", ""));
        assertEquals("s3:PutObject", IamActions.of(Scope.OBJECT, "PUT", "copy"));
        assertEquals("s3:PutObject", IamActions.of(Scope.OBJECT, "POST", "uploads"));
        assertEquals("s3:ListBucket", IamActions.of(Scope.BUCKET, "GET", ""));
        assertEquals("s3:DeleteObject", IamActions.of(Scope.BUCKET, "POST", "delete"));
        assertEquals("s3:PutBucketOwnershipControls", IamActions.of(Scope.BUCKET, "DELETE", "ownershipControls"));
        assertEquals("s3:GetLifecycle", IamActions.of(Scope.BUCKET, "GET", "lifecycle"));
    }
}
