package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.crypto.Envelope;
import dev.sseproxy.crypto.PartTable;
import io.minio.CopyObjectArgs;
import io.minio.Directive;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.SourceObject;
import io.minio.StatObjectArgs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The object format's hardening (issue 10, items 6 and 7): part tables too long for the backend's
 * user metadata are stored in the catalog and the upload completes; size and part table are bound
 * to the object key, so editing either behind the proxy's back fails the read; a proxy set to
 * {@code legacy-plaintext=refuse} refuses objects without an envelope.
 */
class EnvelopeIntegrityIT {
    static final int MIB = 1024 * 1024;
    static final String META = "x-amz-meta-";
    static final String P = Envelope.PREFIX;

    static S3Client s3;
    static MinioClient minio;
    static ProxyProcess proxy;

    @BeforeAll
    static void setUp() {
        s3 = Clients.sdk();
        minio = Clients.backend();
        proxy = ProxyProcess.get();
    }

    // ---------------------------------------------------------------- helpers

    /** The deterministic bytes of one part attempt. */
    static byte[] partBytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** The stored user metadata, names lower-case without their x-amz-meta- prefix, the envelope one entry per field. */
    static Map<String, String> userMeta(String bucket, String key) throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        var h = minio.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()).headers();
        for (String name : h.names()) {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.startsWith(META)) {
                m.put(n.substring(META.length()), h.get(name));
            }
        }
        return StoredEnvelope.unpacked(m);
    }

    /**
     * Rewrites the object's user metadata in MinIO directly (a metadata-only copy onto itself), the
     * envelope packed as the proxy writes it by default.
     */
    static void rewriteMeta(String bucket, String key, Map<String, String> user) throws Exception {
        minio.copyObject(CopyObjectArgs.builder().bucket(bucket).object(key)
                .source(SourceObject.builder().bucket(bucket).object(key).build())
                .metadataDirective(Directive.REPLACE).userMetadata(StoredEnvelope.packed(user)).build());
    }

    static String field(String name) {
        return P.substring(META.length()) + name;
    }

    /** GET fails with S3's 500 InternalError: no body, no wrong Content-Length. */
    static void assertGetFails(String bucket, String key) {
        S3Exception e = assertThrows(S3Exception.class, () -> {
            try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key))) {
                in.readAllBytes();
            }
        }, "GET of a tampered object must fail before any byte");
        assertEquals(500, e.statusCode(), e::toString);
        assertEquals("InternalError", e.awsErrorDetails().errorCode(), e::toString);
    }

    static byte[] range(String bucket, String key, long first, long last) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).range("bytes=" + first + "-" + last)).asByteArray();
    }

    static long rows(String bucket, String key) {
        return Long.parseLong(proxy.sql("SELECT count(*) FROM sse_part_table WHERE bucket = '" + bucket
                + "' AND object_key = '" + key + "'").trim());
    }

    // ---------------------------------------------------------------- item 6

    /**
     * 66 part uploads (60 parts of random sizes, 6 of them uploaded twice with other bytes and
     * sizes) make a table of some 700 characters, more than the metadata holds: S3's 5 MiB minimum
     * for all parts but the last, which the proxy enforces, keeps the count sane (the 10,000-part
     * table is proven in {@code EnvelopeIntegrityTest}).
     */
    @Test
    void anUploadWhosePartTableExceedsTheMetadataCompletesAndReadsBackExactly() throws Exception {
        String bucket = Clients.newBucket(s3, "env-big");
        String key = "big/object.bin";
        int parts = 60;
        Random r = new Random(61);
        int[] sizes = new int[parts + 1];
        long[] seeds = new long[parts + 1];
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        String[] etags = new String[parts + 1];
        for (int n = 1; n <= parts; n++) {
            sizes[n] = n == parts ? 1 + r.nextInt(MIB) : 5 * MIB + r.nextInt(MIB);
            seeds[n] = n;
            int pn = n;
            etags[n] = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(pn),
                    RequestBody.fromBytes(partBytes(sizes[pn], seeds[pn]))).eTag();
        }
        for (int n : new int[] {3, 17, 29, 41, 52, parts}) {
            // uploaded again, other bytes and size: this attempt is the one that counts
            sizes[n] = n == parts ? 1 + r.nextInt(MIB) : 5 * MIB + r.nextInt(MIB);
            seeds[n] = 1000 + n;
            int pn = n;
            etags[n] = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(pn),
                    RequestBody.fromBytes(partBytes(sizes[pn], seeds[pn]))).eTag();
        }
        List<CompletedPart> done = new ArrayList<>();
        for (int n = 1; n <= parts; n++) {
            done.add(CompletedPart.builder().partNumber(n).eTag(etags[n]).build());
        }
        s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(done)));

        long total = 0;
        long[] starts = new long[parts + 2];
        for (int n = 1; n <= parts; n++) {
            starts[n] = total;
            total += sizes[n];
        }
        starts[parts + 1] = total;

        // the envelope holds the table's digest and MAC; the catalog row holds part sizes only
        Map<String, String> meta = userMeta(bucket, key);
        assertEquals("2", meta.get(field("v")));
        assertTrue(meta.get(field("parts")).startsWith("sha256:"), meta::toString);
        assertTrue(meta.containsKey(field("mac")), meta::toString);
        String table = proxy.sql("SELECT part_table FROM sse_part_table WHERE bucket = '" + bucket
                + "' AND object_key = '" + key + "'").trim();
        assertTrue(table.length() > Envelope.PART_TABLE_BUDGET, table);
        assertTrue(table.matches("[0-9x:,]+"), "the side table holds part sizes only: " + table);
        PartTable stored = PartTable.decode(table);
        assertEquals(parts, stored.parts().size());
        assertEquals(total, stored.plaintextLength());
        String everything = proxy.sql("SELECT bucket || object_key || encode(digest, 'hex') || part_table "
                + "FROM sse_part_table WHERE bucket = '" + bucket + "'");
        byte[] sample = java.util.Arrays.copyOf(partBytes(sizes[1], seeds[1]), 16);
        assertFalse(everything.contains(java.util.HexFormat.of().formatHex(sample)), "no plaintext in the side table");

        // whole object, byte for byte, and its length
        assertEquals(total, s3.headObject(b -> b.bucket(bucket).key(key)).contentLength());
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key))) {
            assertEquals(total, in.response().contentLength());
            for (int n = 1; n <= parts; n++) {
                assertArrayEquals(partBytes(sizes[n], seeds[n]), in.readNBytes(sizes[n]), "part " + n);
            }
            assertEquals(-1, in.read());
        }
        // ranges across part edges (retried parts included) and across three parts
        for (int n : new int[] {2, 3, 29, 40, parts - 1}) {
            long edge = starts[n + 1];
            byte[] got = range(bucket, key, edge - 1000, edge + 999);
            ByteArrayOutputStream want = new ByteArrayOutputStream();
            byte[] left = partBytes(sizes[n], seeds[n]);
            want.write(left, left.length - 1000, 1000);
            want.write(partBytes(sizes[n + 1], seeds[n + 1]), 0, 1000);
            assertArrayEquals(want.toByteArray(), got, "range across the edge after part " + n);
        }
        byte[] across = range(bucket, key, starts[17] - 5, starts[19] + 4);
        ByteArrayOutputStream want = new ByteArrayOutputStream();
        byte[] p16 = partBytes(sizes[16], seeds[16]);
        want.write(p16, p16.length - 5, 5);
        want.write(partBytes(sizes[17], seeds[17]));
        want.write(partBytes(sizes[18], seeds[18]));
        want.write(partBytes(sizes[19], seeds[19]), 0, 5);
        assertArrayEquals(want.toByteArray(), across, "range over parts 16..19");
        byte[] tail = range(bucket, key, total - 10, total - 1);
        byte[] last = partBytes(sizes[parts], seeds[parts]);
        assertArrayEquals(java.util.Arrays.copyOfRange(last, last.length - 10, last.length), tail);

        // a copy of it reads back the same (the copy source goes through the same loading)
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(key).destinationBucket(bucket).destinationKey("copy"));
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key("copy"))) {
            for (int n = 1; n <= parts; n++) {
                assertArrayEquals(partBytes(sizes[n], seeds[n]), in.readNBytes(sizes[n]), "copy, part " + n);
            }
        }

        // item 7 on the side table: an edited row fails the read, with or without the digest edited to match
        List<PartTable.Part> swapped = new ArrayList<>(stored.parts());
        PartTable.Part a = swapped.get(4);
        PartTable.Part b = swapped.get(5);
        swapped.set(4, new PartTable.Part(a.number(), b.plaintextLength()));
        swapped.set(5, new PartTable.Part(b.number(), a.plaintextLength()));
        PartTable edited = new PartTable(swapped);
        proxy.sql("UPDATE sse_part_table SET part_table = '" + edited.encode() + "' WHERE bucket = '" + bucket
                + "' AND object_key = '" + key + "'");
        assertGetFails(bucket, key);
        Map<String, String> redigested = new LinkedHashMap<>(meta);
        redigested.put(field("parts"), "sha256:" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Envelope.partTableDigest(edited)));
        proxy.sql("UPDATE sse_part_table SET digest = decode('" + java.util.HexFormat.of().formatHex(
                Envelope.partTableDigest(edited)) + "', 'hex') WHERE bucket = '" + bucket + "' AND object_key = '" + key + "'");
        rewriteMeta(bucket, key, redigested);
        assertGetFails(bucket, key);
        // a missing row fails too
        proxy.sql("DELETE FROM sse_part_table WHERE bucket = '" + bucket + "' AND object_key = '" + key + "'");
        rewriteMeta(bucket, key, meta);
        assertGetFails(bucket, key);

        // deleting an object through the proxy removes its row
        proxy.sql("INSERT INTO sse_part_table (bucket, object_key, digest, part_table) VALUES ('" + bucket + "', '"
                + key + "', decode('" + java.util.HexFormat.of().formatHex(Envelope.partTableDigest(stored))
                + "', 'hex'), '" + table + "')");
        assertArrayEquals(partBytes(sizes[1], seeds[1]), range(bucket, key, 0, sizes[1] - 1), "row restored");
        assertEquals(1, rows(bucket, key));
        s3.deleteObject(x -> x.bucket(bucket).key(key));
        assertEquals(0, rows(bucket, key));
        s3.deleteObject(x -> x.bucket(bucket).key("copy"));
    }

    // ---------------------------------------------------------------- item 7

    @Test
    void editingTheSizeOrThePartTableInMinioFailsTheRead() throws Exception {
        String bucket = Clients.newBucket(s3, "env-tamper");
        String key = "mp";
        int[] sizes = {5 * MIB, 5 * MIB, 1000};
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        List<CompletedPart> done = new ArrayList<>();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < sizes.length; i++) {
            byte[] part = partBytes(sizes[i], 700 + i);
            all.write(part);
            int pn = i + 1;
            String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(pn),
                    RequestBody.fromBytes(part)).eTag();
            done.add(CompletedPart.builder().partNumber(pn).eTag(etag).build());
        }
        s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(done)));
        byte[] data = all.toByteArray();
        Map<String, String> meta = userMeta(bucket, key);
        assertEquals("2x5242880,1x1000", meta.get(field("parts")));
        assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());

        Map<String, Map<String, String>> edits = new LinkedHashMap<>();
        edits.put("size only", Map.of(field("size"), Long.toString(data.length - 1000)));
        edits.put("last part dropped (size and table agree)", Map.of(field("size"), Long.toString(2L * 5 * MIB),
                field("parts"), "2x5242880"));
        edits.put("parts reordered, same size", Map.of(field("parts"), "1x5242880,1x1000,1x5242880"));
        edits.put("last part shortened", Map.of(field("size"), Long.toString(data.length - 999),
                field("parts"), "2x5242880,1x1"));
        edits.put("table MAC removed", Map.of(field("mac"), ""));
        edits.put("relabelled as version 1 without MAC", Map.of(field("v"), "1", field("mac"), "",
                field("size"), Long.toString(2L * 5 * MIB), field("parts"), "2x5242880"));
        for (var edit : edits.entrySet()) {
            Map<String, String> m = new LinkedHashMap<>(meta);
            edit.getValue().forEach((n, v) -> {
                if (v.isEmpty()) {
                    m.remove(n);
                } else {
                    m.put(n, v);
                }
            });
            rewriteMeta(bucket, key, m);
            try {
                assertGetFails(bucket, key);
            } catch (AssertionError e) {
                throw new AssertionError(edit.getKey() + ": " + e.getMessage(), e);
            }
            rewriteMeta(bucket, key, meta);
            assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray(),
                    "restored after " + edit.getKey());
        }

        // single PUTs too, in each way the object key is kept (bucket key, KMS data key)
        byte[] small = partBytes(200_000, 799);
        for (ServerSideEncryption sse : List.of(ServerSideEncryption.AES256, ServerSideEncryption.AWS_KMS)) {
            String k = "single-" + sse;
            s3.putObject(b -> b.bucket(bucket).key(k).serverSideEncryption(sse), RequestBody.fromBytes(small));
            Map<String, String> m = userMeta(bucket, k);
            m.put(field("size"), "131072");
            m.put(field("parts"), "1x131072");
            rewriteMeta(bucket, k, m);
            assertGetFails(bucket, k);
        }
    }

    @Test
    void legacyPlaintextIsServedByDefaultAndRefusedWhenConfigured() throws Exception {
        byte[] plain = "stored in MinIO before sse-proxy".getBytes(StandardCharsets.UTF_8);
        String served = Clients.newBucket(s3, "env-legacy");
        putPlain(served, "old.txt", plain);
        assertArrayEquals(plain, s3.getObjectAsBytes(b -> b.bucket(served).key("old.txt")).asByteArray());

        ProxyProcess refusing = ProxyProcess.startDedicated("refuse", 650,
                Map.of("SSE_PROXY_ENCRYPTION_LEGACY_PLAINTEXT", "refuse"));
        try (S3Client c = Clients.sdk(refusing.endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY)) {
            String bucket = Clients.newBucket(c, "env-refuse");
            putPlain(bucket, "old.txt", plain);
            c.putObject(b -> b.bucket(bucket).key("new.txt"), RequestBody.fromBytes(plain));
            assertArrayEquals(plain, c.getObjectAsBytes(b -> b.bucket(bucket).key("new.txt")).asByteArray());

            S3Exception get = assertThrows(S3Exception.class, () -> c.getObjectAsBytes(b -> b.bucket(bucket).key("old.txt")));
            assertEquals(403, get.statusCode(), get::toString);
            assertEquals("AccessDenied", get.awsErrorDetails().errorCode());
            assertTrue(get.awsErrorDetails().errorMessage().contains("stored without encryption"), get::toString);
            S3Exception head = assertThrows(S3Exception.class, () -> c.headObject(b -> b.bucket(bucket).key("old.txt")));
            assertEquals(403, head.statusCode(), head::toString);
            S3Exception copy = assertThrows(S3Exception.class, () -> c.copyObject(b -> b.sourceBucket(bucket)
                    .sourceKey("old.txt").destinationBucket(bucket).destinationKey("copied.txt")));
            assertEquals(403, copy.statusCode(), copy::toString);
            assertEquals("AccessDenied", copy.awsErrorDetails().errorCode());
        } finally {
            refusing.stop();
        }
    }

    /**
     * An object exactly as the code before envelope version 2 stored it (SSE-C, two parts, version-1
     * envelope: version byte 1 in the key wrap, no table MAC), made here with the crypto package and
     * put into MinIO directly: it reads through the proxy, whole and across its part edge.
     */
    @Test
    void objectsInTheVersionOneFormatStillRead() throws Exception {
        String bucket = Clients.sseCBucket(s3, "env-v1");
        String key = "written-by-older-code";
        byte[] customer = partBytes(32, 901);
        byte[] data = partBytes(3 * 65536 + 7, 902);
        int split = 65536 + 100;
        dev.sseproxy.crypto.ObjectIdentity id = new dev.sseproxy.crypto.ObjectIdentity(bucket, key);
        Map<String, String> user = new LinkedHashMap<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (var ck = dev.sseproxy.crypto.KeyMaterial.of(customer); var objectKey = dev.sseproxy.crypto.KeyMaterial.random()) {
            byte[] verifier = dev.sseproxy.crypto.CustomerKeys.verifier(ck, dev.sseproxy.crypto.CustomerKeys.newSalt());
            byte[] wrapped;
            try (var kek = dev.sseproxy.crypto.CustomerKeys.kek(ck, verifier)) {
                wrapped = dev.sseproxy.crypto.KeyWrap.wrap(kek, objectKey, Envelope.keyWrapAad(1, id,
                        dev.sseproxy.crypto.Algorithm.AES256_GCM_64K, dev.sseproxy.crypto.SseMode.SSE_C,
                        dev.sseproxy.crypto.WrappingScheme.SSE_C_DERIVED));
            }
            for (int part = 1; part <= 2; part++) {
                var enc = new dev.sseproxy.crypto.FrameEncryptor(objectKey, id, part, part == 1 ? split : data.length - split);
                java.util.function.Consumer<java.nio.ByteBuffer> out = bb -> {
                    byte[] c = new byte[bb.remaining()];
                    bb.get(c);
                    body.write(c, 0, c.length);
                };
                enc.update(part == 1 ? java.nio.ByteBuffer.wrap(data, 0, split)
                        : java.nio.ByteBuffer.wrap(data, split, data.length - split), out);
                enc.finish(out);
            }
            Envelope v1 = Envelope.builder().version(1).sseMode(dev.sseproxy.crypto.SseMode.SSE_C)
                    .wrappingScheme(dev.sseproxy.crypto.WrappingScheme.SSE_C_DERIVED).wrappedObjectKey(wrapped)
                    .sseCustomerKeyHmac(verifier).plaintextEtag("0123456789abcdef0123456789abcdef-2")
                    .partTable(PartTable.ofSizes(split, data.length - split)).build();
            v1.toMetadata(dev.sseproxy.crypto.EnvelopeLayout.FIELDS).forEach((n, v) -> user.put(n.substring(META.length()), v));
        }
        assertEquals("1", user.get(field("v")));
        byte[] stored = body.toByteArray();
        minio.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                .stream(new ByteArrayInputStream(stored), (long) stored.length, -1L).userMetadata(user).build());

        String b64 = Base64.getEncoder().encodeToString(customer);
        String md5 = Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("MD5").digest(customer));
        try (S3Client tls = Clients.tlsSdk()) {
            assertArrayEquals(data, tls.getObjectAsBytes(b -> b.bucket(bucket).key(key).sseCustomerAlgorithm("AES256")
                    .sseCustomerKey(b64).sseCustomerKeyMD5(md5)).asByteArray());
            byte[] edge = tls.getObjectAsBytes(b -> b.bucket(bucket).key(key).range("bytes=" + (split - 10) + "-" + (split + 9))
                    .sseCustomerAlgorithm("AES256").sseCustomerKey(b64).sseCustomerKeyMD5(md5)).asByteArray();
            assertArrayEquals(java.util.Arrays.copyOfRange(data, split - 10, split + 10), edge);
        }
    }

    static void putPlain(String bucket, String key, byte[] body) throws Exception {
        try (InputStream in = new ByteArrayInputStream(body)) {
            minio.putObject(PutObjectArgs.builder().bucket(bucket).object(key).stream(in, (long) body.length, -1L).build());
        }
    }
}
