package dev.sseproxy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.api.xml.S3Xml;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.notify.NotificationConfiguration;
import dev.sseproxy.notify.NotificationConfiguration.Kind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class NotificationCodecTest {
    private static final String Q = "arn:aws:sqs:us-east-1:000000000001:hook";
    private static final String T = "arn:aws:sns:us-east-1:000000000001:bus";

    private static NotificationConfiguration parse(String xml) {
        return NotificationCodec.parse(xml.getBytes(StandardCharsets.UTF_8), (k, arn) -> arn.equals(Q) || arn.equals(T));
    }

    private static S3Exception refused(String xml) {
        return assertThrows(S3Exception.class, () -> parse(xml));
    }

    private static String doc(String inner) {
        return "<NotificationConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" + inner
                + "</NotificationConfiguration>";
    }

    @Test
    void aConfigurationRoundTripsInS3sOrder() {
        NotificationConfiguration c = parse(doc("<QueueConfiguration><Id>q</Id><Queue>" + Q + "</Queue>"
                + "<Event>s3:ObjectCreated:*</Event><Filter><S3Key><FilterRule><Name>prefix</Name><Value>in/</Value>"
                + "</FilterRule><FilterRule><Name>Suffix</Name><Value>.jpg</Value></FilterRule></S3Key></Filter>"
                + "</QueueConfiguration><TopicConfiguration><Topic>" + T + "</Topic><Event>s3:ObjectRemoved:Delete</Event>"
                + "</TopicConfiguration><EventBridgeConfiguration/>"));
        assertEquals(2, c.rules().size());
        assertTrue(c.eventBridge());
        NotificationConfiguration.Rule q = c.rules().get(1);
        assertEquals(Kind.QUEUE, q.kind());
        assertEquals("in/", q.prefix());
        assertEquals(".jpg", q.suffix());
        assertTrue(q.matches("ObjectCreated:Put", "in/a.jpg"));
        assertFalse(q.matches("ObjectCreated:Put", "out/a.jpg"));
        assertFalse(q.matches("ObjectRemoved:Delete", "in/a.jpg"));
        assertFalse(c.rules().get(0).id().isEmpty()); // generated
        assertEquals(c, NotificationConfiguration.decode(c.encode()));
        String xml = new String(S3Xml.write(NotificationCodec.document(c)), StandardCharsets.UTF_8);
        assertTrue(xml.indexOf("<TopicConfiguration>") < xml.indexOf("<QueueConfiguration>"), xml);
        assertTrue(xml.contains("<Id>q</Id><Queue>" + Q + "</Queue><Event>s3:ObjectCreated:*</Event><Filter><S3Key>"
                + "<FilterRule><Name>Prefix</Name><Value>in/</Value></FilterRule>"), xml);
        assertTrue(xml.contains("<EventBridgeConfiguration"), xml);
        assertEquals(c.rules(), parse(xml).rules());
    }

    @Test
    void theEmptyDocumentIsNoConfiguration() {
        assertTrue(parse(doc("")).isEmpty());
        String xml = new String(S3Xml.write(NotificationCodec.document(NotificationConfiguration.EMPTY)), StandardCharsets.UTF_8);
        assertFalse(xml.contains("Configuration>") && xml.contains("<QueueConfiguration"), xml);
    }

    @Test
    void validationAnswersAsS3() {
        S3Exception e = refused(doc("<QueueConfiguration><Queue>arn:aws:sqs:us-east-1:000000000001:other</Queue>"
                + "<Event>s3:ObjectCreated:*</Event></QueueConfiguration>"));
        assertEquals("InvalidArgument", e.code().code());
        assertEquals(NotificationCodec.UNVALIDATED, e.getMessage());
        e = refused(doc("<QueueConfiguration><Queue>" + Q + "</Queue><Event>s3:ObjectCreated:*</Event></QueueConfiguration>"
                + "<TopicConfiguration><Topic>" + T + "</Topic><Event>s3:ObjectCreated:Put</Event></TopicConfiguration>"));
        assertEquals(NotificationCodec.OVERLAP, e.getMessage());
        e = refused(doc("<QueueConfiguration><Queue>" + Q + "</Queue><Event>s3:Nope</Event></QueueConfiguration>"));
        assertEquals("The event is not supported for notifications", e.getMessage());
        e = refused(doc("<QueueConfiguration><Queue>" + Q + "</Queue><Event>s3:ObjectCreated:*</Event><Filter><S3Key>"
                + "<FilterRule><Name>prefix</Name><Value>a</Value></FilterRule><FilterRule><Name>prefix</Name><Value>b</Value>"
                + "</FilterRule></S3Key></Filter></QueueConfiguration>"));
        assertEquals("Cannot specify more than one prefix rule in a filter.", e.getMessage());
        assertEquals("MalformedXML", refused(doc("<QueueConfiguration><Event>s3:ObjectCreated:*</Event></QueueConfiguration>"))
                .code().code());
        assertEquals("MalformedXML", refused("<NotificationConfiguration><Queue").code().code());
        e = refused(doc("<CloudFunctionConfiguration><CloudFunction>arn:aws:lambda:us-east-1:1:function:f</CloudFunction>"
                + "<Event>s3:ObjectCreated:*</Event></CloudFunctionConfiguration>"));
        assertEquals(NotificationCodec.UNVALIDATED, e.getMessage());
    }

    @Test
    void disjointFiltersDoNotOverlap() {
        var a = new NotificationConfiguration.Rule("a", Kind.QUEUE, Q, List.of("s3:ObjectCreated:*"), "a/", null);
        var b = new NotificationConfiguration.Rule("b", Kind.QUEUE, Q, List.of("s3:ObjectCreated:Put"), "b/", null);
        var c = new NotificationConfiguration.Rule("c", Kind.QUEUE, Q, List.of("s3:ObjectCreated:Put"), "a/x", null);
        var d = new NotificationConfiguration.Rule("d", Kind.QUEUE, Q, List.of("s3:ObjectCreated:Put"), null, ".png");
        var e = new NotificationConfiguration.Rule("e", Kind.QUEUE, Q, List.of("s3:ObjectCreated:Put"), null, ".jpg");
        var f = new NotificationConfiguration.Rule("f", Kind.QUEUE, Q, List.of("s3:ObjectRemoved:*"), null, null);
        assertFalse(NotificationCodec.overlap(a, b));
        assertTrue(NotificationCodec.overlap(a, c));
        assertFalse(NotificationCodec.overlap(d, e));
        assertFalse(NotificationCodec.overlap(a, f));
    }
}
