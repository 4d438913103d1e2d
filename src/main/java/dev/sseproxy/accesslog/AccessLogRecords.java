package dev.sseproxy.accesslog;

import dev.sseproxy.observability.AccessDetails;
import dev.sseproxy.observability.CompletedRequest;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/** One server access log record in S3's format (package documentation, "Records"). */
public final class AccessLogRecords {
    /** S3's record time, e.g. {@code [06/Feb/2019:00:00:38 +0000]}. */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("'['dd/MMM/yyyy:HH:mm:ss Z']'", Locale.US)
            .withZone(ZoneOffset.UTC);
    /** Operations whose resource type is not the default one the route gives. */
    private static final Map<String, String> OPERATIONS = Map.ofEntries(
            Map.entry("CopyObject", "REST.COPY.OBJECT"), Map.entry("PostObject", "REST.POST.OBJECT"),
            Map.entry("CreateMultipartUpload", "REST.POST.UPLOADS"), Map.entry("UploadPart", "REST.PUT.PART"),
            Map.entry("UploadPartCopy", "REST.COPY.PART"), Map.entry("CompleteMultipartUpload", "REST.POST.UPLOAD"),
            Map.entry("AbortMultipartUpload", "REST.DELETE.UPLOAD"), Map.entry("ListParts", "REST.GET.UPLOAD"),
            Map.entry("ListMultipartUploads", "REST.GET.UPLOADS"), Map.entry("ListObjectVersions", "REST.GET.BUCKETVERSIONS"),
            Map.entry("DeleteObjects", "REST.POST.MULTI_OBJECT_DELETE"),
            Map.entry("GetBucketLogging", "REST.GET.LOGGING_STATUS"), Map.entry("PutBucketLogging", "REST.PUT.LOGGING_STATUS"),
            Map.entry("GetBucketPolicy", "REST.GET.BUCKETPOLICY"), Map.entry("PutBucketPolicy", "REST.PUT.BUCKETPOLICY"),
            Map.entry("DeleteBucketPolicy", "REST.DELETE.BUCKETPOLICY"),
            Map.entry("GetBucketPolicyStatus", "REST.GET.POLICY_STATUS"),
            Map.entry("GetObjectTagging", "REST.GET.OBJECT_TAGGING"), Map.entry("PutObjectTagging", "REST.PUT.OBJECT_TAGGING"),
            Map.entry("DeleteObjectTagging", "REST.DELETE.OBJECT_TAGGING"),
            Map.entry("GetObjectAttributes", "REST.GET.OBJECT_ATTRIBUTES"),
            Map.entry("GetBucketOwnershipControls", "REST.GET.OWNERSHIP_CONTROLS"),
            Map.entry("PutBucketOwnershipControls", "REST.PUT.OWNERSHIP_CONTROLS"),
            Map.entry("DeleteBucketOwnershipControls", "REST.DELETE.OWNERSHIP_CONTROLS"),
            Map.entry("GetPublicAccessBlock", "REST.GET.PUBLIC_ACCESS_BLOCK"),
            Map.entry("PutPublicAccessBlock", "REST.PUT.PUBLIC_ACCESS_BLOCK"),
            Map.entry("DeletePublicAccessBlock", "REST.DELETE.PUBLIC_ACCESS_BLOCK"));
    /** Sub-resources S3 names differently in the operation field. */
    private static final Map<String, String> SUBRESOURCES = Map.of("publicAccessBlock", "PUBLIC_ACCESS_BLOCK",
            "ownershipControls", "OWNERSHIP_CONTROLS", "policyStatus", "POLICY_STATUS", "policy", "BUCKETPOLICY",
            "logging", "LOGGING_STATUS", "versions", "BUCKETVERSIONS", "intelligent-tiering", "INTELLIGENT_TIERING");

    private AccessLogRecords() {
    }

    /** The record of {@code r} (without a line break). */
    public static String format(CompletedRequest r) {
        AccessDetails a = r.access();
        StringBuilder sb = new StringBuilder(400);
        field(sb, r.bucketOwner());
        field(sb, r.bucket());
        sb.append(TIME.format(r.time())).append(' ');
        field(sb, r.sourceIp());
        field(sb, requester(r));
        field(sb, r.requestId());
        field(sb, operation(r));
        field(sb, r.key() == null ? null : encodeKey(r.key()));
        quoted(sb, a == null || a.requestUri() == null ? null : r.method() + " " + a.requestUri() + " " + a.httpVersion());
        field(sb, r.status() == 0 ? null : Integer.toString(r.status()));
        field(sb, r.errorCode());
        field(sb, r.bytesOut() <= 0 ? null : Long.toString(r.bytesOut()));
        field(sb, a == null || a.objectSize() < 0 ? null : Long.toString(a.objectSize()));
        field(sb, Long.toString(r.durationNanos() / 1_000_000));
        field(sb, a == null || a.turnAroundNanos() < 0 ? null : Long.toString(a.turnAroundNanos() / 1_000_000));
        quoted(sb, a == null ? null : a.referer());
        quoted(sb, r.userAgent());
        field(sb, versionId(r));
        field(sb, r.hostId());
        field(sb, r.accessKeyId() == null ? null : "SigV4");
        field(sb, r.cipherSuite());
        field(sb, r.accessKeyId() == null ? null : r.presigned() ? "QueryString" : "AuthHeader");
        field(sb, r.host());
        field(sb, r.tlsProtocol());
        field(sb, null); // Access Point ARN: no access points here
        field(sb, null); // aclRequired
        sb.append('-'); // Source region: unknown (a client's region is not visible to the proxy)
        return sb.toString();
    }

    /** S3's operation field: {@code REST.<METHOD>.<resource type>}. */
    static String operation(CompletedRequest r) {
        String known = OPERATIONS.get(r.operation());
        if (known != null) {
            return known;
        }
        String sub = null;
        for (String q : r.query().keySet()) {
            if (q.equals("uploadId") || q.equals("partNumber") || q.equals("versionId") || q.equals("prefix")
                    || q.equals("delimiter") || q.equals("list-type") || q.equals("max-keys") || q.equals("start-after")
                    || q.equals("continuation-token") || q.equals("marker") || q.equals("key-marker")
                    || q.equals("upload-id-marker") || q.equals("max-uploads") || q.equals("max-parts")
                    || q.equals("part-number-marker") || q.equals("encoding-type")) {
                continue;
            }
            sub = q;
            break;
        }
        String type = sub != null ? SUBRESOURCES.getOrDefault(sub, sub.toUpperCase(Locale.ROOT).replace('-', '_'))
                : "object".equals(r.scope()) ? "OBJECT" : "bucket".equals(r.scope()) ? "BUCKET" : "SERVICE";
        return "REST." + r.method() + "." + type;
    }

    /** The IAM user's ARN, else the account's canonical id, else a service's name, else none. */
    static String requester(CompletedRequest r) {
        if (r.userArn() != null) {
            return r.userArn();
        }
        if (r.accountId() != null) {
            return r.accountId();
        }
        return r.invokedBy() == null ? null : "svc:" + r.invokedBy();
    }

    private static String versionId(CompletedRequest r) {
        String v = r.responseHeaders().get("x-amz-version-id");
        return v != null ? v : r.query().get("versionId");
    }

    /** The key URL-encoded as S3 logs it: UTF-8 percent-encoding, {@code /} kept. */
    static String encodeKey(String key) {
        StringBuilder sb = new StringBuilder(key.length() + 16);
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~' || c == '/') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }

    /** An unquoted field: {@code -} when empty; a space, quote or control character percent-encoded. */
    private static void field(StringBuilder sb, String v) {
        if (v == null || v.isEmpty()) {
            sb.append("- ");
            return;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c <= ' ' || c == '"' || c == 0x7f) {
                sb.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 15, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            } else {
                sb.append(c);
            }
        }
        sb.append(' ');
    }

    /** A quoted field: {@code "-"} when empty; {@code "} and {@code \} escaped, control characters percent-encoded. */
    private static void quoted(StringBuilder sb, String v) {
        sb.append('"');
        if (v == null || v.isEmpty()) {
            sb.append('-');
        } else {
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c == '"' || c == '\\') {
                    sb.append('\\').append(c);
                } else if (c < ' ' || c == 0x7f) {
                    sb.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 15, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
                } else {
                    sb.append(c);
                }
            }
        }
        sb.append("\" ");
    }
}
