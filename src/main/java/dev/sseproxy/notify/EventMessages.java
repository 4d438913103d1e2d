package dev.sseproxy.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The messages' JSON, in the shapes S3 and EventBridge send (package documentation, "Message formats"):
 * S3's event message ({@code {"Records":[...]}}, eventVersion 2.1, 2.3 for tagging and ACL events, the key
 * URL-encoded as S3 does with spaces as {@code +}), S3's {@code s3:TestEvent}, EventBridge's
 * "Object Created" / "Object Deleted" / "Object Tags Added" / "Object ACL Updated" events and its "AWS API
 * Call via CloudTrail" envelope around a CloudTrail record.
 */
public final class EventMessages {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final String region;

    public EventMessages(String region) {
        this.region = region;
    }

    /** S3's event message for one matching rule. */
    public String s3Event(ObjectEvent e, String configurationId) {
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("eventVersion", e.eventName().startsWith("ObjectTagging") || e.eventName().startsWith("ObjectAcl")
                ? "2.3" : "2.1");
        rec.put("eventSource", "aws:s3");
        rec.put("awsRegion", region);
        rec.put("eventTime", MILLIS.format(e.time()));
        rec.put("eventName", e.eventName());
        rec.put("userIdentity", Map.of("principalId", e.principalId()));
        rec.put("requestParameters", Map.of("sourceIPAddress", e.sourceIp() == null ? "" : e.sourceIp()));
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("x-amz-request-id", e.requestId());
        response.put("x-amz-id-2", e.hostId());
        rec.put("responseElements", response);
        Map<String, Object> s3 = new LinkedHashMap<>();
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", configurationId);
        Map<String, Object> bucket = new LinkedHashMap<>();
        bucket.put("name", e.bucket());
        bucket.put("ownerIdentity", Map.of("principalId", e.bucketOwner()));
        bucket.put("arn", "arn:aws:s3:::" + e.bucket());
        s3.put("bucket", bucket);
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("key", encodeKey(e.key()));
        if (e.size() != null) {
            object.put("size", e.size());
        }
        if (e.eTag() != null) {
            object.put("eTag", e.eTag());
        }
        if (e.versionId() != null) {
            object.put("versionId", e.versionId());
        }
        object.put("sequencer", sequencer(e.time()));
        s3.put("object", object);
        rec.put("s3", s3);
        if (e.replicationEventData() != null) {
            rec.put("replicationEventData", e.replicationEventData());
        }
        return write(Map.of("Records", List.of(rec)));
    }

    /** The message S3 sends to each new destination of a configuration. */
    public String testEvent(String bucket, Instant time, String requestId, String hostId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Service", "Amazon S3");
        m.put("Event", "s3:TestEvent");
        m.put("Time", MILLIS.format(time));
        m.put("Bucket", bucket);
        m.put("RequestId", requestId);
        m.put("HostId", hostId);
        return write(m);
    }

    /** EventBridge's S3 event of an object event (for buckets with EventBridgeConfiguration). */
    public String eventBridgeObject(ObjectEvent e) {
        String detailType;
        if (e.eventName().startsWith("ObjectCreated")) {
            detailType = "Object Created";
        } else if (e.eventName().startsWith("ObjectRemoved")) {
            detailType = "Object Deleted";
        } else if (e.eventName().equals("ObjectTagging:Put")) {
            detailType = "Object Tags Added";
        } else if (e.eventName().equals("ObjectTagging:Delete")) {
            detailType = "Object Tags Deleted";
        } else {
            detailType = "Object ACL Updated";
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("version", "0");
        detail.put("bucket", Map.of("name", e.bucket()));
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("key", e.key());
        if (e.size() != null) {
            object.put("size", e.size());
        }
        if (e.eTag() != null) {
            object.put("etag", e.eTag());
        }
        if (e.versionId() != null) {
            object.put("version-id", e.versionId());
        }
        object.put("sequencer", sequencer(e.time()));
        detail.put("object", object);
        detail.put("request-id", e.requestId());
        detail.put("requester", e.requester() == null ? "" : e.requester());
        detail.put("source-ip-address", e.sourceIp() == null ? "" : e.sourceIp());
        detail.put("reason", e.operation());
        if (detailType.equals("Object Deleted")) {
            detail.put("deletion-type", e.eventName().endsWith("DeleteMarkerCreated") ? "Delete Marker Created"
                    : "Permanently Deleted");
        }
        return envelope(detailType, e.bucketOwner(), e.time(), List.of("arn:aws:s3:::" + e.bucket()), detail);
    }

    /** EventBridge's "AWS API Call via CloudTrail" event around a CloudTrail record (JSON text). */
    public String eventBridgeApiCall(String cloudTrailRecord, String account, Instant time) {
        JsonNode detail;
        try {
            detail = JSON.readTree(cloudTrailRecord);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("unreadable CloudTrail record", ex);
        }
        return envelope("AWS API Call via CloudTrail", account, time, List.of(), detail);
    }

    private String envelope(String detailType, String account, Instant time, List<String> resources, Object detail) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", "0");
        m.put("id", UUID.randomUUID().toString());
        m.put("detail-type", detailType);
        m.put("source", "aws.s3");
        m.put("account", account);
        m.put("time", SECONDS.format(time.truncatedTo(ChronoUnit.SECONDS)));
        m.put("region", region);
        m.put("resources", resources);
        m.put("detail", detail);
        return write(m);
    }

    /**
     * The key as S3 writes it in event messages: URL-encoded form style (space as {@code +}), {@code /} kept.
     */
    public static String encodeKey(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
    }

    /**
     * A hexadecimal value that grows with time (milliseconds, then a per-node counter): of two events of
     * one key, the later one has the greater sequencer when compared as S3 says (pad the shorter, compare
     * as strings).
     */
    static String sequencer(Instant time) {
        long seq = SEQUENCE.incrementAndGet() & 0xFFFFF;
        return String.format("%012X%05X", time.toEpochMilli(), seq);
    }

    private static String write(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
