package dev.sseproxy.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.backend.BackendXml;
import dev.sseproxy.crypto.Envelope;
import dev.sseproxy.crypto.PartTable;
import dev.sseproxy.crypto.SseMode;
import dev.sseproxy.crypto.WrappingScheme;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How one listing entry becomes a scanned object: what inventory rows and coverage figures are made of. */
class ObjectScanClassifyTest {
    static final String ARN = "arn:aws:kms:us-east-1:000000000001:key/0f5e6c1a-8d1b-4c2e-9a57-3e0c4d1f2a6b";

    static BackendXml.Contents entry(String key, String etag, long size, Map<String, String> meta) {
        BackendXml.Contents c = new BackendXml.Contents();
        c.key = key;
        c.etag = etag;
        c.size = size;
        c.lastModified = "2026-12-06T15:30:01.250Z";
        c.userMetadata = meta;
        return c;
    }

    /** The envelope as MinIO's listing returns user metadata: with its own capitalisation. */
    static Map<String, String> listed(Envelope e) {
        Map<String, String> m = new LinkedHashMap<>();
        e.toMetadata(dev.sseproxy.crypto.EnvelopeLayout.PACKED).forEach((k, v) -> m.put("X-Amz-Meta-" + capitalize(k.substring("x-amz-meta-".length())), v));
        m.put("content-type", "text/plain");
        return m;
    }

    static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    static Envelope.Builder envelope(SseMode mode, WrappingScheme scheme) {
        return Envelope.builder().sseMode(mode).wrappingScheme(scheme).wrappedObjectKey(new byte[40])
                .plaintextSize(1000).plaintextEtag("\"0123456789abcdef0123456789abcdef\"").partTable(PartTable.single(1000));
    }

    @Test
    void anObjectWithoutEnvelopeIsNotSseWithTheBackendsSizeAndEtag() {
        ScannedObject o = ObjectScan.classify("b", entry("legacy.txt", "\"d41d8cd98f00b204e9800998ecf8427e\"", 42,
                Map.of("Content-Type", "text/plain", "X-Amz-Meta-Owner", "someone")));
        assertEquals(EncryptionStatus.NOT_SSE, o.encryption());
        assertEquals(42, o.size());
        assertEquals("d41d8cd98f00b204e9800998ecf8427e", o.etag());
        assertEquals(o.etag(), o.backendEtag());
        assertFalse(o.multipartUploaded());
        assertFalse(o.bucketKeyEnabled());
        assertEquals(Optional.empty(), o.kmsKeyArn());
        assertEquals("STANDARD", o.storageClass());
        assertEquals(Instant.parse("2026-12-06T15:30:01.250Z"), o.lastModified());
    }

    @Test
    void aPlaintextMultipartObjectIsMultipartByItsEtag() {
        ScannedObject o = ObjectScan.classify("b", entry("big", "\"0123456789abcdef0123456789abcdef-3\"", 20_000_000, null));
        assertEquals(EncryptionStatus.NOT_SSE, o.encryption());
        assertTrue(o.multipartUploaded());
    }

    @Test
    void sseKmsUnderABucketKeyReportsItsKeyThePlaintextSizeAndTheClientEtag() {
        Envelope e = envelope(SseMode.SSE_KMS, WrappingScheme.BUCKET_KEY).kmsKeyArn(ARN).bucketKeyId("bk-1")
                .wrappedBucketKey(new byte[120]).build();
        BackendXml.Contents c = entry("k", "\"ffffffffffffffffffffffffffffffff\"", 1000 + 16 + 100, listed(e));
        c.storageClass = "STANDARD";
        ScannedObject o = ObjectScan.classify("b", c);
        assertEquals(EncryptionStatus.SSE_KMS, o.encryption());
        assertTrue(o.bucketKeyEnabled());
        assertEquals(Optional.of(ARN), o.kmsKeyArn());
        assertEquals(1000, o.size());
        assertEquals("0123456789abcdef0123456789abcdef", o.etag());
        assertEquals("ffffffffffffffffffffffffffffffff", o.backendEtag());
        assertFalse(o.multipartUploaded());
    }

    @Test
    void sseKmsWithAKeyPerObjectHasNoBucketKey() {
        Envelope e = envelope(SseMode.SSE_KMS, WrappingScheme.KMS_DATA_KEY).kmsKeyArn(ARN).build();
        ScannedObject o = ObjectScan.classify("b", entry("k", "\"x\"", 1116, listed(e)));
        assertEquals(EncryptionStatus.SSE_KMS, o.encryption());
        assertFalse(o.bucketKeyEnabled());
        assertEquals(Optional.of(ARN), o.kmsKeyArn());
    }

    @Test
    void sseS3UnderTheProxysInternalBucketKeyReportsNoBucketKey() {
        Envelope e = envelope(SseMode.SSE_S3, WrappingScheme.BUCKET_KEY).bucketKeyId("bk-2").wrappedBucketKey(new byte[60])
                .build();
        ScannedObject o = ObjectScan.classify("b", entry("k", "\"x\"", 1116, listed(e)));
        assertEquals(EncryptionStatus.SSE_S3, o.encryption());
        assertFalse(o.bucketKeyEnabled());
        assertEquals(Optional.empty(), o.kmsKeyArn());
    }

    @Test
    void anEncryptedMultipartObjectIsMultipartByItsClientEtag() {
        Envelope e = envelope(SseMode.SSE_S3, WrappingScheme.BUCKET_KEY).bucketKeyId("bk-2").wrappedBucketKey(new byte[60])
                .plaintextEtag("\"0123456789abcdef0123456789abcdef-2\"").build();
        ScannedObject o = ObjectScan.classify("b", entry("k", "\"0000\"", 1116, listed(e)));
        assertTrue(o.multipartUploaded());
        assertEquals("0123456789abcdef0123456789abcdef-2", o.etag());
    }

    @Test
    void anUnreadableEnvelopeIsStillEncryptedWithTheModeItNames() {
        Map<String, String> broken = Map.of("X-Amz-Meta-Sse-Proxy-Mode", "SSE_KMS", "X-Amz-Meta-Sse-Proxy-V", "99",
                "X-Amz-Meta-Sse-Proxy-Kms-Key", ARN);
        ScannedObject o = ObjectScan.classify("b", entry("k", "\"abc\"", 500, broken));
        assertEquals(EncryptionStatus.SSE_KMS, o.encryption());
        assertEquals(Optional.of(ARN), o.kmsKeyArn());
        assertEquals(500, o.size(), "no size correction without a readable envelope");
    }

    @Test
    void anUnreadableEnvelopeWithAnUnknownOrNoneModeIsNeverNotSse() {
        for (String mode : new String[] {"NONE", "SOMETHING", ""}) {
            Map<String, String> broken = Map.of("x-amz-meta-sse-proxy-mode", mode, "x-amz-meta-sse-proxy-v", "99");
            ScannedObject o = ObjectScan.classify("b", entry("k", "\"abc\"", 500, broken));
            assertTrue(o.encryption().encrypted(), mode);
        }
        ScannedObject noMode = ObjectScan.classify("b", entry("k", "\"abc\"", 500, Map.of("x-amz-meta-sse-proxy-v", "99")));
        assertEquals(EncryptionStatus.SSE_S3, noMode.encryption());
    }

    @Test
    void sseCObjectsAreSseC() {
        Envelope e = envelope(SseMode.SSE_C, WrappingScheme.SSE_C_DERIVED).sseCustomerKeyHmac(new byte[32]).build();
        ScannedObject o = ObjectScan.classify("b", entry("k", "\"x\"", 1116, listed(e)));
        assertEquals(EncryptionStatus.SSE_C, o.encryption());
        assertFalse(o.bucketKeyEnabled());
    }
}
