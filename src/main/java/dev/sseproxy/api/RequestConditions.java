package dev.sseproxy.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sseproxy.api.xml.SubresourceDocuments;
import dev.sseproxy.api.xml.S3Xml;
import dev.sseproxy.auth.AuthInfo;
import dev.sseproxy.authz.ConditionContext;
import dev.sseproxy.authz.Policy;
import dev.sseproxy.backend.BackendCall;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.catalog.MultipartUploads;
import dev.sseproxy.crypto.Envelope;
import dev.sseproxy.kms.registry.KeyRegistry;
import dev.sseproxy.kms.registry.KmsAction;
import dev.sseproxy.kms.registry.ResolvedKey;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The condition keys of an S3 request ({@link ConditionContext}), as S3 sets them for policies to read.
 * Built only when a policy will be evaluated (a bucket without policy, and a root or anonymous requester,
 * needs none), so the common path pays nothing.
 *
 * <h2>Keys (names as AWS spells them; matched case-insensitively)</h2>
 * <ul>
 *   <li>Global: {@code aws:SecureTransport} ({@code true} over TLS, or when a trusted proxy says
 *       {@code X-Forwarded-Proto: https}), {@code aws:SourceIp} (the peer; with {@code X-Forwarded-For}
 *       only from a peer in {@code sse-proxy.trusted-proxies}), {@code aws:CurrentTime} (ISO 8601, UTC,
 *       seconds), {@code aws:EpochTime} (seconds), {@code aws:UserAgent}, {@code aws:Referer}. The
 *       principal's keys ({@code aws:PrincipalAccount}, {@code aws:PrincipalArn}, ...) come from the
 *       evaluator itself.</li>
 *   <li>Signature: {@code s3:signatureversion} ({@code AWS4-HMAC-SHA256}), {@code s3:authType}
 *       ({@code REST-HEADER}, {@code REST-QUERY-STRING}, {@code POST}), {@code s3:signatureAge}
 *       (milliseconds since the signature's time), {@code s3:x-amz-content-sha256}. Absent for anonymous
 *       requests.</li>
 *   <li>Encryption: {@code s3:x-amz-server-side-encryption} and
 *       {@code s3:x-amz-server-side-encryption-customer-algorithm} from the request's headers;
 *       {@code s3:x-amz-server-side-encryption-aws-kms-key-id} as the full key ARN S3 will use: the
 *       header's key id or alias resolved in the requester's account (a key ARN as written), or, for
 *       {@code aws:kms} without a key id, the requester's {@code aws/s3} key (so the S3 guide's "Require
 *       SSE-KMS" policy, {@code Null} on this key, lets such a PUT through as the guide says); looked up only
 *       when a policy reads the key. A bucket's default encryption does not set these keys (a request
 *       without encryption headers has none). A CopyObject's keys are its own headers (the destination's
 *       encryption), never the source's.</li>
 *   <li>Multipart: UploadPart, UploadPartCopy and CompleteMultipartUpload carry no encryption headers
 *       (S3 refuses them there, SSE-C aside), yet the S3 guide's "deny unencrypted uploads" policies name
 *       {@code s3:PutObject}, which covers them; AWS lets an upload that was <em>initiated</em> with the
 *       required headers upload its parts and complete (evidence in the report of issue 12: AWS CLI and
 *       SDK multipart uploads under these policies succeed today, denials are reported at
 *       CreateMultipartUpload, e.g. aws-ia/terraform-aws-control_tower_account_factory#567; the 2015
 *       report boto/botocore#471 of UploadPart being denied predates that). So for those requests the
 *       encryption keys are the upload's own, read from its stored envelope (mode and KMS key ARN), and
 *       only when a policy reads an encryption key: one catalog read the operation makes anyway.</li>
 *   <li>Listing: {@code s3:prefix}, {@code s3:delimiter}, {@code s3:max-keys} from the query (present
 *       only when the request has them); {@code s3:VersionId}.</li>
 *   <li>ACL and copy headers: {@code s3:x-amz-acl}, {@code s3:x-amz-grant-read}, {@code -write},
 *       {@code -read-acp}, {@code -write-acp}, {@code -full-control}, {@code s3:x-amz-copy-source},
 *       {@code s3:x-amz-metadata-directive}, {@code s3:x-amz-storage-class}.</li>
 *   <li>Object Lock headers: {@code s3:object-lock-mode}, {@code s3:object-lock-retain-until-date},
 *       {@code s3:object-lock-remaining-retention-days}, {@code s3:object-lock-legal-hold}.</li>
 *   <li>Tags: {@code s3:RequestObjectTag/<key>} and {@code s3:RequestObjectTagKeys} from
 *       {@code x-amz-tagging}; {@code s3:ExistingObjectTag/<key>}, the addressed object's stored tags,
 *       fetched from the backend only when a policy reads one (a missing object has none).</li>
 * </ul>
 */
@ApplicationScoped
class RequestConditions {
    static final String SSE = "s3:x-amz-server-side-encryption";
    static final String SSE_KMS_KEY = "s3:x-amz-server-side-encryption-aws-kms-key-id";
    static final String SSE_C_ALGORITHM = "s3:x-amz-server-side-encryption-customer-algorithm";
    static final String EXISTING_TAG = "s3:existingobjecttag/";
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> HEADER_KEYS = List.of("x-amz-acl", "x-amz-grant-read", "x-amz-grant-write",
            "x-amz-grant-read-acp", "x-amz-grant-write-acp", "x-amz-grant-full-control", "x-amz-copy-source",
            "x-amz-metadata-directive", "x-amz-storage-class", SSE.substring(3), SSE_C_ALGORITHM.substring(3));

    private final KeyRegistry keys;
    private final MultipartUploads uploads;
    private final ObjectStore store;
    private final Clock clock;

    @jakarta.inject.Inject
    RequestConditions(KeyRegistry keys, MultipartUploads uploads, ObjectStore store) {
        this(keys, uploads, store, Clock.systemUTC());
    }

    RequestConditions(KeyRegistry keys, MultipartUploads uploads, ObjectStore store, Clock clock) {
        this.keys = keys;
        this.uploads = uploads;
        this.store = store;
        this.clock = clock;
    }

    /**
     * The condition keys of {@code ex} addressing {@code bucket}/{@code key} (key null: the bucket), for
     * the {@code policies} that will read them (costly keys are fetched only when one of them reads them).
     */
    Uni<ConditionContext> of(S3Exchange ex, String bucket, String key, List<Policy> policies) {
        Map<String, List<String>> m = base(ex, clock.instant());
        Uni<Void> sse = multipartContinuation(ex) ? fromUpload(ex, m, policies) : kmsKey(ex.actingAccount(), m, policies);
        Uni<Void> tags = key != null && reads(policies, EXISTING_TAG) ? existingTags(bucket, key, m)
                : Uni.createFrom().voidItem();
        return sse.chain(() -> tags).map(v -> context(m));
    }

    /**
     * The condition keys of a write the proxy makes itself ({@code dev.sseproxy.sse.InternalWrites}): the
     * keys in {@code m} (lower-case names, as {@link #put} writes them: the caller's own, e.g.
     * {@code aws:SourceAccount}, {@code s3:x-amz-server-side-encryption}), the clock's, the KMS key ARN
     * as a request of {@code requester} naming that key would get it, and the object's stored tags when a
     * policy reads them, exactly as for a client's request.
     */
    Uni<ConditionContext> internal(Map<String, List<String>> m, String requester, String bucket, String key,
            List<Policy> policies) {
        Instant now = clock.instant();
        put(m, "aws:CurrentTime", ISO.format(now));
        put(m, "aws:EpochTime", Long.toString(now.getEpochSecond()));
        Uni<Void> tags = key != null && reads(policies, EXISTING_TAG) ? existingTags(bucket, key, m)
                : Uni.createFrom().voidItem();
        return kmsKey(requester, m, policies).chain(() -> tags).map(v -> context(m));
    }

    /** A context over {@code m}, whose keys are lower case. */
    static ConditionContext context(Map<String, List<String>> m) {
        return k -> m.getOrDefault(k.toLowerCase(Locale.ROOT), List.of());
    }

    /** The keys read from the exchange itself: headers, query, connection, signature, time. */
    static Map<String, List<String>> base(S3Exchange ex, Instant now) {
        Map<String, List<String>> m = new HashMap<>();
        put(m, "aws:SecureTransport", Boolean.toString(ex.secureTransport()));
        put(m, "aws:SourceIp", ex.sourceIp());
        put(m, "aws:CurrentTime", ISO.format(now));
        put(m, "aws:EpochTime", Long.toString(now.getEpochSecond()));
        put(m, "aws:UserAgent", ex.header("User-Agent"));
        put(m, "aws:Referer", ex.header("Referer"));
        if (ex.principal() != null && ex.principal().user() != null) {
            // an IAM user's unique id (AIDA...): the evaluator takes a user's aws:userid from the caller
            put(m, "aws:userid", ex.principal().user().userId());
        }
        AuthInfo auth = ex.authInfo();
        if (auth != null) {
            put(m, "s3:signatureversion", "AWS4-HMAC-SHA256");
            put(m, "s3:authType", auth.presigned() ? "REST-QUERY-STRING" : "REST-HEADER");
            if (auth.requestTime() != null) {
                put(m, "s3:signatureAge", Long.toString(Math.max(0, now.toEpochMilli() - auth.requestTime().toEpochMilli())));
            }
            put(m, "s3:x-amz-content-sha256", ex.header("x-amz-content-sha256"));
        }
        for (String h : HEADER_KEYS) {
            put(m, "s3:" + h, ex.header(h));
        }
        for (String q : List.of("prefix", "delimiter", "max-keys")) {
            put(m, "s3:" + q, ex.queryParam(q));
        }
        put(m, "s3:VersionId", ex.queryParam("versionId"));
        objectLock(ex, now, m);
        requestTags(ex.header("x-amz-tagging"), m);
        String kmsKey = ex.header("x-amz-server-side-encryption-aws-kms-key-id");
        if (kmsKey != null) {
            put(m, SSE_KMS_KEY, kmsKey.trim());
        }
        return m;
    }

    /**
     * The Object Lock keys of a write's lock headers: {@code s3:object-lock-mode},
     * {@code s3:object-lock-retain-until-date}, {@code s3:object-lock-remaining-retention-days} (whole days
     * from now, rounded up) and {@code s3:object-lock-legal-hold}. Not from a PutObjectRetention or
     * PutObjectLegalHold body, which is read after authorization.
     */
    private static void objectLock(S3Exchange ex, Instant now, Map<String, List<String>> m) {
        put(m, "s3:object-lock-mode", ex.header(ObjectLocks.MODE));
        put(m, "s3:object-lock-legal-hold", ex.header(ObjectLocks.HOLD));
        String until = ex.header(ObjectLocks.UNTIL);
        Instant date = until == null ? null : ObjectLocks.date(until);
        if (date != null) {
            put(m, "s3:object-lock-retain-until-date", ISO.format(date));
            long seconds = Math.max(0, date.getEpochSecond() - now.getEpochSecond());
            put(m, "s3:object-lock-remaining-retention-days", Long.toString((seconds + 86_399) / 86_400));
        }
    }

    /** UploadPart, UploadPartCopy, CompleteMultipartUpload: requests that continue an upload. */
    static boolean multipartContinuation(S3Exchange ex) {
        return ex.key() != null && ex.queryParam("uploadId") != null
                && ("PUT".equals(ex.method()) || "POST".equals(ex.method()));
    }

    /** The requested key id or alias as the full ARN S3 will use (only when a policy reads the key). */
    private Uni<Void> kmsKey(String requester, Map<String, List<String>> m, List<Policy> policies) {
        List<String> requested = m.get(SSE_KMS_KEY);
        List<String> sse = m.getOrDefault(SSE, List.of());
        boolean kms = !sse.isEmpty() && sse.get(0).startsWith("aws:kms");
        if ((requested == null && !kms) || !reads(policies, SSE_KMS_KEY)) {
            return Uni.createFrom().voidItem();
        }
        if (requested == null) {
            // aws:kms without a key id: the requester's AWS managed key aws/s3, the key S3 will use
            return requester == null ? Uni.createFrom().voidItem()
                    : keys.resolve(null, requester, KmsAction.GENERATE_DATA_KEY).map(ResolvedKey::arn)
                            .invoke(arn -> put(m, SSE_KMS_KEY, arn)).replaceWithVoid()
                            .onFailure().recoverWithNull().replaceWithVoid();
        }
        String id = requested.get(0);
        if (id.startsWith("arn:") || requester == null) {
            return Uni.createFrom().voidItem();
        }
        if (UUID.matcher(id).matches()) {
            put(m, SSE_KMS_KEY, "arn:aws:kms:" + keys.region() + ":" + requester + ":key/" + id.toLowerCase(Locale.ROOT));
            return Uni.createFrom().voidItem();
        }
        return keys.resolve(id, requester, KmsAction.GENERATE_DATA_KEY).map(ResolvedKey::arn)
                .onFailure().recoverWithItem(id)
                .invoke(arn -> put(m, SSE_KMS_KEY, arn)).replaceWithVoid();
    }

    /** The encryption keys of a continued multipart upload: those it was created with (class comment). */
    private Uni<Void> fromUpload(S3Exchange ex, Map<String, List<String>> m, List<Policy> policies) {
        if (!reads(policies, SSE)) {
            return Uni.createFrom().voidItem();
        }
        return uploads.find(ex.queryParam("uploadId")).invoke(found -> found.flatMap(s -> envelope(s.upload()))
                .ifPresent(e -> {
                    switch (e.sseMode()) {
                        case SSE_S3 -> put(m, SSE, "AES256");
                        case SSE_KMS -> put(m, SSE, "aws:kms");
                        case DSSE_KMS -> put(m, SSE, "aws:kms:dsse");
                        case SSE_C -> put(m, SSE_C_ALGORITHM, "AES256");
                        case NONE -> {
                        }
                    }
                    if (e.kmsKeyArn() != null) {
                        put(m, SSE_KMS_KEY, e.kmsKeyArn());
                    }
                })).replaceWithVoid();
    }

    private static Optional<Envelope> envelope(MultipartUploads.Upload u) {
        try {
            Map<String, String> meta = JSON.readValue(u.envelopeJson(), new TypeReference<Map<String, String>>() { });
            return Envelope.fromMetadata(meta);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private Uni<Void> existingTags(String bucket, String key, Map<String, List<String>> m) {
        return store.exchange(BackendCall.of("GET", bucket, key).query("tagging", "")).map(reply -> {
            SubresourceDocuments.TaggingXml t = S3Xml.read(reply.body().getBytes(), SubresourceDocuments.TaggingXml.class);
            if (t.tagSet != null) {
                for (SubresourceDocuments.TagXml tag : t.tagSet) {
                    if (tag.key != null) {
                        put(m, "s3:ExistingObjectTag/" + tag.key, tag.value == null ? "" : tag.value);
                    }
                }
            }
            return (Void) null;
        }).onFailure().recoverWithItem((Void) null);
    }

    /** {@code x-amz-tagging} ({@code k1=v1&k2=v2}, URL-encoded): s3:RequestObjectTag/&lt;k&gt; and s3:RequestObjectTagKeys. */
    static void requestTags(String tagging, Map<String, List<String>> m) {
        if (tagging == null || tagging.isEmpty()) {
            return;
        }
        List<String> tagKeys = new ArrayList<>();
        for (String pair : tagging.split("&", 51)) {
            int eq = pair.indexOf('=');
            try {
                String k = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
                tagKeys.add(k);
                put(m, "s3:RequestObjectTag/" + k, v);
            } catch (IllegalArgumentException e) {
                return;
            }
        }
        m.put("s3:requestobjecttagkeys", List.copyOf(tagKeys));
    }

    static boolean reads(List<Policy> policies, String lowerCasePrefix) {
        for (Policy p : policies) {
            if (p.readsConditionKey(lowerCasePrefix)) {
                return true;
            }
        }
        return false;
    }

    static void put(Map<String, List<String>> m, String key, String value) {
        if (value != null) {
            m.put(key.toLowerCase(Locale.ROOT), List.of(value));
        }
    }
}
