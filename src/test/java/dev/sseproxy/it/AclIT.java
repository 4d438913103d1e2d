package dev.sseproxy.it;

import static dev.sseproxy.it.NegativeIT.assertError;
import static dev.sseproxy.it.NegativeIT.assertHeadError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.it.RawHttp.Req;
import dev.sseproxy.it.RawHttp.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Type;

/**
 * ACLs and S3 Object Ownership end to end (issue 10 item 15), on the shared proxy (era {@code 2026-04}:
 * new buckets are {@code BucketOwnerEnforced}) with the SDK and raw HTTP for anonymous requests.
 */
class AclIT {
    static final String ROOT = "000000000001";
    static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
    static final String NOT_SUPPORTED = "The bucket does not allow ACLs";
    static final String INVALID_WITH_OWNERSHIP = "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting";
    static S3Client s3;
    static S3Client otherS3;
    static String otherAccount;

    @BeforeAll
    static void setUp() {
        s3 = Clients.sdk();
        String[] other = ProxyProcess.get().newAccount("acl-other-" + UUID.randomUUID().toString().substring(0, 8));
        otherAccount = other[0];
        otherS3 = Clients.sdk(ProxyProcess.get().endpoint(), other[1], other[2]);
    }

    @AfterAll
    static void tearDown() {
        s3.close();
        otherS3.close();
    }

    /**
     * A bucket whose ACLs are enabled (ObjectWriter) and may be made public (no Block Public Access), as
     * pre-2023 buckets were; on AWS today both settings must be changed after creation, as here.
     */
    static String aclBucket(String prefix) {
        String b = Clients.newBucket(s3, prefix);
        s3.putBucketOwnershipControls(x -> x.bucket(b).ownershipControls(c -> c.rules(r -> r.objectOwnership(
                ObjectOwnership.OBJECT_WRITER))));
        s3.deletePublicAccessBlock(x -> x.bucket(b));
        return b;
    }

    static String path(String bucket, String key) {
        return "/" + bucket + "/" + key;
    }

    @Test
    void anonymousGetOfAPublicReadObjectIsServedDecryptedAndOfAPrivateOneIsAccessDenied() throws Exception {
        String b = aclBucket("acl-pub");
        byte[] data = ("public bytes " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        s3.putObject(x -> x.bucket(b).key("open").acl(ObjectCannedACL.PUBLIC_READ), RequestBody.fromBytes(data));
        s3.putObject(x -> x.bucket(b).key("closed"), RequestBody.fromString("private bytes"));

        Response r = Req.of("GET", path(b, "open")).send();
        assertEquals(200, r.status(), r::toString);
        assertArrayEquals(data, r.body());
        assertEquals("AES256", r.header("x-amz-server-side-encryption"), r::toString);
        assertEquals(200, Req.of("HEAD", path(b, "open")).send().status());
        // what MinIO holds is ciphertext
        byte[] stored = Clients.backend().getObject(io.minio.GetObjectArgs.builder().bucket(b).object("open").build())
                .readAllBytes();
        assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains("public bytes"));

        assertError(Req.of("GET", path(b, "closed")).send(), 403, "AccessDenied", "Access Denied");
        assertHeadError(Req.of("HEAD", path(b, "closed")).send(), 403);
        // the object's ACL and the bucket stay closed to anonymous requests
        assertError(Req.of("GET", path(b, "open"), "acl").send(), 403, "AccessDenied", "Access Denied");
        assertError(Req.of("GET", "/" + b, "list-type=2").send(), 403, "AccessDenied", "Access Denied");
        assertError(Req.of("PUT", path(b, "anon")).body("x").send(), 403, "AccessDenied", "Access Denied");

        // PutObjectAcl back to private closes it; to public-read opens it again
        s3.putObjectAcl(x -> x.bucket(b).key("open").acl(ObjectCannedACL.PRIVATE));
        assertError(Req.of("GET", path(b, "open")).send(), 403, "AccessDenied", "Access Denied");
        s3.putObjectAcl(x -> x.bucket(b).key("closed").acl(ObjectCannedACL.PUBLIC_READ));
        assertEquals("private bytes", Req.of("GET", path(b, "closed")).send().text());
        // an overwrite without an ACL is private again
        s3.putObject(x -> x.bucket(b).key("closed"), RequestBody.fromString("new"));
        assertError(Req.of("GET", path(b, "closed")).send(), 403, "AccessDenied", "Access Denied");
    }

    /** The object ACL rows the catalog keeps for a bucket. */
    static long aclRows(String bucket) {
        return Long.parseLong(ProxyProcess.get().sql("SELECT count(*) FROM object_acl WHERE bucket = '" + bucket + "'"));
    }

    @Test
    void deleteObjectsForgetsTheAclsOfTheKeysItDeletesQuietOrNot() throws Exception {
        String b = aclBucket("acl-dels");
        for (String k : List.of("quiet1", "quiet2", "loud", "kept")) {
            s3.putObject(x -> x.bucket(b).key(k).acl(ObjectCannedACL.PUBLIC_READ), RequestBody.fromString("public " + k));
        }
        assertEquals("public quiet1", Req.of("GET", path(b, "quiet1")).send().text());
        assertEquals(4, aclRows(b));

        var quiet = s3.deleteObjects(x -> x.bucket(b).delete(d -> d.quiet(true).objects(
                ObjectIdentifier.builder().key("quiet1").build(), ObjectIdentifier.builder().key("quiet2").build())));
        assertTrue(quiet.deleted().isEmpty() && quiet.errors().isEmpty(), quiet::toString);
        var loud = s3.deleteObjects(x -> x.bucket(b).delete(d -> d.objects(ObjectIdentifier.builder().key("loud").build())));
        assertEquals(List.of("loud"), loud.deleted().stream().map(software.amazon.awssdk.services.s3.model.DeletedObject::key)
                .toList());

        // a deleted key answers an anonymous GET as one that was never public: 403, as S3 does for a
        // requester without s3:ListBucket (not 404, which a grant left behind would let through)
        for (String k : List.of("quiet1", "quiet2", "loud")) {
            assertError(Req.of("GET", path(b, k)).send(), 403, "AccessDenied", "Access Denied");
        }
        assertEquals(1, aclRows(b), "only the ACL of the object not deleted remains");
        assertEquals("public kept", Req.of("GET", path(b, "kept")).send().text());
        // a key written again without an ACL is private, and reads back to its owner
        s3.putObject(x -> x.bucket(b).key("quiet1"), RequestBody.fromString("private now"));
        assertError(Req.of("GET", path(b, "quiet1")).send(), 403, "AccessDenied", "Access Denied");
        assertEquals("private now", s3.getObjectAsBytes(x -> x.bucket(b).key("quiet1")).asUtf8String());
    }

    @Test
    void getObjectAclAndGetBucketAclAnswerS3sDocument() throws Exception {
        String b = aclBucket("acl-doc");
        s3.putObject(x -> x.bucket(b).key("k").acl(ObjectCannedACL.PUBLIC_READ), RequestBody.fromString("v"));
        Response r = Req.of("GET", path(b, "k"), "acl").sign().send();
        assertEquals(200, r.status(), r::toString);
        String xml = r.text();
        assertTrue(xml.contains("<AccessControlPolicy xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"), xml);
        assertTrue(xml.contains("<Owner><ID>" + ROOT + "</ID><DisplayName>" + ROOT + "</DisplayName></Owner>"), xml);
        assertTrue(xml.contains("<AccessControlList><Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                + "xsi:type=\"CanonicalUser\"><ID>" + ROOT + "</ID><DisplayName>" + ROOT + "</DisplayName></Grantee>"
                + "<Permission>FULL_CONTROL</Permission></Grant>"), xml);
        assertTrue(xml.contains("<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"Group\">"
                + "<URI>" + ALL_USERS + "</URI></Grantee><Permission>READ</Permission></Grant></AccessControlList>"), xml);

        List<Grant> grants = s3.getObjectAcl(x -> x.bucket(b).key("k")).grants();
        assertEquals(2, grants.size(), grants::toString);
        assertEquals(Type.GROUP, grants.get(1).grantee().type());
        assertEquals(ALL_USERS, grants.get(1).grantee().uri());
        assertEquals(Permission.READ, grants.get(1).permission());

        s3.putBucketAcl(x -> x.bucket(b).acl(BucketCannedACL.AUTHENTICATED_READ));
        var bucketAcl = s3.getBucketAcl(x -> x.bucket(b));
        assertEquals(ROOT, bucketAcl.owner().id());
        assertEquals(List.of(Permission.FULL_CONTROL, Permission.READ),
                bucketAcl.grants().stream().map(Grant::permission).toList());
        assertEquals("http://acs.amazonaws.com/groups/global/AuthenticatedUsers", bucketAcl.grants().get(1).grantee().uri());

        // the XML body form: the owner and the other account with READ
        s3.putObjectAcl(x -> x.bucket(b).key("k").accessControlPolicy(p -> p.owner(o -> o.id(ROOT)).grants(
                Grant.builder().grantee(g -> g.type(Type.CANONICAL_USER).id(ROOT)).permission(Permission.FULL_CONTROL).build(),
                Grant.builder().grantee(g -> g.type(Type.CANONICAL_USER).id(otherAccount)).permission(Permission.READ).build())));
        assertEquals("v", otherS3.getObjectAsBytes(x -> x.bucket(b).key("k")).asUtf8String());
        assertError(Req.of("GET", path(b, "k")).send(), 403, "AccessDenied", "Access Denied");
        assertError(assertThrows(S3Exception.class, () -> s3.getObjectAcl(x -> x.bucket(b).key("missing"))), 404,
                "NoSuchKey", null);
    }

    @Test
    void anotherAccountReadsAnAuthenticatedReadObjectButNotAPrivateOne() throws Exception {
        String b = aclBucket("acl-auth");
        s3.putObject(x -> x.bucket(b).key("shared").acl(ObjectCannedACL.AUTHENTICATED_READ), RequestBody.fromString("for accounts"));
        s3.putObject(x -> x.bucket(b).key("mine"), RequestBody.fromString("mine"));
        assertEquals("for accounts", otherS3.getObjectAsBytes(x -> x.bucket(b).key("shared")).asUtf8String());
        assertError(assertThrows(S3Exception.class, () -> otherS3.getObjectAsBytes(x -> x.bucket(b).key("mine"))), 403,
                "AccessDenied", "Access Denied");
        assertError(Req.of("GET", path(b, "shared")).send(), 403, "AccessDenied", "Access Denied");
        // reading is not listing, nor writing, nor reading the ACL
        assertError(assertThrows(S3Exception.class, () -> otherS3.listObjectsV2(x -> x.bucket(b))), 403, "AccessDenied", null);
        assertError(assertThrows(S3Exception.class, () -> otherS3.putObject(x -> x.bucket(b).key("x"),
                RequestBody.fromString("x"))), 403, "AccessDenied", null);
        assertError(assertThrows(S3Exception.class, () -> otherS3.getObjectAcl(x -> x.bucket(b).key("shared"))), 403,
                "AccessDenied", null);
        // a copy needs read access to the source: the other account may copy "shared" into its own bucket
        String theirs = Clients.newBucket(otherS3, "acl-theirs");
        otherS3.copyObject(x -> x.sourceBucket(b).sourceKey("shared").destinationBucket(theirs).destinationKey("copy"));
        assertEquals("for accounts", otherS3.getObjectAsBytes(x -> x.bucket(theirs).key("copy")).asUtf8String());
        assertError(assertThrows(S3Exception.class, () -> otherS3.copyObject(x -> x.sourceBucket(b).sourceKey("mine")
                .destinationBucket(theirs).destinationKey("stolen"))), 403, "AccessDenied", null);
    }

    @Test
    void aPublicReadWriteBucketTakesAnonymousWritesEncryptedAndListsThem() throws Exception {
        String b = aclBucket("acl-rw");
        s3.putBucketAcl(x -> x.bucket(b).acl(BucketCannedACL.PUBLIC_READ_WRITE));
        Response put = Req.of("PUT", path(b, "dropped")).body("anonymous upload").send();
        assertEquals(200, put.status(), put::toString);
        assertEquals("AES256", put.header("x-amz-server-side-encryption"), put::toString);
        byte[] stored = Clients.backend().getObject(io.minio.GetObjectArgs.builder().bucket(b).object("dropped").build())
                .readAllBytes();
        assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains("anonymous upload"));
        Response list = Req.of("GET", "/" + b, "list-type=2").send();
        assertEquals(200, list.status(), list::toString);
        assertTrue(list.text().contains("<Key>dropped</Key>"), list::toString);
        // as in S3 (ObjectWriter), an anonymous writer's object is owned by the anonymous user: not even the
        // bucket owner may read it or its ACL
        assertError(assertThrows(S3Exception.class, () -> s3.getObjectAcl(x -> x.bucket(b).key("dropped"))), 403,
                "AccessDenied", null);
        assertError(assertThrows(S3Exception.class, () -> s3.getObjectAsBytes(x -> x.bucket(b).key("dropped"))), 403,
                "AccessDenied", null);
        // an anonymous public-read upload is readable by everyone
        assertEquals(200, Req.of("PUT", path(b, "shared")).header("x-amz-acl", "public-read").body("for all").send().status());
        assertEquals("for all", s3.getObjectAsBytes(x -> x.bucket(b).key("shared")).asUtf8String());
        assertEquals("for all", Req.of("GET", path(b, "shared")).send().text());
        // the bucket owner may still delete it; configuration stays owner-only
        s3.deleteObject(x -> x.bucket(b).key("dropped"));
        assertError(Req.of("GET", "/" + b, "encryption").send(), 403, "AccessDenied", "Access Denied");
        assertError(Req.of("DELETE", "/" + b).send(), 403, "AccessDenied", "Access Denied");
        // the service level stays signed-only
        assertError(Req.of("GET", "/").send(), 403, "AccessDenied", "Access Denied");
    }

    @Test
    void aDefaultBucketIsBucketOwnerEnforcedAndRefusesAcls() throws Exception {
        String b = Clients.newBucket(s3, "acl-enf");
        assertEquals(ObjectOwnership.BUCKET_OWNER_ENFORCED, s3.getBucketOwnershipControls(x -> x.bucket(b))
                .ownershipControls().rules().get(0).objectOwnership());
        assertError(assertThrows(S3Exception.class, () -> s3.putObject(x -> x.bucket(b).key("k")
                .acl(ObjectCannedACL.PUBLIC_READ), RequestBody.fromString("v"))), 400, "AccessControlListNotSupported",
                NOT_SUPPORTED);
        assertError(Req.of("PUT", "/" + b, "acl").header("x-amz-acl", "public-read").sign().send(), 400,
                "AccessControlListNotSupported", NOT_SUPPORTED);
        assertError(Req.of("PUT", "/" + b + "/k").header("x-amz-grant-read", "uri=\"" + ALL_USERS + "\"").body("v")
                .sign().send(), 400, "AccessControlListNotSupported", NOT_SUPPORTED);
        assertEquals(404, assertThrows(S3Exception.class, () -> s3.headObject(x -> x.bucket(b).key("k"))).statusCode());
        // the owner's full control is accepted
        s3.putObject(x -> x.bucket(b).key("k").acl(ObjectCannedACL.BUCKET_OWNER_FULL_CONTROL), RequestBody.fromString("v"));
        s3.putObjectAcl(x -> x.bucket(b).key("k").acl(ObjectCannedACL.PRIVATE));
        var acl = s3.getObjectAcl(x -> x.bucket(b).key("k"));
        assertEquals(1, acl.grants().size());
        assertEquals(Permission.FULL_CONTROL, acl.grants().get(0).permission());
        assertError(Req.of("GET", path(b, "k")).send(), 403, "AccessDenied", "Access Denied");

        // CreateBucket with a public ACL under BucketOwnerEnforced
        String name = Clients.bucketName("acl-enf2");
        assertError(assertThrows(S3Exception.class, () -> s3.createBucket(x -> x.bucket(name).acl(BucketCannedACL.PUBLIC_READ))),
                400, "InvalidBucketAclWithObjectOwnership", INVALID_WITH_OWNERSHIP);
        assertEquals(404, assertThrows(S3Exception.class, () -> s3.headBucket(x -> x.bucket(name))).statusCode());
        // ... and with x-amz-object-ownership ObjectWriter still refused: a new bucket blocks public ACLs
        // (Block Public Access, on by default since 2023) ...
        assertError(assertThrows(S3Exception.class, () -> s3.createBucket(x -> x.bucket(name).acl(BucketCannedACL.PUBLIC_READ)
                .objectOwnership(ObjectOwnership.OBJECT_WRITER))), 403, "AccessDenied", null);
        assertEquals(404, assertThrows(S3Exception.class, () -> s3.headBucket(x -> x.bucket(name))).statusCode());
        // ... so it is created with ObjectWriter, its Block Public Access removed, and then the ACL works
        s3.createBucket(x -> x.bucket(name).objectOwnership(ObjectOwnership.OBJECT_WRITER));
        s3.deletePublicAccessBlock(x -> x.bucket(name));
        s3.putBucketAcl(x -> x.bucket(name).acl(BucketCannedACL.PUBLIC_READ));
        s3.putObject(x -> x.bucket(name).key("k"), RequestBody.fromString("v"));
        assertTrue(Req.of("GET", "/" + name, "list-type=2").send().text().contains("<Key>k</Key>"));
    }

    @Test
    void ownershipControlsCanBeSetReadAndDeleted() throws Exception {
        String b = aclBucket("acl-own");
        s3.putBucketAcl(x -> x.bucket(b).acl(BucketCannedACL.PUBLIC_READ));
        // ACLs cannot be disabled while the bucket ACL is public
        Response r = Req.of("PUT", "/" + b, "ownershipControls").body("<OwnershipControls xmlns=\"http://s3.amazonaws.com/"
                + "doc/2006-03-01/\"><Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership></Rule></OwnershipControls>")
                .sign().send();
        assertError(r, 400, "InvalidBucketAclWithObjectOwnership", INVALID_WITH_OWNERSHIP);
        assertError(Req.of("PUT", "/" + b, "ownershipControls").body("<OwnershipControls><Rule><ObjectOwnership>Bogus"
                + "</ObjectOwnership></Rule></OwnershipControls>").sign().send(), 400, "MalformedXML", null);
        s3.putObject(x -> x.bucket(b).key("pub").acl(ObjectCannedACL.PUBLIC_READ), RequestBody.fromString("v"));
        assertEquals(200, Req.of("GET", path(b, "pub")).send().status());

        s3.putBucketAcl(x -> x.bucket(b).acl(BucketCannedACL.PRIVATE));
        s3.putBucketOwnershipControls(x -> x.bucket(b).ownershipControls(c -> c.rules(o -> o.objectOwnership(
                ObjectOwnership.BUCKET_OWNER_ENFORCED))));
        // ACLs disabled: the public-read object is the owner's and private now
        assertError(Req.of("GET", path(b, "pub")).send(), 403, "AccessDenied", "Access Denied");

        s3.deleteBucketOwnershipControls(x -> x.bucket(b));
        assertError(assertThrows(S3Exception.class, () -> s3.getBucketOwnershipControls(x -> x.bucket(b))), 404,
                "OwnershipControlsNotFoundError", "The bucket ownership controls were not found");
        // without controls the bucket acts as ObjectWriter: ACLs work again
        s3.putObject(x -> x.bucket(b).key("pub2").acl(ObjectCannedACL.PUBLIC_READ), RequestBody.fromString("w"));
        assertEquals("w", Req.of("GET", path(b, "pub2")).send().text());
    }

    @Test
    void aPublicReadSseKmsObjectIsNotServedToAnonymousRequests() throws Exception {
        String b = aclBucket("acl-kms");
        s3.putObject(x -> x.bucket(b).key("kms").acl(ObjectCannedACL.PUBLIC_READ)
                .serverSideEncryption(software.amazon.awssdk.services.s3.model.ServerSideEncryption.AWS_KMS),
                RequestBody.fromString("kms bytes"));
        assertError(Req.of("GET", path(b, "kms")).send(), 400, "InvalidArgument",
                "Requests specifying Server Side Encryption with AWS KMS managed keys require AWS Signature Version 4.");
        // signed requests still read it
        assertEquals("kms bytes", s3.getObjectAsBytes(x -> x.bucket(b).key("kms")).asUtf8String());
    }

    @Test
    void anAnonymousWriteThatAsksForSseKmsIsRefusedAndStoresNothing() throws Exception {
        String b = aclBucket("acl-kmsw");
        s3.putBucketAcl(x -> x.bucket(b).acl(BucketCannedACL.PUBLIC_READ_WRITE));
        String message = "Requests specifying Server Side Encryption with AWS KMS managed keys require AWS Signature Version 4.";
        assertError(Req.of("PUT", path(b, "kms-put")).header("x-amz-server-side-encryption", "aws:kms")
                .body("anonymous kms").send(), 400, "InvalidArgument", message);
        assertError(Req.of("PUT", path(b, "dsse-put")).header("x-amz-server-side-encryption", "aws:kms:dsse")
                .body("anonymous dsse").send(), 400, "InvalidArgument", message);
        assertEquals(0, s3.listObjectsV2(x -> x.bucket(b)).keyCount());
        // without the header the same anonymous write is taken (under the bucket's default, SSE-S3)
        assertEquals(200, Req.of("PUT", path(b, "plain-put")).body("anonymous").send().status());
    }

    @Test
    void aMultipartUploadsObjectGetsTheAclItWasCreatedWith() throws Exception {
        String b = aclBucket("acl-mpu");
        String id = s3.createMultipartUpload(x -> x.bucket(b).key("big").acl(ObjectCannedACL.PUBLIC_READ)).uploadId();
        String etag = s3.uploadPart(x -> x.bucket(b).key("big").uploadId(id).partNumber(1),
                RequestBody.fromString("multipart bytes")).eTag();
        s3.completeMultipartUpload(x -> x.bucket(b).key("big").uploadId(id).multipartUpload(m -> m.parts(
                p -> p.partNumber(1).eTag(etag))));
        assertEquals("multipart bytes", Req.of("GET", path(b, "big")).send().text());
        // a private upload over it makes it private
        String id2 = s3.createMultipartUpload(x -> x.bucket(b).key("big")).uploadId();
        String etag2 = s3.uploadPart(x -> x.bucket(b).key("big").uploadId(id2).partNumber(1),
                RequestBody.fromString("second")).eTag();
        s3.completeMultipartUpload(x -> x.bucket(b).key("big").uploadId(id2).multipartUpload(m -> m.parts(
                p -> p.partNumber(1).eTag(etag2))));
        assertError(Req.of("GET", path(b, "big")).send(), 403, "AccessDenied", "Access Denied");
        // under BucketOwnerEnforced a public multipart upload is refused before it starts
        String enforced = Clients.newBucket(s3, "acl-mpu-enf");
        assertError(assertThrows(S3Exception.class, () -> s3.createMultipartUpload(x -> x.bucket(enforced).key("k")
                .acl(ObjectCannedACL.PUBLIC_READ))), 400, "AccessControlListNotSupported", NOT_SUPPORTED);
    }

    @Test
    void malformedAclInputsAreClientErrors() throws Exception {
        String b = aclBucket("acl-bad");
        s3.putObject(x -> x.bucket(b).key("k"), RequestBody.fromString("v"));
        List<Req> bad = List.of(
                Req.of("PUT", path(b, "k")).header("x-amz-acl", "public-everything").body("v"),
                Req.of("PUT", path(b, "k")).header("x-amz-acl", "public-read").header("x-amz-grant-read", "id=\"1\"").body("v"),
                Req.of("PUT", path(b, "k")).header("x-amz-grant-read", "nonsense").body("v"),
                Req.of("PUT", path(b, "k")).header("x-amz-grant-read", "uri=\"http://example.com/group\"").body("v"),
                Req.of("PUT", path(b, "k")).header("x-amz-grant-read", "id=\"has space\"").body("v"),
                Req.of("PUT", path(b, "k"), "acl").body("<AccessControlPolicy><AccessControlList><Grant><Grantee "
                        + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"Group\"><URI>x</URI></Grantee>"
                        + "<Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>"),
                Req.of("PUT", path(b, "k"), "acl").body("<AccessControlPolicy><AccessControlList><Grant><Grantee "
                        + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\"><ID>1</ID>"
                        + "</Grantee><Permission>EVERYTHING</Permission></Grant></AccessControlList></AccessControlPolicy>"),
                Req.of("PUT", path(b, "k"), "acl").body("<NotAPolicy/>"),
                Req.of("PUT", path(b, "k"), "acl"),
                Req.of("PUT", "/" + b, "acl").header("x-amz-acl", "public-read").body("<AccessControlPolicy/>"),
                Req.of("PUT", "/" + b, "ownershipControls").body("<OwnershipControls><Rule><ObjectOwnership>ObjectWriter"
                        + "</ObjectOwnership></Rule><Rule><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule></OwnershipControls>"),
                Req.of("PUT", "/" + Clients.bucketName("acl-bad2")).header("x-amz-object-ownership", "Nobody"));
        for (Req r : bad) {
            Response resp = r.sign().send();
            assertEquals(400, resp.status(), resp::toString);
            assertTrue(List.of("InvalidArgument", "InvalidRequest", "MalformedXML").contains(resp.code()), resp::toString);
        }
        // nothing changed
        assertError(Req.of("GET", path(b, "k")).send(), 403, "AccessDenied", "Access Denied");
        assertEquals(1, s3.getObjectAcl(x -> x.bucket(b).key("k")).grants().size());
    }

    @Test
    void anonymousRequestsForAMissingBucketAreNoSuchBucket() throws Exception {
        assertError(Req.of("GET", path("acl-missing-" + UUID.randomUUID().toString().substring(0, 8), "k")).send(), 404,
                "NoSuchBucket", "The specified bucket does not exist");
    }

    @Test
    void thePre2023EraCreatesBucketsWithAclsEnabled() throws Exception {
        ProxyProcess p = ProxyProcess.startDedicated("aclera", 700, Map.of("SSE_PROXY_S3_ERA", "pre-2023"));
        try (S3Client old = Clients.sdk(p.endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY)) {
            String b = Clients.newBucket(old, "acl-old");
            assertError(assertThrows(S3Exception.class, () -> old.getBucketOwnershipControls(x -> x.bucket(b))), 404,
                    "OwnershipControlsNotFoundError", null);
            old.putObject(x -> x.bucket(b).key("k").acl(ObjectCannedACL.PUBLIC_READ), RequestBody.fromString("old times"));
            var http = java.net.http.HttpClient.newHttpClient();
            var resp = http.send(java.net.http.HttpRequest.newBuilder(p.endpoint().resolve("/" + b + "/k")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, resp.statusCode(), resp::body);
            assertEquals("old times", resp.body());
        } finally {
            p.stop();
        }
    }
}
