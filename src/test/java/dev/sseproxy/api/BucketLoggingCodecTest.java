package dev.sseproxy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.api.xml.S3Xml;
import dev.sseproxy.catalog.BucketLogging;
import dev.sseproxy.error.S3Exception;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** PutBucketLogging's document read as S3 reads it, and GetBucketLogging's written as S3 writes it. */
class BucketLoggingCodecTest {
    static final String NS = "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";

    static BucketLogging parse(String xml) {
        return BucketLoggingOperation.parse(xml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anEmptyStatusTurnsLoggingOff() {
        assertNull(parse("<BucketLoggingStatus " + NS + "/>"));
        assertNull(parse("<BucketLoggingStatus " + NS + "></BucketLoggingStatus>"));
    }

    @Test
    void aFullConfigurationRoundTrips() {
        String in = "<BucketLoggingStatus " + NS + "><LoggingEnabled><TargetBucket>logs</TargetBucket><TargetGrants><Grant>"
                + "<Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\"><ID>000000000002</ID>"
                + "</Grantee><Permission>READ</Permission></Grant></TargetGrants><TargetPrefix>src/</TargetPrefix>"
                + "<TargetObjectKeyFormat><PartitionedPrefix><PartitionDateSource>DeliveryTime</PartitionDateSource>"
                + "</PartitionedPrefix></TargetObjectKeyFormat></LoggingEnabled></BucketLoggingStatus>";
        BucketLogging c = parse(in);
        assertEquals("logs", c.targetBucket());
        assertEquals("src/", c.targetPrefix());
        assertTrue(c.partitioned() && c.deliveryTime() && c.formatGiven());
        assertEquals("000000000002", c.grants().get(0).id());
        String out = new String(S3Xml.write(BucketLoggingOperation.document(c)), StandardCharsets.UTF_8);
        assertTrue(out.contains("<LoggingEnabled><TargetBucket>logs</TargetBucket><TargetGrants><Grant><Grantee "
                + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\"><ID>000000000002</ID>"
                + "</Grantee><Permission>READ</Permission></Grant></TargetGrants><TargetPrefix>src/</TargetPrefix>"
                + "<TargetObjectKeyFormat><PartitionedPrefix><PartitionDateSource>DeliveryTime</PartitionDateSource>"
                + "</PartitionedPrefix></TargetObjectKeyFormat></LoggingEnabled>"), out);
        assertEquals(c, parse(out));
    }

    @Test
    void aSimplePrefixIsAnEmptyElement() {
        BucketLogging c = parse("<BucketLoggingStatus " + NS + "><LoggingEnabled><TargetBucket>logs</TargetBucket>"
                + "<TargetPrefix></TargetPrefix><TargetObjectKeyFormat><SimplePrefix/></TargetObjectKeyFormat>"
                + "</LoggingEnabled></BucketLoggingStatus>");
        assertTrue(c.formatGiven() && !c.partitioned());
        assertEquals("", c.targetPrefix());
        String out = new String(S3Xml.write(BucketLoggingOperation.document(c)), StandardCharsets.UTF_8);
        assertTrue(out.contains("<TargetObjectKeyFormat><SimplePrefix></SimplePrefix></TargetObjectKeyFormat>")
                || out.contains("<TargetObjectKeyFormat><SimplePrefix/></TargetObjectKeyFormat>"), out);
        assertEquals(c, parse(out));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<BucketLoggingStatus><LoggingEnabled><TargetPrefix>p</TargetPrefix></LoggingEnabled></BucketLoggingStatus>",
        "<BucketLoggingStatus><LoggingEnabled><TargetBucket>logs</TargetBucket></LoggingEnabled></BucketLoggingStatus>",
        "<BucketLoggingStatus><LoggingEnabled><TargetBucket>logs</TargetBucket><TargetPrefix>p</TargetPrefix>"
            + "<TargetObjectKeyFormat><SimplePrefix/><PartitionedPrefix/></TargetObjectKeyFormat></LoggingEnabled></BucketLoggingStatus>",
        "<BucketLoggingStatus><LoggingEnabled><TargetBucket>logs</TargetBucket><TargetPrefix>p</TargetPrefix>"
            + "<TargetObjectKeyFormat><PartitionedPrefix><PartitionDateSource>Yesterday</PartitionDateSource></PartitionedPrefix>"
            + "</TargetObjectKeyFormat></LoggingEnabled></BucketLoggingStatus>",
        "<BucketLoggingStatus><LoggingEnabled><TargetBucket>logs</TargetBucket><TargetPrefix>p</TargetPrefix><TargetGrants>"
            + "<Grant><Grantee><ID>x</ID></Grantee><Permission>READ</Permission></Grant></TargetGrants></LoggingEnabled></BucketLoggingStatus>",
        "<BucketLoggingStatus><LoggingEnabled><TargetBucket>logs</TargetBucket><TargetPrefix>p</TargetPrefix>",
        "<LoggingStatus/>",
        ""})
    void malformedDocumentsAreMalformedXml(String xml) {
        S3Exception e = assertThrows(S3Exception.class, () -> parse(xml));
        assertEquals("MalformedXML", e.code().code());
    }
}
