package dev.sseproxy.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventMessagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final EventMessages messages = new EventMessages("eu-west-1");

    @Test
    void keysAreUrlEncodedAsS3DoesWithSlashesKept() {
        assertEquals("photos/my+photo%2B1.jpg", EventMessages.encodeKey("photos/my photo+1.jpg"));
        assertEquals("%C3%A9%3D%26", EventMessages.encodeKey("é=&"));
    }

    @Test
    void aRemovalHasNoSizeOrETagAndAMarkerIsAnEventBridgeDeleteMarker() throws Exception {
        ObjectEvent e = new ObjectEvent("ObjectRemoved:DeleteMarkerCreated", "b", "000000000001", "k", null, null, "v1",
                Instant.parse("2026-01-02T03:04:05.678Z"), "RID", "HID", "AWS:AIDAX", "000000000001", "10.0.0.1", "DeleteObject");
        JsonNode s3 = JSON.readTree(messages.s3Event(e, "cfg")).path("Records").get(0);
        assertEquals("2026-01-02T03:04:05.678Z", s3.path("eventTime").asText());
        assertEquals("eu-west-1", s3.path("awsRegion").asText());
        assertTrue(s3.at("/s3/object/size").isMissingNode());
        assertTrue(s3.at("/s3/object/eTag").isMissingNode());
        assertEquals("v1", s3.at("/s3/object/versionId").asText());
        JsonNode eb = JSON.readTree(messages.eventBridgeObject(e));
        assertEquals("Object Deleted", eb.path("detail-type").asText());
        assertEquals("Delete Marker Created", eb.at("/detail/deletion-type").asText());
        assertEquals("2026-01-02T03:04:05Z", eb.path("time").asText());
    }

    @Test
    void sequencersGrowWithTime() {
        Instant t = Instant.now();
        String a = EventMessages.sequencer(t);
        String b = EventMessages.sequencer(t.plusMillis(1));
        assertTrue(a.compareTo(b) < 0, a + " " + b);
    }

    @Test
    void targetsAreParsedAndArnsResolved() {
        var byName = Targets.parse(List.of("hook=http://127.0.0.1:1/x", " bus = nats:a.b "));
        Targets t = new Targets(byName, List.of("bus"), "us-east-1", "000000000001");
        assertEquals("a.b", t.resolve(NotificationConfiguration.Kind.TOPIC, "arn:aws:sns:us-east-1:000000000001:bus")
                .orElseThrow().natsSubject());
        assertEquals("hook", t.resolve(NotificationConfiguration.Kind.QUEUE, "arn:aws:sqs:us-east-1:000000000001:hook")
                .orElseThrow().name());
        assertEquals(Optional.empty(), t.resolve(NotificationConfiguration.Kind.QUEUE, "arn:aws:sqs:us-west-2:000000000001:hook"));
        assertEquals(Optional.empty(), t.resolve(NotificationConfiguration.Kind.QUEUE, "arn:aws:sqs:us-east-1:999999999999:hook"));
        assertEquals(Optional.empty(), t.resolve(NotificationConfiguration.Kind.LAMBDA, "arn:aws:sqs:us-east-1:000000000001:hook"));
        assertEquals(1, t.management().size());
        assertThrows(IllegalArgumentException.class, () -> Targets.parse(List.of("x=ftp://h")));
        assertThrows(IllegalArgumentException.class, () -> Targets.parse(List.of("bad name=http://h")));
        assertThrows(IllegalArgumentException.class, () -> new Targets(byName, List.of("nope"), "us-east-1", "1"));
    }

    @Test
    void retriesBackOffExponentiallyToTheCap() {
        assertEquals(List.of(1000L, 2000L, 4000L, 300000L), List.of(backoff(0), backoff(1), backoff(2), backoff(30)));
    }

    private static long backoff(int attempts) {
        return OutboxDispatcher.backoff(attempts, Duration.ofSeconds(1), Duration.ofMinutes(5)).toMillis();
    }
}
