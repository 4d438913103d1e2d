package dev.sseproxy.api;

import dev.sseproxy.accesslog.AccessLogDelivery;
import dev.sseproxy.api.Dispatcher.Route;
import dev.sseproxy.api.Dispatcher.RoutedOperation;
import dev.sseproxy.api.Dispatcher.Scope;
import dev.sseproxy.api.xml.S3Xml;
import dev.sseproxy.api.xml.SubresourceDocuments.BucketLoggingStatusXml;
import dev.sseproxy.api.xml.SubresourceDocuments.LoggingEnabledXml;
import dev.sseproxy.api.xml.SubresourceDocuments.PartitionedPrefixXml;
import dev.sseproxy.api.xml.SubresourceDocuments.TargetGrantXml;
import dev.sseproxy.api.xml.SubresourceDocuments.TargetGranteeXml;
import dev.sseproxy.api.xml.SubresourceDocuments.TargetObjectKeyFormatXml;
import dev.sseproxy.authz.Principal;
import dev.sseproxy.catalog.Bucket;
import dev.sseproxy.catalog.BucketCatalog;
import dev.sseproxy.catalog.BucketLogging;
import dev.sseproxy.catalog.BucketLogging.TargetGrant;
import dev.sseproxy.crypto.SseMode;
import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.sse.BucketEncryptionStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Put / GetBucketLogging ({@code ?logging}): the configuration of server access logging, validated and
 * refused as the {@code dev.sseproxy.accesslog} package documentation lists (target missing, in another
 * region, another owner's without a policy for the logging service, TargetGrants on a BucketOwnerEnforced
 * target, an SSE-KMS or DSSE-KMS default on the target), stored on the bucket row.
 */
@ApplicationScoped
class BucketLoggingOperation implements RoutedOperation {
    static final String CROSS_ACCOUNT = "The owner for the bucket to be logged and the target bucket must be the same.";
    static final String CROSS_REGION = "Cross S3 location logging not allowed.";
    static final String KMS_TARGET = "The target bucket for logging must not use SSE-KMS or DSSE-KMS default encryption; "
            + "only SSE-S3 (AES256) is supported.";
    static final String NO_ACLS = "The target bucket for logging does not allow ACLs";
    private static final Set<String> PERMISSIONS = Set.of("FULL_CONTROL", "READ", "WRITE");
    private final BucketCatalog buckets;
    private final BucketEncryptionStore encryption;
    private final Authorization authorization;

    BucketLoggingOperation(BucketCatalog buckets, BucketEncryptionStore encryption, Authorization authorization) {
        this.buckets = buckets;
        this.encryption = encryption;
        this.authorization = authorization;
    }

    public String name() {
        return "BucketLogging";
    }

    @Override
    public String name(String method) {
        return "GET".equals(method) ? "GetBucketLogging" : "PutBucketLogging";
    }

    public List<Route> routes() {
        return List.of(new Route(Scope.BUCKET, "GET", "logging"), new Route(Scope.BUCKET, "PUT", "logging"));
    }

    public Uni<Void> handle(S3Exchange ex) {
        Bucket b = ex.bucketRecord();
        if ("GET".equals(ex.method())) {
            return Responses.xml(ex, 200, document(b.logging()));
        }
        return SmallBody.read(ex).chain(body -> {
            BucketLogging c = parse(body);
            ex.auditParameter("BucketLoggingStatus", auditParameters(c));
            Uni<Void> checked = c == null ? Uni.createFrom().voidItem() : checkTarget(ex, b, c);
            return checked.chain(() -> buckets.updateLogging(b.name(), c));
        }).chain(() -> Responses.empty(ex, 200));
    }

    /** The target exists, may receive this bucket's logs, and does not default to SSE-KMS / DSSE-KMS. */
    private Uni<Void> checkTarget(S3Exchange ex, Bucket source, BucketLogging c) {
        return buckets.find(c.targetBucket()).chain(found -> {
            Bucket target = found.orElseThrow(() -> refused(S3ErrorCode.INVALID_TARGET_BUCKET_FOR_LOGGING.defaultMessage(), c));
            if (!target.region().equals(source.region())) {
                throw refused(CROSS_REGION, c);
            }
            if (!c.grants().isEmpty() && !target.effectiveOwnership().aclsEnabled()) {
                throw S3Exception.of(S3ErrorCode.ACCESS_CONTROL_LIST_NOT_SUPPORTED, NO_ACLS);
            }
            Uni<Void> allowed = target.ownerId().equals(source.ownerId()) ? Uni.createFrom().voidItem()
                    : deliveryAllowed(ex, source, target, c);
            return allowed.chain(() -> encryption.get(target.name())).invoke(enc -> {
                SseMode mode = enc.effective().algorithm();
                if (mode == SseMode.SSE_KMS || mode == SseMode.DSSE_KMS) {
                    throw refused(KMS_TARGET, c);
                }
            }).replaceWithVoid();
        });
    }

    /** Another owner's target: its bucket policy must let the logging service put this bucket's log objects. */
    private Uni<Void> deliveryAllowed(S3Exchange ex, Bucket source, Bucket target, BucketLogging c) {
        Map<String, List<String>> keys = InternalCalls.baseKeys(AccessLogDelivery.SERVICE);
        RequestConditions.put(keys, "aws:SourceAccount", source.ownerId());
        RequestConditions.put(keys, "aws:SourceArn", "arn:aws:s3:::" + source.name());
        String probe = c.targetPrefix() + "2000-01-01-00-00-00-0000000000000000";
        return authorization.requireInternal(ex.requestId(), Principal.service(AccessLogDelivery.SERVICE), List.of(),
                "s3:PutObject", target, probe, keys).replaceWithVoid()
                .onFailure(S3Exception.class).transform(e -> refused(CROSS_ACCOUNT, c));
    }

    private static S3Exception refused(String message, BucketLogging c) {
        return S3Exception.of(S3ErrorCode.INVALID_TARGET_BUCKET_FOR_LOGGING, message).withDetail("TargetBucket",
                c.targetBucket());
    }

    /** The configuration a PutBucketLogging body sets; null: logging off (an empty BucketLoggingStatus). */
    static BucketLogging parse(byte[] body) {
        BucketLoggingStatusXml x = S3Xml.read(body, BucketLoggingStatusXml.class);
        LoggingEnabledXml e = x.loggingEnabled;
        if (e == null) {
            return null;
        }
        if (e.targetBucket == null || e.targetBucket.isBlank() || e.targetPrefix == null) {
            throw S3Exception.malformedXml();
        }
        boolean formatGiven = e.keyFormat != null;
        boolean partitioned = false;
        boolean deliveryTime = false;
        if (formatGiven) {
            TargetObjectKeyFormatXml f = e.keyFormat;
            if ((f.simplePrefix == null) == (f.partitionedPrefix == null)) {
                throw S3Exception.malformedXml();
            }
            if (f.partitionedPrefix != null) {
                partitioned = true;
                String source = f.partitionedPrefix.partitionDateSource;
                if (source != null && !source.equals("EventTime") && !source.equals("DeliveryTime")) {
                    throw S3Exception.malformedXml();
                }
                deliveryTime = "DeliveryTime".equals(source);
            }
        }
        List<TargetGrant> grants = new ArrayList<>();
        for (TargetGrantXml g : e.targetGrants == null ? List.<TargetGrantXml>of() : e.targetGrants) {
            grants.add(grant(g));
        }
        return new BucketLogging(e.targetBucket.trim(), e.targetPrefix, partitioned, formatGiven, deliveryTime, grants);
    }

    private static TargetGrant grant(TargetGrantXml g) {
        if (g.grantee == null || g.permission == null || !PERMISSIONS.contains(g.permission.trim())) {
            throw S3Exception.malformedXml();
        }
        TargetGranteeXml who = g.grantee;
        String type = who.type == null ? null : who.type.trim();
        boolean ok = ("CanonicalUser".equals(type) && who.id != null) || ("Group".equals(type) && who.uri != null)
                || ("AmazonCustomerByEmail".equals(type) && who.emailAddress != null);
        if (!ok) {
            throw S3Exception.malformedXml();
        }
        return new TargetGrant(type, who.id, who.uri, who.emailAddress, g.permission.trim());
    }

    /** The configuration as CloudTrail's {@code requestParameters.BucketLoggingStatus} shows it. */
    static Map<String, Object> auditParameters(BucketLogging c) {
        Map<String, Object> status = new java.util.LinkedHashMap<>();
        status.put("xmlns", S3Xml.NS);
        if (c != null) {
            Map<String, Object> enabled = new java.util.LinkedHashMap<>();
            enabled.put("TargetBucket", c.targetBucket());
            enabled.put("TargetPrefix", c.targetPrefix());
            c.partitionDateSource().ifPresentOrElse(
                    d -> enabled.put("TargetObjectKeyFormat", Map.of("PartitionedPrefix", Map.of("PartitionDateSource", d))),
                    () -> {
                        if (c.formatGiven()) {
                            enabled.put("TargetObjectKeyFormat", Map.of("SimplePrefix", Map.of()));
                        }
                    });
            status.put("LoggingEnabled", enabled);
        }
        return status;
    }

    /** GetBucketLogging's document. */
    static BucketLoggingStatusXml document(BucketLogging c) {
        BucketLoggingStatusXml x = new BucketLoggingStatusXml();
        if (c == null) {
            return x;
        }
        LoggingEnabledXml e = new LoggingEnabledXml();
        e.targetBucket = c.targetBucket();
        e.targetPrefix = c.targetPrefix();
        if (!c.grants().isEmpty()) {
            e.targetGrants = new ArrayList<>();
            for (TargetGrant g : c.grants()) {
                TargetGrantXml gx = new TargetGrantXml();
                gx.grantee = new TargetGranteeXml();
                gx.grantee.xsi = "http://www.w3.org/2001/XMLSchema-instance";
                gx.grantee.xsiType = g.granteeType();
                gx.grantee.id = g.id();
                gx.grantee.uri = g.uri();
                gx.grantee.emailAddress = g.email();
                gx.permission = g.permission();
                e.targetGrants.add(gx);
            }
        }
        if (c.formatGiven()) {
            e.keyFormat = new TargetObjectKeyFormatXml();
            if (c.partitioned()) {
                e.keyFormat.partitionedPrefix = new PartitionedPrefixXml();
                e.keyFormat.partitionedPrefix.partitionDateSource = c.deliveryTime() ? "DeliveryTime" : "EventTime";
            } else {
                e.keyFormat.simplePrefix = "";
            }
        }
        x.loggingEnabled = e;
        return x;
    }
}
