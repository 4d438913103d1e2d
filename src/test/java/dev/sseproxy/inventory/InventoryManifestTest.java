package dev.sseproxy.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** Report layout, manifest.json and the data-file splitting, as S3 documents them. */
class InventoryManifestTest {
    static final Instant STARTED = Instant.parse("2026-12-06T21:32:45.123Z");

    static InventoryConfiguration config(String prefix) {
        return new InventoryConfiguration("weekly-1", true, "dest", Optional.empty(), prefix, Optional.empty(),
                Optional.empty(), "", false, List.of(InventoryField.SIZE, InventoryField.ENCRYPTION_STATUS), true);
    }

    @Test
    void keysFollowS3sLayout() {
        InventoryConfiguration c = config("inv");
        assertEquals("inv/src/weekly-1/2026-12-06T21-32Z/", InventoryManifest.folder(c, "src", STARTED));
        assertEquals("inv/src/weekly-1/data/u-1.csv.gz", InventoryManifest.dataKey(c, "src", "u-1"));
        assertEquals("inv/src/weekly-1/hive/dt=2026-12-06-21-32/symlink.txt", InventoryManifest.symlinkKey(c, "src", STARTED));
        assertEquals("src/weekly-1/2026-12-06T21-32Z/", InventoryManifest.folder(config(""), "src", STARTED));
        assertEquals("inv/src/weekly-1/", InventoryManifest.base(config("inv/"), "src"));
    }

    @Test
    void manifestJsonHasS3sFieldsInS3sOrder() throws IOException {
        List<InventoryManifest.DataFile> files = List.of(new InventoryManifest.DataFile("inv/src/weekly-1/data/a.csv.gz", 120,
                "0123456789abcdef0123456789abcdef"));
        byte[] json = InventoryManifest.json(config("inv"), "src", STARTED, "Bucket, Key, Size, EncryptionStatus", files);
        JsonNode m = new ObjectMapper().readTree(json);
        List<String> names = new ArrayList<>();
        m.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("sourceBucket", "destinationBucket", "version", "creationTimestamp", "fileFormat", "fileSchema",
                "files"), names);
        assertEquals("src", m.path("sourceBucket").asText());
        assertEquals("arn:aws:s3:::dest", m.path("destinationBucket").asText());
        assertEquals("2016-11-30", m.path("version").asText());
        assertTrue(m.path("creationTimestamp").isTextual());
        assertEquals(Long.toString(STARTED.toEpochMilli()), m.path("creationTimestamp").asText());
        assertEquals("CSV", m.path("fileFormat").asText());
        assertEquals("Bucket, Key, Size, EncryptionStatus", m.path("fileSchema").asText());
        JsonNode f = m.path("files").get(0);
        Iterator<String> fn = f.fieldNames();
        assertEquals(List.of("key", "size", "MD5checksum"), List.of(fn.next(), fn.next(), fn.next()));
        assertEquals(120, f.path("size").asLong());
        assertEquals("0123456789abcdef0123456789abcdef", f.path("MD5checksum").asText());
    }

    @Test
    void checksumIsTheLowerCaseHexMd5() {
        assertEquals("d41d8cd98f00b204e9800998ecf8427e", InventoryManifest.md5Hex(new byte[0]));
        assertEquals("900150983cd24fb0d6963f7d28e17f72", InventoryManifest.md5Hex("abc".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void symlinkListsEachDataFileAsAnS3Url() {
        assertEquals("s3://dest/a/1.csv.gz\ns3://dest/a/2.csv.gz\n", new String(InventoryManifest.symlink("dest",
                List.of(new InventoryManifest.DataFile("a/1.csv.gz", 1, "x"), new InventoryManifest.DataFile("a/2.csv.gz", 1,
                        "y"))), StandardCharsets.UTF_8));
    }

    @Test
    void dataFilesAreCutAtTheRowLimitAndGunzipToTheirRows() throws IOException {
        DataFileWriter w = new DataFileWriter(2, 1 << 20);
        assertFalse(w.hasRows());
        w.add("\"a\",\"1\"\n");
        assertFalse(w.full());
        w.add("\"a\",\"2\"\n");
        assertTrue(w.full());
        byte[] first = w.cut();
        assertFalse(w.hasRows());
        w.add("\"a\",\"3\"\n");
        byte[] second = w.cut();
        assertEquals("\"a\",\"1\"\n\"a\",\"2\"\n", gunzip(first));
        assertEquals("\"a\",\"3\"\n", gunzip(second));
    }

    @Test
    void dataFilesAreCutAtTheByteLimit() {
        DataFileWriter w = new DataFileWriter(1_000_000, 10);
        w.add("12345");
        assertFalse(w.full());
        w.add("67890");
        assertTrue(w.full());
        assertThrows(IllegalArgumentException.class, () -> new DataFileWriter(0, 1));
    }

    static String gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
