package dev.sseproxy.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvelopeTest {
    static final HexFormat HEX = HexFormat.of();
    static final String P = Envelope.PREFIX;

    /** A typical SSE-KMS object with an S3 Bucket Key, uploaded in 1,000 parts. */
    static Envelope full() {
        long[] sizes = new long[1000];
        java.util.Arrays.fill(sizes, 8_388_608);
        sizes[999] = 1234;
        return Envelope.builder()
                .sseMode(SseMode.SSE_KMS)
                .kmsKeyArn("arn:aws:kms:us-east-1:123456789012:key/0f5e6c1a-8d1b-4c2e-9a57-3e0c4d1f2a6b")
                .kmsKeyVersion(3)
                .wrappingScheme(WrappingScheme.BUCKET_KEY)
                .wrappedObjectKey(new byte[KeyWrap.WRAPPED_LENGTH])
                .bucketKeyId("bk-9f86d081884c7d65")
                .wrappedBucketKey(new byte[120])
                .encryptionContextHash(new byte[32])
                .plaintextEtag("9b2cf535f27731c974343645a3985328-1000")
                .checksum(new Envelope.Checksum("CRC64NVME", "AAAAAAAAAAA="))
                .partTable(PartTable.ofSizes(sizes))
                .build();
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(EnvelopeLayout.class)
    void fullEnvelopeRoundTripsAndStaysUnderOnePointFiveKilobytes(EnvelopeLayout layout) {
        Envelope e = full();
        Map<String, String> m = e.toMetadata(layout);
        assertEquals(Optional.of(e), Envelope.fromMetadata(m));
        int size = m.entrySet().stream().mapToInt(x -> x.getKey().length() + x.getValue().length()).sum();
        assertTrue(size <= 1536, "envelope takes " + size + " bytes");
        m.keySet().forEach(k -> assertEquals(k.toLowerCase(), k));
        // packed: single spaces between the fields, none elsewhere
        m.values().forEach(v -> assertTrue(v.chars().allMatch(c -> c >= 0x20 && c < 0x7f) && !v.contains("  ")
                && !v.startsWith(" ") && !v.endsWith(" ") && (layout == EnvelopeLayout.PACKED || !v.contains(" ")), v));
        assertEquals(layout == EnvelopeLayout.PACKED ? 1 : 14, m.size(), m::toString);
        assertEquals(e.toMetadata(EnvelopeLayout.FIELDS), Envelope.storedFields(m));
    }

    @Test
    void minimalSseS3EnvelopePacksItsFieldsIntoOneEntry() {
        Envelope e = Envelope.builder().wrappingScheme(WrappingScheme.BUCKET_KEY).wrappedObjectKey(new byte[] {1, 2, 3})
                .partTable(PartTable.single(5)).build();
        Map<String, String> expected = Map.of(P + "envelope", "v=2 alg=AES256-GCM-64K mode=SSE_S3 wrap=BUCKET_KEY wk=AQID size=5 parts=1x5");
        assertEquals(expected, e.toMetadata(EnvelopeLayout.PACKED));
        assertEquals(Optional.of(e), Envelope.fromMetadata(expected));
    }

    @Test
    void goldenPackedMetadataDecodesBesideOtherMetadataAndItsCompanions() {
        Map<String, String> m = new HashMap<>();
        m.put("Content-Type", "image/jpeg");
        m.put("X-Amz-Meta-Colour", "blue");
        m.put("X-Amz-Meta-Sse-Proxy-Envelope", "v=2 alg=AES256-GCM-64K mode=SSE_S3 wrap=BUCKET_KEY wk=AQIDBA bk-id=abc "
                + "bk=AQID size=131077 cks=CRC32C:yZRlqg== parts=2x65536,4:1x5 mac=" + "A".repeat(43));
        m.put("X-Amz-Meta-Sse-Proxy-Etag-Ref", "w1");
        Envelope e = Envelope.fromMetadata(m).orElseThrow();
        assertEquals(2, e.version());
        assertEquals(SseMode.SSE_S3, e.sseMode());
        assertEquals("01020304", HEX.formatHex(e.wrappedObjectKey()));
        assertEquals("abc", e.bucketKeyId());
        assertEquals(131_077, e.plaintextSize());
        assertEquals(null, e.plaintextEtag());
        assertEquals(new Envelope.Checksum("CRC32C", "yZRlqg=="), e.checksum());
        assertEquals(new PartTable(java.util.List.of(new PartTable.Part(1, 65_536), new PartTable.Part(2, 65_536),
                new PartTable.Part(4, 5))), e.partTable());
        Map<String, String> fields = Envelope.storedFields(m);
        assertEquals("131077", fields.get(P + "size"));
        assertEquals("w1", fields.get(Envelope.ETAG_REF));
        assertFalse(fields.containsKey(P + "envelope"));
        assertFalse(fields.containsKey("x-amz-meta-colour"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"v=2  alg=AES256-GCM-64K", " v=2 alg=AES256-GCM-64K", "v=2 alg=AES256-GCM-64K ", "v=2 alg",
            "v=2 =x", "v=2 alg=", "v=2 v=2", "v=2 extra=1", "v=2 etag-ref=w1", "v=2 replica-of=b", "alg=AES256-GCM-64K"})
    void malformedPackedEnvelopesAreUnknownFormat(String prefix) {
        String rest = " mode=SSE_S3 wrap=BUCKET_KEY wk=AQID size=5 parts=1x5 mac=" + "A".repeat(43);
        assertTrue(Envelope.fromMetadata(Map.of(P + "envelope", "v=2 alg=AES256-GCM-64K" + rest)).isPresent());
        Map<String, String> m = Map.of(P + "envelope", prefix + rest);
        assertThrows(CryptoException.UnknownFormat.class, () -> Envelope.fromMetadata(m), prefix);
    }

    @Test
    void anEnvelopeBothPackedAndInFieldsIsRejected() {
        Envelope e = full();
        Map<String, String> both = new HashMap<>(e.toMetadata(EnvelopeLayout.PACKED));
        both.put(P + "size", Long.toString(e.plaintextSize()));
        assertThrows(CryptoException.UnknownFormat.class, () -> Envelope.fromMetadata(both));
        Map<String, String> twice = new HashMap<>(e.toMetadata(EnvelopeLayout.PACKED));
        twice.put("X-Amz-Meta-Sse-Proxy-Envelope", twice.get(P + "envelope"));
        assertThrows(CryptoException.UnknownFormat.class, () -> Envelope.fromMetadata(twice));
    }

    @Test
    void minimalSseS3EnvelopeWritesOnlyItsFields() {
        Envelope e = Envelope.builder().wrappingScheme(WrappingScheme.BUCKET_KEY).wrappedObjectKey(new byte[] {1, 2, 3})
                .partTable(PartTable.single(5)).build();
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put(P + "v", "2");
        expected.put(P + "alg", "AES256-GCM-64K");
        expected.put(P + "mode", "SSE_S3");
        expected.put(P + "wrap", "BUCKET_KEY");
        expected.put(P + "wk", "AQID");
        expected.put(P + "size", "5");
        expected.put(P + "parts", "1x5");
        assertEquals(expected, e.toMetadata(EnvelopeLayout.FIELDS));
        assertEquals(Optional.of(e), Envelope.fromMetadata(expected));
    }

    @Test
    void goldenMetadataDecodes() {
        Map<String, String> m = new HashMap<>();
        m.put("Content-Type", "image/jpeg");
        m.put("X-Amz-Meta-Colour", "blue");
        m.put("X-Amz-Meta-Sse-Proxy-V", "1");
        m.put("X-Amz-Meta-Sse-Proxy-Alg", "AES256-GCM-64K");
        m.put("X-Amz-Meta-Sse-Proxy-Mode", "SSE_C");
        m.put("X-Amz-Meta-Sse-Proxy-Wrap", "SSE_C_DERIVED");
        m.put("X-Amz-Meta-Sse-Proxy-Wk", "AQIDBA");
        m.put("X-Amz-Meta-Sse-Proxy-Size", "131077");
        m.put("X-Amz-Meta-Sse-Proxy-Etag", "5d41402abc4b2a76b9719d911017c592");
        m.put("X-Amz-Meta-Sse-Proxy-Cks", "CRC32C:yZRlqg==");
        m.put("X-Amz-Meta-Sse-Proxy-Ssec", "_-8");
        m.put("X-Amz-Meta-Sse-Proxy-Parts", "2x65536,4:1x5");
        Envelope e = Envelope.fromMetadata(m).orElseThrow();
        assertEquals(Algorithm.AES256_GCM_64K, e.algorithm());
        assertEquals(SseMode.SSE_C, e.sseMode());
        assertEquals(WrappingScheme.SSE_C_DERIVED, e.wrappingScheme());
        assertEquals("01020304", HEX.formatHex(e.wrappedObjectKey()));
        assertEquals(131_077, e.plaintextSize());
        assertEquals("5d41402abc4b2a76b9719d911017c592", e.plaintextEtag());
        assertEquals(new Envelope.Checksum("CRC32C", "yZRlqg=="), e.checksum());
        assertEquals("ffef", HEX.formatHex(e.sseCustomerKeyHmac()));
        assertEquals(new PartTable(java.util.List.of(new PartTable.Part(1, 65_536), new PartTable.Part(2, 65_536),
                new PartTable.Part(4, 5))), e.partTable());
        assertEquals(null, e.kmsKeyArn());
        assertEquals(null, e.wrappedBucketKey());
    }

    @Test
    void metadataWithoutTheReservedPrefixIsALegacyPlaintextObject() {
        assertEquals(Optional.empty(), Envelope.fromMetadata(Map.of("X-Amz-Meta-Colour", "blue", "Content-Type", "text/plain")));
        assertEquals(Optional.empty(), Envelope.fromMetadata(Map.of("x-amz-meta-sse-proxy", "no dash, not reserved")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"3", "0", "01", "02", "", "1.0", "2.0"})
    void unknownVersionsAreRejected(String version) {
        Map<String, String> m = new HashMap<>(full().toMetadata(EnvelopeLayout.FIELDS));
        m.put(P + "v", version);
        assertThrows(CryptoException.UnknownFormat.class, () -> Envelope.fromMetadata(m));
    }

    @Test
    void anyReservedFieldWithoutAVersionIsRejectedNotServedAsPlaintext() {
        Map<String, String> m = new HashMap<>(full().toMetadata(EnvelopeLayout.FIELDS));
        m.remove(P + "v");
        assertThrows(CryptoException.UnknownFormat.class, () -> Envelope.fromMetadata(m));
        assertThrows(CryptoException.UnknownFormat.class, () -> Envelope.fromMetadata(Map.of(P + "size", "5")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"alg=AES128-CBC", "mode=SSE_X", "wrap=RSA", "wk=AQ+D", "wk=", "size=-1", "size=05",
            "size=99999999999999999999", "kms-ver=x", "parts=1x6", "parts=garbage", "parts=sha256:AAAA",
            "cks=nocolon", "cks=crc32:abc", "etag=has space", "extra=1"})
    void malformedFieldsAreUnknownFormat(String field) {
        String[] kv = field.split("=", 2);
        Map<String, String> m = new HashMap<>(Envelope.builder().wrappingScheme(WrappingScheme.BUCKET_KEY)
                .wrappedObjectKey(new byte[] {1}).partTable(PartTable.single(5)).build().toMetadata(EnvelopeLayout.FIELDS));
        m.put(P + kv[0], kv[1]);
        assertThrows(CryptoException.UnknownFormat.class, () -> Envelope.fromMetadata(m), field);
    }

    @Test
    void aFieldRepeatedInAnotherCaseIsRejected() {
        Map<String, String> m = new HashMap<>(full().toMetadata(EnvelopeLayout.FIELDS));
        m.put("X-Amz-Meta-Sse-Proxy-Size", "1");
        assertThrows(CryptoException.UnknownFormat.class, () -> Envelope.fromMetadata(m));
    }

    @Test
    void oversizedPartTableMustBeStoredElsewhereAndIsCheckedOnReturn() {
        long[] sizes = new long[500];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = 5_242_880 + i;
        }
        PartTable table = PartTable.ofSizes(sizes);
        Envelope e = full().toBuilder().partTable(table).build();
        Envelope.PartTableTooLarge tooLarge = assertThrows(Envelope.PartTableTooLarge.class, () -> e.toMetadata(EnvelopeLayout.FIELDS));
        assertEquals(table.encode().length(), tooLarge.encodedLength());
        Map<String, String> m = e.toMetadataWithExternalPartTable(EnvelopeLayout.FIELDS);
        assertTrue(m.get(P + "parts").startsWith("sha256:"));
        Envelope read = Envelope.fromMetadata(m).orElseThrow();
        assertEquals(null, read.partTable());
        assertArrayEquals(Envelope.partTableDigest(table), read.externalPartTableDigest());
        assertEquals(e, read.withPartTable(table));
        sizes[7]++;
        sizes[8]--;
        assertThrows(CryptoException.Tampered.class, () -> read.withPartTable(PartTable.ofSizes(sizes)));
    }

    @Test
    void plaintextBodyEnvelopeHasNoKey() {
        Envelope e = Envelope.builder().algorithm(Algorithm.NONE).sseMode(SseMode.NONE).partTable(PartTable.single(3)).build();
        assertFalse(e.toMetadata(EnvelopeLayout.FIELDS).containsKey(P + "wk"));
        assertEquals(Optional.of(e), Envelope.fromMetadata(e.toMetadata(EnvelopeLayout.FIELDS)));
        assertThrows(IllegalArgumentException.class,
                () -> Envelope.builder().algorithm(Algorithm.NONE).sseMode(SseMode.SSE_S3).partTable(PartTable.single(3)).build());
    }

    @Test
    void inconsistentEnvelopesCannotBeBuilt() {
        assertThrows(IllegalArgumentException.class, () -> Envelope.builder().partTable(PartTable.single(1)).build(),
                "encrypted body without a wrapped key");
        assertThrows(IllegalArgumentException.class, () -> full().toBuilder().plaintextSize(1).build(),
                "size disagrees with the part table");
    }

    @Test
    void envelopeCopiesItsArrays() {
        byte[] wk = {1, 2};
        Envelope e = Envelope.builder().wrappingScheme(WrappingScheme.BUCKET_KEY).wrappedObjectKey(wk)
                .partTable(PartTable.single(0)).build();
        wk[0] = 9;
        e.wrappedObjectKey()[1] = 9;
        assertArrayEquals(new byte[] {1, 2}, e.wrappedObjectKey());
    }

    @Test
    void reservedHeaderNamesAreRecognisedInAnyCase() {
        assertTrue(Envelope.isReservedHeader("X-Amz-Meta-SSE-Proxy-Anything"));
        assertFalse(Envelope.isReservedHeader("x-amz-meta-sse-proxy"));
        assertFalse(Envelope.isReservedHeader("x-amz-meta-colour"));
    }
}
