package dev.sseproxy.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sseproxy.kms.KmsCall;
import dev.sseproxy.kms.KmsException;
import dev.sseproxy.observability.CompletedRequest;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Builds CloudTrail records (format: the package documentation) from finished S3 requests and KMS
 * calls. Pure: no I/O, no clock other than the times it is given.
 */
public final class CloudTrailRecords {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String EVENT_VERSION = "1.11";
    static final String S3_SOURCE = "s3.amazonaws.com";
    static final String KMS_SOURCE = "kms.amazonaws.com";
    /** Operations on objects (and object listings) are data events; the rest are management events. */
    private static final Set<String> DATA_OPERATIONS = Set.of("ListObjects", "ListObjectsV2", "ListObjectVersions",
            "ListMultipartUploads", "DeleteObjects", "PostObject");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;

    private final String region;
    private final String rootAccountId;

    public CloudTrailRecords(String region, String rootAccountId) {
        this.region = region;
        this.rootAccountId = rootAccountId;
    }

    /** The event of a finished S3 request. */
    public AuditEvent s3(CompletedRequest r) {
        UUID id = eventId();
        String account = r.bucketOwner() != null ? r.bucketOwner() : r.accountId() != null ? r.accountId() : rootAccountId;
        boolean data = "object".equals(r.scope()) || DATA_OPERATIONS.contains(r.operation());
        ObjectNode e = JSON.createObjectNode();
        e.put("eventVersion", EVENT_VERSION);
        e.set("userIdentity", s3Identity(r));
        e.put("eventTime", time(r.time()));
        e.put("eventSource", S3_SOURCE);
        e.put("eventName", r.operation());
        e.put("awsRegion", region);
        e.put("sourceIPAddress", r.sourceIp());
        e.put("userAgent", r.userAgent());
        String errorCode = r.errorCode() != null ? r.errorCode() : r.completed() ? null : "ConnectionClosed";
        if (errorCode != null) {
            e.put("errorCode", errorCode);
            e.put("errorMessage", r.errorMessage() != null ? r.errorMessage()
                    : "The connection closed before the response was complete.");
        }
        ObjectNode params = e.putObject("requestParameters");
        if (r.bucket() != null) {
            params.put("bucketName", r.bucket());
        }
        params.put("Host", r.host());
        if (r.key() != null) {
            params.put("key", r.key());
        }
        r.query().forEach(params::put);
        r.requestHeaders().forEach(params::put);
        r.requestParameters().forEach((k, v) -> params.set(k, JSON.valueToTree(v)));
        if (r.responseHeaders().isEmpty()) {
            e.putNull("responseElements");
        } else {
            ObjectNode response = e.putObject("responseElements");
            r.responseHeaders().forEach(response::put);
        }
        ObjectNode extra = e.putObject("additionalEventData");
        extra.put("SignatureVersion", "SigV4");
        if (r.cipherSuite() != null) {
            extra.put("CipherSuite", r.cipherSuite());
        }
        extra.put("bytesTransferredIn", r.bytesIn());
        if (r.sseApplied() != null) {
            extra.put("SSEApplied", r.sseApplied());
        }
        if (r.accessKeyId() != null) {
            extra.put("AuthenticationMethod", r.presigned() ? "QueryString" : "AuthHeader");
        }
        extra.put("x-amz-id-2", r.hostId());
        extra.put("bytesTransferredOut", r.bytesOut());
        e.put("requestID", r.requestId());
        e.put("eventID", id.toString());
        e.put("readOnly", r.readOnly());
        ArrayNode resources = e.putArray("resources");
        List<String[]> lookup = new ArrayList<>();
        if (r.bucket() != null && r.key() != null) {
            String arn = "arn:aws:s3:::" + r.bucket() + "/" + r.key();
            resources.addObject().put("type", "AWS::S3::Object").put("ARN", arn);
            lookup.add(new String[] {"AWS::S3::Object", arn});
        }
        if (r.bucket() != null) {
            resources.addObject().put("accountId", account).put("type", "AWS::S3::Bucket")
                    .put("ARN", "arn:aws:s3:::" + r.bucket());
            lookup.add(new String[] {"AWS::S3::Bucket", r.bucket()});
        }
        e.put("eventType", "AwsApiCall");
        e.put("managementEvent", !data);
        e.put("recipientAccountId", account);
        e.put("eventCategory", data ? "Data" : "Management");
        if (r.tlsProtocol() != null) {
            e.putObject("tlsDetails").put("tlsVersion", r.tlsProtocol()).put("cipherSuite", r.cipherSuite())
                    .put("clientProvidedHostHeader", r.host());
        }
        List<String> names = new ArrayList<>();
        if (r.bucket() != null) {
            names.add(r.bucket());
            names.add("arn:aws:s3:::" + r.bucket());
            if (r.key() != null) {
                names.add("arn:aws:s3:::" + r.bucket() + "/" + r.key());
            }
        }
        return new AuditEvent(id, r.time(), account, S3_SOURCE, r.operation(), r.readOnly(),
                r.userName() != null ? r.userName() : r.accountId() != null ? "root" : null, r.accessKeyId(), names,
                resourcesJson(lookup), write(e));
    }

    private ObjectNode s3Identity(CompletedRequest r) {
        ObjectNode u = s3Principal(r);
        if (r.invokedBy() != null) {
            // a write the proxy made for a principal (a batch job's) or as a service (an inventory report)
            u.put("invokedBy", r.invokedBy());
        }
        return u;
    }

    private ObjectNode s3Principal(CompletedRequest r) {
        ObjectNode u = JSON.createObjectNode();
        if (r.accountId() == null && r.accessKeyId() == null && r.invokedBy() != null) {
            u.put("type", "AWSService");
        } else if (r.accountId() != null && r.userName() != null) {
            u.put("type", "IAMUser").put("principalId", r.userId()).put("arn", r.userArn())
                    .put("accountId", r.accountId()).put("accessKeyId", r.accessKeyId()).put("userName", r.userName());
        } else if (r.accountId() != null) {
            u.put("type", "Root").put("principalId", r.accountId()).put("arn", "arn:aws:iam::" + r.accountId() + ":root")
                    .put("accountId", r.accountId()).put("accessKeyId", r.accessKeyId());
        } else if (r.accessKeyId() != null) {
            u.put("type", "Unknown").put("accessKeyId", r.accessKeyId());
        } else {
            u.put("type", "AWSAccount").put("principalId", "").put("accountId", "anonymous");
        }
        return u;
    }

    /**
     * The event of an IAM or STS call (management events, {@code eventSource} {@code iam.amazonaws.com}
     * or {@code sts.amazonaws.com}); the user name and policy ARN it names are its resource names.
     */
    public AuditEvent api(ApiCall c) {
        UUID id = eventId();
        String account = c.accountId() != null ? c.accountId() : rootAccountId;
        ObjectNode e = JSON.createObjectNode();
        e.put("eventVersion", EVENT_VERSION);
        ObjectNode u = e.putObject("userIdentity");
        if (c.accountId() != null && c.userName() != null) {
            u.put("type", "IAMUser").put("principalId", c.userId()).put("arn", c.userArn())
                    .put("accountId", c.accountId()).put("accessKeyId", c.accessKeyId()).put("userName", c.userName());
        } else if (c.accountId() != null) {
            u.put("type", "Root").put("principalId", c.accountId()).put("arn", "arn:aws:iam::" + c.accountId() + ":root")
                    .put("accountId", c.accountId()).put("accessKeyId", c.accessKeyId());
        } else {
            u.put("type", "Unknown").put("accessKeyId", c.accessKeyId());
        }
        e.put("eventTime", time(c.time()));
        e.put("eventSource", c.eventSource());
        e.put("eventName", c.eventName());
        e.put("awsRegion", ApiCall.IAM_SOURCE.equals(c.eventSource()) ? "us-east-1" : region);
        e.put("sourceIPAddress", c.sourceIp());
        e.put("userAgent", c.userAgent());
        if (c.errorCode() != null) {
            e.put("errorCode", c.errorCode());
            e.put("errorMessage", c.errorMessage());
        }
        ObjectNode params = e.putObject("requestParameters");
        List<String> names = new ArrayList<>();
        c.requestParameters().forEach((k, v) -> {
            String name = Character.toLowerCase(k.charAt(0)) + k.substring(1);
            params.put(name, v);
            if (k.equals("UserName") || k.equals("PolicyArn")) {
                names.add(v);
            }
        });
        e.putNull("responseElements");
        e.put("requestID", c.requestId());
        e.put("eventID", id.toString());
        e.put("readOnly", c.readOnly());
        e.put("eventType", "AwsApiCall");
        e.put("managementEvent", true);
        e.put("recipientAccountId", account);
        e.put("eventCategory", "Management");
        List<String[]> lookup = new ArrayList<>();
        names.forEach(n -> lookup.add(new String[] {n.startsWith("arn:") ? "AWS::IAM::Policy" : "AWS::IAM::User", n}));
        return new AuditEvent(id, c.time(), account, c.eventSource(), c.eventName(), c.readOnly(),
                c.userName() != null ? c.userName() : c.accountId() != null ? "root" : null, c.accessKeyId(), names,
                resourcesJson(lookup), write(e));
    }

    /**
     * The event of a KMS call, or null for calls AWS KMS has no event for (reading a key's versions).
     *
     * @param keyArn the key's ARN, or the backend name when it is not a registry key (the proxy's own)
     */
    public AuditEvent kms(KmsCall c, String keyArn) {
        String name = switch (c.operation()) {
            case "generate_data_key" -> "GenerateDataKey";
            case "encrypt" -> "Encrypt";
            case "decrypt" -> "Decrypt";
            case "rewrap" -> "ReEncrypt";
            case "create_key" -> "CreateKey";
            case "rotate_key" -> "RotateKeyOnDemand";
            default -> null;
        };
        if (name == null) {
            return null;
        }
        boolean readOnly = !name.equals("CreateKey") && !name.equals("RotateKeyOnDemand");
        String account = c.accountId() != null ? c.accountId() : rootAccountId;
        UUID id = eventId();
        ObjectNode e = JSON.createObjectNode();
        e.put("eventVersion", EVENT_VERSION);
        e.putObject("userIdentity").put("type", "Root").put("principalId", account)
                .put("arn", "arn:aws:iam::" + account + ":root").put("accountId", account)
                .put("invokedBy", S3_SOURCE);
        e.put("eventTime", time(c.time()));
        e.put("eventSource", KMS_SOURCE);
        e.put("eventName", name);
        e.put("awsRegion", region);
        e.put("sourceIPAddress", S3_SOURCE);
        e.put("userAgent", S3_SOURCE);
        if (c.failure() != null) {
            e.put("errorCode", errorCode(c.failure()));
            e.put("errorMessage", String.valueOf(c.failure().getMessage()));
        }
        ObjectNode params = e.putObject("requestParameters");
        params.put("keyId", keyArn);
        if (name.equals("GenerateDataKey")) {
            params.put("keySpec", "AES_256");
        }
        if (!c.encryptionContext().isEmpty()) {
            ObjectNode ctx = params.putObject("encryptionContext");
            c.encryptionContext().forEach(ctx::put);
        }
        e.putNull("responseElements");
        e.put("requestID", eventId().toString());
        e.put("eventID", id.toString());
        e.put("readOnly", readOnly);
        ArrayNode resources = e.putArray("resources");
        resources.addObject().put("accountId", account).put("type", "AWS::KMS::Key").put("ARN", keyArn);
        e.put("eventType", "AwsApiCall");
        e.put("managementEvent", true);
        e.put("recipientAccountId", account);
        e.put("eventCategory", "Management");
        return new AuditEvent(id, c.time(), account, KMS_SOURCE, name, readOnly, "root", null, List.of(keyArn),
                resourcesJson(List.<String[]>of(new String[] {"AWS::KMS::Key", keyArn})), write(e));
    }

    private static String errorCode(Throwable t) {
        if (t instanceof KmsException.Throttled) {
            return "ThrottlingException";
        }
        if (t instanceof KmsException.InvalidCiphertext) {
            return "InvalidCiphertextException";
        }
        if (t instanceof KmsException.NotFound) {
            return "NotFoundException";
        }
        if (t instanceof KmsException.Unavailable) {
            return "KMSInternalException";
        }
        return t.getClass().getSimpleName();
    }

    private static String resourcesJson(List<String[]> resources) {
        ArrayNode a = JSON.createArrayNode();
        for (String[] r : resources) {
            a.addObject().put("ResourceType", r[0]).put("ResourceName", r[1]);
        }
        return write(a);
    }

    /** The last second {@link #time} formatted: the events of one second share it. */
    private static volatile FormattedSecond lastSecond = new FormattedSecond(Long.MIN_VALUE, "");

    private record FormattedSecond(long epochSecond, String text) {
    }

    static String time(Instant t) {
        FormattedSecond last = lastSecond;
        if (last.epochSecond() == t.getEpochSecond()) {
            return last.text();
        }
        String text = TIME.format(t.truncatedTo(ChronoUnit.SECONDS));
        lastSecond = new FormattedSecond(t.getEpochSecond(), text);
        return text;
    }

    static String write(Object node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** For tests and LookupEvents: the record as a map. */
    static Map<?, ?> read(String record) {
        try {
            return JSON.readValue(record, Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A random (version 4) UUID for an event or request id. Ids need to be unique, not unpredictable,
     * so they come from the thread's generator instead of {@code UUID.randomUUID()}'s shared
     * {@code SecureRandom} (0.5% of a warm 4 KiB GET's CPU in the issue 14 profile).
     */
    static UUID eventId() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        long hi = r.nextLong() & ~0xF000L | 0x4000L;
        long lo = r.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L;
        return new UUID(hi, lo);
    }
}
