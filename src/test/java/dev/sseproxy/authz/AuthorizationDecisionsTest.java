package dev.sseproxy.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The decision table of the package documentation, one row per case. */
class AuthorizationDecisionsTest {
    static final String OWNER = "000000000001";
    static final String OTHER = "000000000002";
    static final String THIRD = "000000000003";
    static final Principal ME = Principal.account(OWNER);
    static final Principal THEM = Principal.account(OTHER);
    static final Principal ANON = Principal.anonymous();
    static final ObjectOwnership ENFORCED = ObjectOwnership.BUCKET_OWNER_ENFORCED;
    static final ObjectOwnership WRITER = ObjectOwnership.OBJECT_WRITER;

    static AccessControlList canned(CannedAcl c, String owner) {
        return c.expand(owner, OWNER);
    }

    /** who, action, object owner (null: bucket owner), ACL (null: default), ownership, allowed. */
    static Stream<Arguments> table() {
        AccessControlList publicRead = canned(CannedAcl.PUBLIC_READ, OWNER);
        AccessControlList publicRw = canned(CannedAcl.PUBLIC_READ_WRITE, OWNER);
        AccessControlList authRead = canned(CannedAcl.AUTHENTICATED_READ, OWNER);
        AccessControlList theirsPrivate = canned(CannedAcl.PRIVATE, OTHER);
        AccessControlList theirsBucketOwnerRead = canned(CannedAcl.BUCKET_OWNER_READ, OTHER);
        AccessControlList theirsFull = canned(CannedAcl.BUCKET_OWNER_FULL_CONTROL, OTHER);
        AccessControlList grantOther = new AccessControlList(List.of(
                new Grant(Grantee.user(OWNER), Permission.FULL_CONTROL), new Grant(Grantee.user(OTHER), Permission.READ_ACP)));
        return Stream.of(
                // identity: the owner's account may do anything, ACLs or not
                Arguments.of("owner reads", ME, "s3:GetObject", null, null, ENFORCED, true),
                Arguments.of("owner deletes the bucket", ME, "s3:DeleteBucket", null, null, WRITER, true),
                Arguments.of("owner sets encryption", ME, "s3:PutEncryptionConfiguration", null, null, null, true),
                // other accounts and anonymous: nothing without a grant
                Arguments.of("another account, private", THEM, "s3:GetObject", null, null, WRITER, false),
                Arguments.of("another account lists a private bucket", THEM, "s3:ListBucket", null, null, null, false),
                Arguments.of("anonymous, private", ANON, "s3:GetObject", null, null, WRITER, false),
                Arguments.of("anonymous puts into a private bucket", ANON, "s3:PutObject", null, null, WRITER, false),
                // public-read
                Arguments.of("anonymous reads public-read", ANON, "s3:GetObject", null, publicRead, WRITER, true),
                Arguments.of("another account reads public-read", THEM, "s3:GetObject", null, publicRead, WRITER, true),
                Arguments.of("public-read does not give the ACL", ANON, "s3:GetObjectAcl", null, publicRead, WRITER, false),
                Arguments.of("public-read does not give writes", ANON, "s3:PutObjectAcl", null, publicRead, WRITER, false),
                Arguments.of("public-read on a bucket lists it", ANON, "s3:ListBucket", null, publicRead, null, true),
                Arguments.of("public-read bucket: no writes", ANON, "s3:PutObject", null, publicRead, null, false),
                Arguments.of("public-read bucket: no delete", THEM, "s3:DeleteBucket", null, publicRead, null, false),
                // public-read-write bucket
                Arguments.of("public-read-write: anonymous put", ANON, "s3:PutObject", null, publicRw, WRITER, true),
                Arguments.of("public-read-write: anonymous delete", ANON, "s3:DeleteObject", null, publicRw, WRITER, true),
                Arguments.of("public-read-write: anonymous list", ANON, "s3:ListBucket", null, publicRw, WRITER, true),
                Arguments.of("public-read-write: not the bucket's config", ANON, "s3:PutEncryptionConfiguration",
                        null, publicRw, WRITER, false),
                // authenticated-read
                Arguments.of("authenticated-read: another account", THEM, "s3:GetObject", null, authRead, WRITER, true),
                Arguments.of("authenticated-read: anonymous", ANON, "s3:GetObject", null, authRead, WRITER, false),
                // an object another account wrote (ObjectWriter): it owns it
                Arguments.of("writer reads its own object", THEM, "s3:GetObject", OTHER, theirsPrivate, WRITER, true),
                Arguments.of("bucket owner cannot read a writer's private object", ME, "s3:GetObject", OTHER,
                        theirsPrivate, WRITER, false),
                Arguments.of("bucket-owner-read lets the bucket owner read", ME, "s3:GetObject", OTHER,
                        theirsBucketOwnerRead, WRITER, true),
                Arguments.of("bucket-owner-read: not its ACL", ME, "s3:PutObjectAcl", OTHER, theirsBucketOwnerRead,
                        WRITER, false),
                Arguments.of("bucket-owner-full-control: its ACL too", ME, "s3:PutObjectAcl", OTHER, theirsFull,
                        WRITER, true),
                Arguments.of("bucket owner may still delete a writer's object", ME, "s3:DeleteObject", OTHER,
                        theirsPrivate, WRITER, true),
                Arguments.of("a third account gets nothing", Principal.account(THIRD), "s3:GetObject", OTHER,
                        theirsBucketOwnerRead, WRITER, false),
                // explicit grants
                Arguments.of("READ_ACP grant reads the ACL", THEM, "s3:GetObjectAcl", null, grantOther, WRITER, true),
                Arguments.of("READ_ACP grant does not read data", THEM, "s3:GetObject", null, grantOther, WRITER, false),
                // BucketOwnerEnforced: ACLs are ignored, the bucket owner owns everything
                Arguments.of("enforced: public-read ignored", ANON, "s3:GetObject", null, publicRead, ENFORCED, false),
                Arguments.of("enforced: public-read-write ignored", ANON, "s3:PutObject", null, publicRw, ENFORCED, false),
                Arguments.of("enforced: bucket owner owns a writer's object", ME, "s3:GetObject", OTHER, theirsPrivate,
                        ENFORCED, true),
                Arguments.of("enforced: the writer no longer does", THEM, "s3:GetObject", OTHER, theirsPrivate,
                        ENFORCED, false),
                // BucketOwnerPreferred acts as ObjectWriter for existing objects
                Arguments.of("preferred: public-read honoured", ANON, "s3:GetObject", null, publicRead,
                        ObjectOwnership.BUCKET_OWNER_PREFERRED, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decides(String name, Principal who, String action, String objectOwner, AccessControlList acl,
            ObjectOwnership ownership, boolean allowed) {
        String arn = action.contains("Object") ? AuthzRequest.objectArn("b", "k") : AuthzRequest.bucketArn("b");
        Decision d = AuthorizationDecisions.evaluate(new AuthzRequest(who, action, arn, OWNER, objectOwner, acl, ownership));
        assertEquals(allowed, d.allowed(), () -> name + ": " + d.reason());
    }

    @Test
    void cannedAclsExpandAsS3Documents() {
        assertEquals(List.of(new Grant(Grantee.user(OTHER), Permission.FULL_CONTROL),
                new Grant(Grantee.user(OWNER), Permission.FULL_CONTROL)), CannedAcl.BUCKET_OWNER_FULL_CONTROL
                .expand(OTHER, OWNER).grants());
        // the bucket owner writing with bucket-owner-full-control: just the owner
        assertEquals(AccessControlList.ownerFullControl(OWNER), CannedAcl.BUCKET_OWNER_FULL_CONTROL.expand(OWNER, OWNER));
        assertEquals(AccessControlList.ownerFullControl(OWNER), CannedAcl.PRIVATE.expand(OWNER, OWNER));
        assertEquals(3, CannedAcl.PUBLIC_READ_WRITE.expand(OWNER, OWNER).grants().size());
        assertEquals(3, CannedAcl.LOG_DELIVERY_WRITE.expand(OWNER, OWNER).grants().size());
    }

    @Test
    void onlyTheOwnersFullControlIsAcceptedWithAclsDisabled() {
        assertTrue(CannedAcl.PRIVATE.expand(OWNER, OWNER).onlyOwnerFullControl(OWNER));
        assertTrue(CannedAcl.BUCKET_OWNER_FULL_CONTROL.expand(OWNER, OWNER).onlyOwnerFullControl(OWNER));
        for (CannedAcl c : List.of(CannedAcl.PUBLIC_READ, CannedAcl.PUBLIC_READ_WRITE, CannedAcl.AUTHENTICATED_READ,
                CannedAcl.AWS_EXEC_READ, CannedAcl.LOG_DELIVERY_WRITE)) {
            assertFalse(c.expand(OWNER, OWNER).onlyOwnerFullControl(OWNER), c.wireName());
        }
        assertFalse(new AccessControlList(List.of(new Grant(Grantee.user(OWNER), Permission.READ)))
                .onlyOwnerFullControl(OWNER));
    }

    @Test
    void anonymousWritersOwnWhatTheyWriteUnderObjectWriter() {
        assertEquals(Principal.ANONYMOUS_CANONICAL_ID, WRITER.newObjectOwner(ANON, OWNER, null));
        assertEquals(OTHER, WRITER.newObjectOwner(THEM, OWNER, CannedAcl.BUCKET_OWNER_FULL_CONTROL));
        assertEquals(OWNER, ObjectOwnership.BUCKET_OWNER_PREFERRED.newObjectOwner(THEM, OWNER,
                CannedAcl.BUCKET_OWNER_FULL_CONTROL));
        assertEquals(OTHER, ObjectOwnership.BUCKET_OWNER_PREFERRED.newObjectOwner(THEM, OWNER, CannedAcl.PUBLIC_READ));
        assertEquals(OWNER, ENFORCED.newObjectOwner(ANON, OWNER, null));
    }

    @Test
    void storedAclsRoundTripAndUnreadableLinesGrantNothing() {
        AccessControlList acl = CannedAcl.PUBLIC_READ_WRITE.expand(OTHER, OWNER);
        assertEquals(acl, AccessControlList.decode(acl.encode()));
        assertEquals(List.of(new Grant(Grantee.ALL_USERS, Permission.READ)),
                AccessControlList.decode("X y READ\nG " + Grantee.ALL_USERS_URI + " READ\nG http://evil/ READ\nU a NOPE\n").grants());
    }
}
