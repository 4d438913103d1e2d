package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Bucket lifecycle and the three listings through the AWS SDK for Java v2. */
class SdkBucketsAndListingsIT {
    static S3Client s3;
    static String bucket;
    static final List<String> KEYS = List.of("a.txt", "b/1.txt", "b/2.txt", "b/c/3.txt", "d e/4.txt", "z+z.txt");

    @BeforeAll
    static void setUp() {
        s3 = Clients.sdk();
        bucket = Clients.bucketName("listing");
        s3.createBucket(b -> b.bucket(bucket));
        for (String k : KEYS) {
            s3.putObject(b -> b.bucket(bucket).key(k), RequestBody.fromString(k));
        }
    }

    @AfterAll
    static void tearDown() {
        s3.close();
    }

    @Test
    void bucketLifecycleCreateHeadLocationListDelete() {
        String name = Clients.bucketName("life");
        s3.createBucket(b -> b.bucket(name));
        s3.headBucket(b -> b.bucket(name));
        assertEquals("", s3.getBucketLocation(b -> b.bucket(name)).locationConstraintAsString() == null ? ""
                : s3.getBucketLocation(b -> b.bucket(name)).locationConstraintAsString());
        assertTrue(s3.listBuckets().buckets().stream().anyMatch(x -> x.name().equals(name)));
        assertThrows(BucketAlreadyOwnedByYouException.class, () -> s3.createBucket(b -> b.bucket(name)));
        s3.putObject(b -> b.bucket(name).key("x"), RequestBody.fromString("x"));
        S3Exception notEmpty = assertThrows(S3Exception.class, () -> s3.deleteBucket(b -> b.bucket(name)));
        assertEquals("BucketNotEmpty", notEmpty.awsErrorDetails().errorCode());
        s3.deleteObject(b -> b.bucket(name).key("x"));
        s3.deleteBucket(b -> b.bucket(name));
        assertThrows(NoSuchBucketException.class, () -> s3.headBucket(b -> b.bucket(name)));
        assertFalse(s3.listBuckets().buckets().stream().anyMatch(x -> x.name().equals(name)));
    }

    @Test
    void createBucketWithForeignLocationConstraintIsRejected() {
        S3Exception e = assertThrows(S3Exception.class, () -> s3.createBucket(b -> b.bucket(Clients.bucketName("loc"))
                .createBucketConfiguration(c -> c.locationConstraint("eu-west-1"))));
        assertEquals("IllegalLocationConstraintException", e.awsErrorDetails().errorCode());
        assertEquals("InvalidBucketName", assertThrows(S3Exception.class,
                () -> s3.createBucket(b -> b.bucket("xn--bucket"))).awsErrorDetails().errorCode());
    }

    @Test
    void listV2WithDelimiterGivesCommonPrefixes() {
        ListObjectsV2Response r = s3.listObjectsV2(b -> b.bucket(bucket).delimiter("/"));
        assertEquals(List.of("a.txt", "z+z.txt"), r.contents().stream().map(S3Object::key).toList());
        assertEquals(List.of("b/", "d e/"), r.commonPrefixes().stream().map(CommonPrefix::prefix).toList());
        assertEquals(4, r.keyCount());
        ListObjectsV2Response b2 = s3.listObjectsV2(b -> b.bucket(bucket).prefix("b/").delimiter("/"));
        assertEquals(List.of("b/1.txt", "b/2.txt"), b2.contents().stream().map(S3Object::key).toList());
        assertEquals(List.of("b/c/"), b2.commonPrefixes().stream().map(CommonPrefix::prefix).toList());
    }

    @Test
    void listV2PaginatesWithContinuationTokenAndStartAfter() {
        List<String> seen = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            ListObjectsV2Response page = s3.listObjectsV2(b -> b.bucket(bucket).maxKeys(2).continuationToken(t));
            assertTrue(page.contents().size() <= 2);
            page.contents().forEach(o -> seen.add(o.key()));
            token = page.isTruncated() ? page.nextContinuationToken() : null;
        } while (token != null);
        assertEquals(KEYS, seen);
        assertEquals(List.of("b/c/3.txt", "d e/4.txt", "z+z.txt"), s3.listObjectsV2(b -> b.bucket(bucket)
                .startAfter("b/2.txt")).contents().stream().map(S3Object::key).toList());
        assertEquals(6L, s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream().filter(o -> o.size() > 0).count());
    }

    @Test
    void listV2FetchOwnerAndUrlEncoding() {
        ListObjectsV2Response withOwner = s3.listObjectsV2(b -> b.bucket(bucket).fetchOwner(true));
        assertTrue(withOwner.contents().stream().allMatch(o -> o.owner() != null && o.owner().id() != null));
        assertTrue(s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream().allMatch(o -> o.owner() == null));
        ListObjectsV2Response enc = s3.listObjectsV2(b -> b.bucket(bucket).encodingType(EncodingType.URL).prefix("d e/"));
        // the SDK decodes url-encoded keys itself: what the user sees is the real key
        assertEquals(List.of("d e/4.txt"), enc.contents().stream().map(S3Object::key).toList());
    }

    @Test
    void listV1PaginatesWithMarkerAndNextMarker() {
        List<String> seen = new ArrayList<>();
        String marker = null;
        ListObjectsResponse page;
        do {
            String m = marker;
            page = s3.listObjects(b -> b.bucket(bucket).maxKeys(2).delimiter("/").marker(m));
            page.contents().forEach(o -> seen.add(o.key()));
            page.commonPrefixes().forEach(p -> seen.add(p.prefix()));
            marker = page.isTruncated() ? page.nextMarker() : null;
        } while (marker != null);
        assertEquals(List.of("a.txt", "b/", "d e/", "z+z.txt"), seen.stream().sorted().toList());
        ListObjectsResponse all = s3.listObjects(b -> b.bucket(bucket));
        assertEquals(KEYS, all.contents().stream().map(S3Object::key).toList());
        assertTrue(all.contents().stream().allMatch(o -> o.owner() != null), "v1 always returns the owner");
        assertNull(all.nextMarker());
    }

    @Test
    void listVersionsShowsEachObjectAsItsOnlyNullVersion() {
        var r = s3.listObjectVersions(b -> b.bucket(bucket).prefix("b/"));
        assertEquals(List.of("b/1.txt", "b/2.txt", "b/c/3.txt"), r.versions().stream().map(ObjectVersion::key).toList());
        assertTrue(r.versions().stream().allMatch(v -> "null".equals(v.versionId()) && v.isLatest()));
        var paged = s3.listObjectVersions(b -> b.bucket(bucket).maxKeys(1));
        assertTrue(paged.isTruncated());
        assertEquals("a.txt", paged.nextKeyMarker());
        var next = s3.listObjectVersions(b -> b.bucket(bucket).maxKeys(1).keyMarker("a.txt"));
        assertEquals("b/1.txt", next.versions().get(0).key());
    }

    @Test
    void maxKeysZeroAndBadValues() {
        assertEquals(0, s3.listObjectsV2(b -> b.bucket(bucket).maxKeys(0)).contents().size());
        S3Exception e = assertThrows(S3Exception.class, () -> s3.listObjectsV2(b -> b.bucket(bucket).maxKeys(-1)));
        assertEquals("InvalidArgument", e.awsErrorDetails().errorCode());
    }
}
