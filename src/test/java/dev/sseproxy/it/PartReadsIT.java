package dev.sseproxy.it;

import static dev.sseproxy.it.NegativeIT.assertError;
import static dev.sseproxy.it.SseObjectsIT.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.it.RawHttp.Req;
import dev.sseproxy.it.RawHttp.Response;
import dev.sseproxy.it.SseMultipartIT.Mode;
import dev.sseproxy.it.SseObjectsIT.CKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectAttributesRequest;
import software.amazon.awssdk.services.s3.model.GetObjectAttributesResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;
import software.amazon.awssdk.services.s3.model.ObjectPart;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Issue #10 item 13: part reads ({@code GET/HEAD ?partNumber=N}) and GetObjectAttributes, for
 * multipart objects in every SSE mode (SSE-C over TLS) and for single-part objects, through the
 * AWS SDK v2. A part read is a range read: 206, the part's bytes, {@code Content-Range}, the whole
 * object's ETag, and {@code x-amz-mp-parts-count} for multipart objects only; a part beyond the
 * last is 416 InvalidPartNumber.
 */
class PartReadsIT {
    static final int MIB = 1024 * 1024;
    static S3Client s3;
    static S3Client tls;
    static KmsClient kms;

    @BeforeAll
    static void setUp() {
        s3 = Clients.sdk();
        tls = Clients.tlsSdk();
        ProxyProcess p = ProxyProcess.get();
        kms = KmsClient.builder().endpointOverride(p.managementEndpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void tearDown() {
        s3.close();
        tls.close();
        kms.close();
    }

    /** A three-part object (5 MiB, 5 MiB + 17, 100,001 bytes) in the given mode. */
    record Mpu(S3Client c, String bucket, String key, CKey k, byte[][] parts, String etag) {
        long start(int index) {
            long s = 0;
            for (int i = 0; i < index; i++) {
                s += parts[i].length;
            }
            return s;
        }

        long size() {
            return start(parts.length);
        }

        GetObjectRequest.Builder get(int part) {
            GetObjectRequest.Builder b = GetObjectRequest.builder().bucket(bucket).key(key).partNumber(part);
            return k == null ? b : b.sseCustomerAlgorithm("AES256").sseCustomerKey(k.b64()).sseCustomerKeyMD5(k.md5());
        }

        HeadObjectRequest.Builder head(int part) {
            HeadObjectRequest.Builder b = HeadObjectRequest.builder().bucket(bucket).key(key).partNumber(part);
            return k == null ? b : b.sseCustomerAlgorithm("AES256").sseCustomerKey(k.b64()).sseCustomerKeyMD5(k.md5());
        }

        GetObjectAttributesRequest.Builder attributes() {
            GetObjectAttributesRequest.Builder b = GetObjectAttributesRequest.builder().bucket(bucket).key(key)
                    .objectAttributes(ObjectAttributes.E_TAG, ObjectAttributes.CHECKSUM, ObjectAttributes.OBJECT_PARTS,
                            ObjectAttributes.STORAGE_CLASS, ObjectAttributes.OBJECT_SIZE);
            return k == null ? b : b.sseCustomerAlgorithm("AES256").sseCustomerKey(k.b64()).sseCustomerKeyMD5(k.md5());
        }
    }

    static Mpu upload(Mode mode) throws Exception {
        String bucket = mode == Mode.SSE_C ? Clients.sseCBucket(s3, "parts") : Clients.newBucket(s3, "parts");
        S3Client c = mode == Mode.SSE_C ? tls : s3;
        CKey k = mode == Mode.SSE_C ? CKey.random(91) : null;
        String arn = mode == Mode.SSE_KMS || mode == Mode.SSE_KMS_BUCKET_KEY
                ? kms.createKey(b -> b.description("PartReadsIT")).keyMetadata().arn() : null;
        CreateMultipartUploadRequest.Builder req = CreateMultipartUploadRequest.builder().bucket(bucket).key("o");
        switch (mode) {
            case SSE_S3 -> req.serverSideEncryption(ServerSideEncryption.AES256);
            case SSE_KMS -> req.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(arn);
            case SSE_KMS_BUCKET_KEY -> req.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(arn)
                    .bucketKeyEnabled(true);
            case SSE_C -> req.sseCustomerAlgorithm("AES256").sseCustomerKey(k.b64()).sseCustomerKeyMD5(k.md5());
        }
        String uploadId = c.createMultipartUpload(req.build()).uploadId();
        byte[][] parts = {random(5 * MIB, 11 + mode.ordinal()), random(5 * MIB + 17, 21 + mode.ordinal()),
            random(100_001, 31 + mode.ordinal())};
        List<String> etags = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            etags.add(SseMultipartIT.uploadPart(c, bucket, "o", uploadId, i + 1, parts[i], k));
        }
        String etag = SseMultipartIT.complete(c, bucket, "o", uploadId, etags).eTag();
        return new Mpu(c, bucket, "o", k, parts, etag);
    }

    void partReadsAndAttributes(Mode mode) throws Exception {
        Mpu m = upload(mode);
        for (int n = 1; n <= 3; n++) {
            var got = m.c().getObjectAsBytes(m.get(n).build());
            byte[] expected = m.parts()[n - 1];
            assertArrayEquals(expected, got.asByteArray(), "part " + n);
            assertEquals(206, got.response().sdkHttpResponse().statusCode());
            assertEquals((long) expected.length, got.response().contentLength());
            assertEquals("bytes " + m.start(n - 1) + "-" + (m.start(n) - 1) + "/" + m.size(), got.response().contentRange());
            assertEquals(m.etag(), got.response().eTag());
            assertEquals(3, got.response().partsCount());

            var head = m.c().headObject(m.head(n).build());
            assertEquals(206, head.sdkHttpResponse().statusCode());
            assertEquals((long) expected.length, head.contentLength());
            assertEquals(3, head.partsCount());
            assertEquals(m.etag(), head.eTag());
        }
        S3Exception beyond = assertThrows(S3Exception.class, () -> m.c().getObjectAsBytes(m.get(4).build()));
        assertError(beyond, 416, "InvalidPartNumber", "The requested partnumber is not satisfiable");
        S3Exception headBeyond = assertThrows(S3Exception.class, () -> m.c().headObject(m.head(4).build()));
        assertEquals(416, headBeyond.statusCode());

        GetObjectAttributesResponse all = m.c().getObjectAttributes(m.attributes().build());
        assertEquals(m.etag().replace("\"", ""), all.eTag());
        assertEquals(m.size(), all.objectSize());
        assertEquals("STANDARD", all.storageClassAsString());
        assertEquals(3, all.objectParts().totalPartsCount());
        assertEquals(List.of(1, 2, 3), all.objectParts().parts().stream().map(ObjectPart::partNumber).toList());
        assertEquals(List.of((long) m.parts()[0].length, (long) m.parts()[1].length, (long) m.parts()[2].length),
                all.objectParts().parts().stream().map(ObjectPart::size).toList());
        assertFalse(all.objectParts().isTruncated());
        assertTrue(all.lastModified() != null);

        GetObjectAttributesResponse first = m.c().getObjectAttributes(m.attributes().maxParts(2).build());
        assertEquals(List.of(1, 2), first.objectParts().parts().stream().map(ObjectPart::partNumber).toList());
        assertTrue(first.objectParts().isTruncated());
        assertEquals(2, first.objectParts().nextPartNumberMarker());
        assertEquals(2, first.objectParts().maxParts());
        assertEquals(3, first.objectParts().totalPartsCount());
        GetObjectAttributesResponse rest = m.c().getObjectAttributes(m.attributes().maxParts(2)
                .partNumberMarker(first.objectParts().nextPartNumberMarker()).build());
        assertEquals(List.of(3), rest.objectParts().parts().stream().map(ObjectPart::partNumber).toList());
        assertEquals((long) m.parts()[2].length, rest.objectParts().parts().get(0).size());
        assertFalse(rest.objectParts().isTruncated());
        assertEquals(2, rest.objectParts().partNumberMarker());

        if (mode == Mode.SSE_C) {
            S3Exception noKey = assertThrows(S3Exception.class, () -> tls.getObjectAttributes(b -> b.bucket(m.bucket())
                    .key(m.key()).objectAttributes(ObjectAttributes.E_TAG)));
            assertError(noKey, 400, "InvalidRequest", "The object was stored using a form of Server Side Encryption. "
                    + "The correct parameters must be provided to retrieve the object.");
            CKey wrong = CKey.random(92);
            S3Exception wrongKey = assertThrows(S3Exception.class, () -> tls.getObjectAttributes(b -> b
                    .bucket(m.bucket()).key(m.key()).objectAttributes(ObjectAttributes.E_TAG)
                    .sseCustomerAlgorithm("AES256").sseCustomerKey(wrong.b64()).sseCustomerKeyMD5(wrong.md5())));
            assertError(wrongKey, 403, "AccessDenied", null);
            S3Exception partNoKey = assertThrows(S3Exception.class, () -> tls.getObjectAsBytes(b -> b
                    .bucket(m.bucket()).key(m.key()).partNumber(1)));
            assertEquals(400, partNoKey.statusCode());
        }
    }

    @Test
    void partReadsAndAttributes_sseS3() throws Exception {
        partReadsAndAttributes(Mode.SSE_S3);
    }

    @Test
    void partReadsAndAttributes_sseKms() throws Exception {
        partReadsAndAttributes(Mode.SSE_KMS);
    }

    @Test
    void partReadsAndAttributes_sseKmsBucketKey() throws Exception {
        partReadsAndAttributes(Mode.SSE_KMS_BUCKET_KEY);
    }

    @Test
    void partReadsAndAttributes_sseC() throws Exception {
        partReadsAndAttributes(Mode.SSE_C);
    }

    @Test
    void singlePartObjectHasPartOneOnlyAndNoPartsCount() throws Exception {
        String bucket = Clients.newBucket(s3, "parts-single");
        byte[] data = random(70_000, 5);
        var put = s3.putObject(b -> b.bucket(bucket).key("s").checksumAlgorithm(ChecksumAlgorithm.CRC32),
                RequestBody.fromBytes(data));
        var got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("s").partNumber(1));
        assertArrayEquals(data, got.asByteArray());
        assertEquals(206, got.response().sdkHttpResponse().statusCode());
        assertEquals("bytes 0-69999/70000", got.response().contentRange());
        assertNull(got.response().partsCount());
        assertEquals(put.eTag(), got.response().eTag());
        var head = s3.headObject(b -> b.bucket(bucket).key("s").partNumber(1));
        assertEquals(206, head.sdkHttpResponse().statusCode());
        assertEquals(70_000L, head.contentLength());
        assertNull(head.partsCount());

        S3Exception two = assertThrows(S3Exception.class, () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("s")
                .partNumber(2)));
        assertError(two, 416, "InvalidPartNumber", "The requested partnumber is not satisfiable");
        Response raw = Req.of("GET", "/" + bucket + "/s", "partNumber=2").sign().send();
        assertError(raw, 416, "InvalidPartNumber", "The requested partnumber is not satisfiable");

        GetObjectAttributesResponse a = s3.getObjectAttributes(b -> b.bucket(bucket).key("s").objectAttributes(
                ObjectAttributes.E_TAG, ObjectAttributes.CHECKSUM, ObjectAttributes.OBJECT_PARTS,
                ObjectAttributes.STORAGE_CLASS, ObjectAttributes.OBJECT_SIZE));
        assertEquals(put.eTag().replace("\"", ""), a.eTag());
        assertEquals(70_000L, a.objectSize());
        assertNull(a.objectParts(), "no ObjectParts for an object not made by a multipart upload");
        assertEquals(put.checksumCRC32(), a.checksum().checksumCRC32());
        assertEquals("FULL_OBJECT", a.checksum().checksumTypeAsString());

        // only what was asked for; the document as S3 writes it
        Response only = Req.of("GET", "/" + bucket + "/s", "attributes").header("x-amz-object-attributes", "ObjectSize")
                .sign().send();
        assertEquals(200, only.status(), only::toString);
        assertTrue(only.text().contains("<GetObjectAttributesResponse"), only::toString);
        assertEquals("70000", only.element("ObjectSize"));
        assertNull(only.element("ETag"));
        assertError(Req.of("GET", "/" + bucket + "/s", "attributes").sign().send(), 400, "InvalidArgument", null);
        assertError(Req.of("GET", "/" + bucket + "/s", "attributes").header("x-amz-object-attributes", "Color")
                .sign().send(), 400, "InvalidArgument", "Invalid attribute name specified.");
        assertError(Req.of("GET", "/" + bucket + "/nope", "attributes").header("x-amz-object-attributes", "ETag")
                .sign().send(), 404, "NoSuchKey", null);
    }

    @Test
    void onePartMultipartObjectReportsPartsCountOne() throws Exception {
        String bucket = Clients.newBucket(s3, "parts-one");
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("o")).uploadId();
        byte[] data = random(1000, 6);
        String etag = SseMultipartIT.uploadPart(s3, bucket, "o", uploadId, 1, data, null);
        SseMultipartIT.complete(s3, bucket, "o", uploadId, List.of(etag));
        var got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("o").partNumber(1));
        assertArrayEquals(data, got.asByteArray());
        assertEquals(1, got.response().partsCount());
        GetObjectAttributesResponse a = s3.getObjectAttributes(b -> b.bucket(bucket).key("o")
                .objectAttributes(ObjectAttributes.OBJECT_PARTS));
        assertEquals(1, a.objectParts().totalPartsCount());
        assertEquals(1000L, a.objectParts().parts().get(0).size());
    }
}
