package dev.sseproxy.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class LogFilesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant AT = Instant.parse("2026-03-07T23:59:41Z");

    @Test
    void keysFollowCloudTrailsLayoutInUtc() {
        assertEquals("AWSLogs/000000000001/CloudTrail/us-east-1/2026/03/07/"
                + "000000000001_CloudTrail_us-east-1_20260307T2359Z_AbCdEfGhIjKlMn01.json.gz",
                LogFiles.key(Optional.empty(), "000000000001", "us-east-1", AT, "AbCdEfGhIjKlMn01"));
    }

    @Test
    void aPrefixComesFirstWithoutStraySlashes() {
        String tail = "AWSLogs/1/CloudTrail/eu-west-1/2026/03/07/1_CloudTrail_eu-west-1_20260307T2359Z_u.json.gz";
        assertEquals("trail/" + tail, LogFiles.key(Optional.of("trail"), "1", "eu-west-1", AT, "u"));
        assertEquals("a/b/" + tail, LogFiles.key(Optional.of("/a/b/"), "1", "eu-west-1", AT, "u"));
        assertEquals(tail, LogFiles.key(Optional.of(" "), "1", "eu-west-1", AT, "u"));
    }

    @Test
    void theUniquePartIsSixteenLettersAndDigits() {
        Random r = new Random(7);
        String a = LogFiles.unique(r);
        assertTrue(a.matches("[A-Za-z0-9]{16}"), a);
        assertNotEquals(a, LogFiles.unique(r));
    }

    @Test
    void aFileIsGzippedJsonHoldingEachRecordAsStored() throws Exception {
        // spacing and key order are kept: records are copied, never re-serialised
        List<String> records = List.of("{\"eventID\":\"a\", \"n\":1}", "{\"eventName\":\"Put\\u00e9\",\"eventID\":\"b\"}",
                "{\"eventID\":\"c\",\"k\":\"été\"}");
        byte[] file = LogFiles.gzip(records);
        assertEquals(0x1f, file[0] & 0xff);
        assertEquals(0x8b, file[1] & 0xff);
        String text = new String(new GZIPInputStream(new ByteArrayInputStream(file)).readAllBytes(), StandardCharsets.UTF_8);
        assertEquals("{\"Records\":[" + String.join(",", records) + "]}", text);
        JsonNode parsed = JSON.readTree(text).get("Records");
        assertEquals(3, parsed.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(JSON.readTree(records.get(i)), parsed.get(i));
        }
    }

    @Test
    void anEmptyFileHasNoRecords() throws Exception {
        byte[] file = LogFiles.gzip(List.of());
        assertEquals(0, JSON.readTree(new GZIPInputStream(new ByteArrayInputStream(file))).get("Records").size());
    }

    @Test
    void theRegionIsTheRecordsTopLevelAwsRegion() {
        assertEquals("eu-west-1", LogFiles.region("{\"eventTime\":\"t\",\"requestParameters\":{\"awsRegion\":\"x\"},"
                + "\"awsRegion\":\"eu-west-1\",\"eventID\":\"e\"}", "us-east-1"));
        assertEquals("us-east-1", LogFiles.region("{\"eventID\":\"e\",\"n\":[{\"awsRegion\":\"x\"}]}", "us-east-1"));
        assertEquals("us-east-1", LogFiles.region("{\"awsRegion\":null}", "us-east-1"));
        assertEquals("us-east-1", LogFiles.region("not json", "us-east-1"));
    }

    /** A planned file rebuilt for a retry (cluster package documentation) is the same bytes: gzip has no timestamp here. */
    @Test
    void theSameRecordsMakeTheSameBytes() {
        java.util.List<String> records = java.util.List.of("{\"eventID\":\"a\"}", "{\"eventID\":\"b\",\"x\":[1,2]}");
        byte[] first = LogFiles.gzip(records);
        org.junit.jupiter.api.Assertions.assertArrayEquals(first, LogFiles.gzip(new java.util.ArrayList<>(records)));
        assertEquals(0, first[4] | first[5] | first[6] | first[7], "no modification time in the gzip header");
    }
}
