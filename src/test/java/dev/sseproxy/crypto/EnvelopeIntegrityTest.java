package dev.sseproxy.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Envelope version 2 (package specification, "Envelope integrity" and "Part table"): the table MAC
 * binds size and part table to the object key, tables of 10,000 parts are stored out of line by
 * digest, and every edit of size, table or version fails.
 */
class EnvelopeIntegrityTest {
    static final String P = Envelope.PREFIX;
    static final ObjectIdentity ID = new ObjectIdentity("bucket", "big/object.bin");

    static KeyMaterial key(int seed) {
        byte[] b = new byte[32];
        new Random(seed).nextBytes(b);
        return KeyMaterial.of(b);
    }

    /** An SSE-S3 envelope as a write makes it: key wrapped with the version-2 AAD, table MAC set. */
    static Envelope sealed(KeyMaterial kek, KeyMaterial objectKey, PartTable table) {
        byte[] aad = Envelope.keyWrapAad(Envelope.VERSION, ID, Algorithm.AES256_GCM_64K, SseMode.SSE_S3,
                WrappingScheme.BUCKET_KEY);
        return Envelope.builder().wrappingScheme(WrappingScheme.BUCKET_KEY).wrappedObjectKey(KeyWrap.wrap(kek, objectKey, aad))
                .wrappedBucketKey(new byte[40]).bucketKeyId("bk-1").plaintextEtag("0123456789abcdef0123456789abcdef-3")
                .partTable(table).tableMac(TableMac.of(objectKey, table)).build();
    }

    /** What a reader does: unwrap under the envelope's own AAD, then check the table. */
    static void read(Map<String, String> metadata, KeyMaterial kek, PartTable outOfLine) {
        Envelope e = Envelope.fromMetadata(metadata).orElseThrow();
        if (e.partTable() == null) {
            e = e.withPartTable(outOfLine);
        }
        try (KeyMaterial k = KeyWrap.unwrap(kek, e.wrappedObjectKey(), e.keyWrapAad(ID))) {
            e.verifyTable(k);
        }
    }

    static long[] randomSizes(int n, long seed) {
        Random r = new Random(seed);
        long[] sizes = new long[n];
        for (int i = 0; i < n; i++) {
            sizes[i] = 5L * 1024 * 1024 + r.nextInt(1 << 20);
        }
        return sizes;
    }

    @Test
    void tableMacFollowsTheSpecification() throws Exception {
        PartTable table = new PartTable(List.of(new PartTable.Part(1, 5), new PartTable.Part(10001, 70000),
                new PartTable.Part(3, 0)));
        try (KeyMaterial k = key(1)) {
            byte[] raw = k.copyBytes();
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(raw, "HmacSHA256"));
            byte[] macKey = hmac.doFinal("sse-proxy/table-mac-key/v2".getBytes(StandardCharsets.US_ASCII));
            hmac.init(new SecretKeySpec(macKey, "HmacSHA256"));
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("sse-proxy/table-mac/v2".getBytes(StandardCharsets.US_ASCII));
            sha.update(ByteBuffer.allocate(12).putLong(70005).putInt(3).array());
            for (PartTable.Part p : table.parts()) {
                sha.update(hmac.doFinal(ByteBuffer.allocate(12).putInt(p.number()).putLong(p.plaintextLength()).array()));
            }
            assertArrayEquals(sha.digest(), TableMac.of(k, table));
            // a multipart upload combines tags made part by part under the same key
            List<byte[]> tags = new ArrayList<>();
            try (KeyMaterial mk = TableMac.key(k)) {
                for (PartTable.Part p : table.parts()) {
                    tags.add(TableMac.partTag(mk, p.number(), p.plaintextLength()));
                }
            }
            assertArrayEquals(TableMac.of(k, table), TableMac.combine(70005, tags));
        }
    }

    @Test
    void inlineEnvelopeReadsAndEveryEditOfSizeOrTableFails() {
        PartTable table = PartTable.ofSizes(6_000_000, 5_242_880, 17);
        try (KeyMaterial kek = key(2); KeyMaterial ok = key(3)) {
            Map<String, String> m = sealed(kek, ok, table).toMetadata(EnvelopeLayout.FIELDS);
            assertEquals("2", m.get(P + "v"));
            assertTrue(m.containsKey(P + "mac"));
            assertDoesNotThrow(() -> read(m, kek, null));

            Map<String, String> size = new HashMap<>(m);
            size.put(P + "size", "11242896");
            assertThrows(CryptoException.class, () -> read(size, kek, null), "size alone");

            Map<String, String> both = new HashMap<>(m);
            both.put(P + "size", "11242896");
            both.put(P + "parts", "1x6000000,1x5242880,1x16");
            assertThrows(CryptoException.Tampered.class, () -> read(both, kek, null), "size and table");

            Map<String, String> swapped = new HashMap<>(m);
            swapped.put(P + "parts", "1x5242880,1x6000000,1x17");
            assertThrows(CryptoException.Tampered.class, () -> read(swapped, kek, null), "sizes swapped, same sum");

            Map<String, String> truncated = new HashMap<>(m);
            truncated.put(P + "size", "11242880");
            truncated.put(P + "parts", "1x6000000,1x5242880");
            assertThrows(CryptoException.Tampered.class, () -> read(truncated, kek, null), "last part dropped");

            Map<String, String> noMac = new HashMap<>(m);
            noMac.remove(P + "mac");
            assertThrows(CryptoException.Tampered.class, () -> read(noMac, kek, null), "MAC removed");

            Map<String, String> otherMac = new HashMap<>(m);
            try (KeyMaterial other = key(4)) {
                otherMac.put(P + "mac", java.util.Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(TableMac.of(other, table)));
            }
            assertThrows(CryptoException.Tampered.class, () -> read(otherMac, kek, null), "MAC of another key");

            Map<String, String> downgraded = new HashMap<>(m);
            downgraded.remove(P + "mac");
            downgraded.put(P + "v", "1");
            downgraded.put(P + "size", "11242880");
            downgraded.put(P + "parts", "1x6000000,1x5242880");
            assertThrows(CryptoException.Tampered.class, () -> read(downgraded, kek, null),
                    "relabelled as version 1 without MAC: the key no longer unwraps");
        }
    }

    @Test
    void aKmsDataKeyGivesAnotherObjectKeyFromVersionTwo() {
        try (KeyMaterial dk = key(5); KeyMaterial v1 = Envelope.kmsObjectKey(1, dk); KeyMaterial v2 = Envelope.kmsObjectKey(2, dk)) {
            assertArrayEquals(dk.copyBytes(), v1.copyBytes());
            assertFalse(java.util.Arrays.equals(dk.copyBytes(), v2.copyBytes()));
        }
    }

    @Test
    void tenThousandRandomPartsAreStoredByDigestAndReadBackExactly() {
        long[] sizes = randomSizes(PartTable.MAX_PARTS, 42);
        PartTable table = PartTable.ofSizes(sizes);
        try (KeyMaterial kek = key(6); KeyMaterial ok = key(7)) {
            Envelope e = sealed(kek, ok, table);
            assertThrows(Envelope.PartTableTooLarge.class, () -> e.toMetadata(EnvelopeLayout.FIELDS));
            Map<String, String> m = e.toMetadataWithExternalPartTable(EnvelopeLayout.FIELDS);
            int bytes = m.entrySet().stream().mapToInt(x -> x.getKey().length() + x.getValue().length()).sum();
            assertTrue(bytes < 1024, "envelope with an out-of-line table takes " + bytes + " bytes");
            String stored = table.encode();
            assertTrue(stored.matches("[0-9x:,]+"), "the out-of-line table is part sizes only");
            PartTable back = PartTable.decode(stored);
            assertEquals(table, back);
            Envelope read = Envelope.fromMetadata(m).orElseThrow().withPartTable(back);
            assertEquals(e, read);
            assertEquals(PartTable.MAX_PARTS, read.partTable().parts().size());
            assertDoesNotThrow(() -> read(m, kek, back));

            // an edited out-of-line table fails on its digest ...
            long[] edited = sizes.clone();
            edited[100]++;
            edited[200]--;
            assertThrows(CryptoException.Tampered.class, () -> read(m, kek, PartTable.ofSizes(edited)));
            // ... and with the digest in the metadata edited to match, on the table MAC
            Map<String, String> redigested = new HashMap<>(m);
            redigested.put(P + "parts", "sha256:" + java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(Envelope.partTableDigest(PartTable.ofSizes(edited))));
            assertThrows(CryptoException.Tampered.class, () -> read(redigested, kek, PartTable.ofSizes(edited)));
            // ... and a size that disagrees with the table fails too
            Map<String, String> resized = new HashMap<>(m);
            resized.put(P + "size", Long.toString(table.plaintextLength() + 1));
            assertThrows(CryptoException.Tampered.class, () -> read(resized, kek, back));
        }
    }

    @Test
    void versionOneEnvelopesStillReadWithoutAMac() {
        PartTable table = PartTable.ofSizes(5, 6);
        try (KeyMaterial kek = key(8); KeyMaterial ok = key(9)) {
            byte[] aad = Envelope.keyWrapAad(1, ID, Algorithm.AES256_GCM_64K, SseMode.SSE_S3, WrappingScheme.BUCKET_KEY);
            Envelope v1 = Envelope.builder().version(1).wrappingScheme(WrappingScheme.BUCKET_KEY)
                    .wrappedObjectKey(KeyWrap.wrap(kek, ok, aad)).partTable(table).build();
            Map<String, String> m = v1.toMetadata(EnvelopeLayout.FIELDS);
            assertEquals("1", m.get(P + "v"));
            assertFalse(m.containsKey(P + "mac"));
            assertDoesNotThrow(() -> read(m, kek, null));
            Map<String, String> withMac = new HashMap<>(m);
            withMac.put(P + "mac", "AAAA");
            assertThrows(CryptoException.UnknownFormat.class, () -> Envelope.fromMetadata(withMac), "no mac field in v1");
            assertThrows(IllegalArgumentException.class, () -> v1.toBuilder().tableMac(new byte[32]).build());
        }
    }

    @Test
    void aProvisionalUploadEnvelopeNeverReadsAsData() {
        try (KeyMaterial kek = key(10); KeyMaterial ok = key(11)) {
            Envelope provisional = sealed(kek, ok, PartTable.single(0)).toBuilder().tableMac(null).build();
            assertThrows(CryptoException.Tampered.class, () -> read(provisional.toMetadata(EnvelopeLayout.FIELDS), kek, null));
        }
    }
}
