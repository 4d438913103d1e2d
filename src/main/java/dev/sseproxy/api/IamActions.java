package dev.sseproxy.api;

import dev.sseproxy.api.Dispatcher.Scope;
import java.util.List;
import java.util.Map;

/**
 * The IAM actions a routed request needs, as the S3 service authorization reference names them
 * (HeadObject is {@code s3:GetObject}, ListObjects and HeadBucket {@code s3:ListBucket}, every write of an
 * object and every multipart step but abort and listing {@code s3:PutObject}, DeleteBucketEncryption
 * {@code s3:PutEncryptionConfiguration}, ...). A request needs every action listed
 * (GetObjectAttributes: {@code s3:GetObjectAttributes} and {@code s3:GetObject}); a request naming a
 * {@code versionId} needs the {@code ...Version...} form where S3 has one. Two routes are authorized
 * further by their operation: a copy's source ({@code s3:GetObject} on the source object, CopyObject and
 * UploadPartCopy) and DeleteObjects ({@code s3:DeleteObject} on each key, each denied key reported as an
 * {@code AccessDenied} entry), whose route therefore needs nothing at the bucket. A route without an entry
 * gets {@code s3:<Method><Sub-resource>} (e.g. {@code s3:GetLifecycle}), which no ACL grants: only the
 * owner may call it.
 */
final class IamActions {
    private static final Map<String, List<String>> OBJECT = Map.ofEntries(
            Map.entry("GET ", List.of("s3:GetObject")), Map.entry("HEAD ", List.of("s3:GetObject")),
            Map.entry("PUT ", List.of("s3:PutObject")), Map.entry("PUT copy", List.of("s3:PutObject")),
            Map.entry("DELETE ", List.of("s3:DeleteObject")),
            Map.entry("GET acl", List.of("s3:GetObjectAcl")), Map.entry("PUT acl", List.of("s3:PutObjectAcl")),
            Map.entry("GET tagging", List.of("s3:GetObjectTagging")),
            Map.entry("PUT tagging", List.of("s3:PutObjectTagging")),
            Map.entry("DELETE tagging", List.of("s3:DeleteObjectTagging")),
            Map.entry("GET attributes", List.of("s3:GetObjectAttributes", "s3:GetObject")),
            Map.entry("POST uploads", List.of("s3:PutObject")), Map.entry("PUT uploadId", List.of("s3:PutObject")),
            Map.entry("PUT uploadId+copy", List.of("s3:PutObject")), Map.entry("POST uploadId", List.of("s3:PutObject")),
            Map.entry("DELETE uploadId", List.of("s3:AbortMultipartUpload")),
            Map.entry("GET uploadId", List.of("s3:ListMultipartUploadParts")),
            Map.entry("GET retention", List.of("s3:GetObjectRetention")),
            Map.entry("PUT retention", List.of("s3:PutObjectRetention")),
            Map.entry("GET legal-hold", List.of("s3:GetObjectLegalHold")),
            Map.entry("PUT legal-hold", List.of("s3:PutObjectLegalHold")));
    /** The object actions with a {@code ...Version...} form, used when the request names a versionId. */
    private static final Map<String, String> VERSIONED = Map.of("s3:GetObject", "s3:GetObjectVersion",
            "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:GetObjectAcl", "s3:GetObjectVersionAcl",
            "s3:PutObjectAcl", "s3:PutObjectVersionAcl", "s3:GetObjectTagging", "s3:GetObjectVersionTagging",
            "s3:PutObjectTagging", "s3:PutObjectVersionTagging", "s3:DeleteObjectTagging", "s3:DeleteObjectVersionTagging",
            "s3:GetObjectAttributes", "s3:GetObjectVersionAttributes");
    private static final Map<String, List<String>> BUCKET = Map.ofEntries(
            Map.entry("GET ", List.of("s3:ListBucket")), Map.entry("HEAD ", List.of("s3:ListBucket")),
            Map.entry("GET versions", List.of("s3:ListBucketVersions")),
            Map.entry("GET uploads", List.of("s3:ListBucketMultipartUploads")),
            Map.entry("POST delete", List.of()), Map.entry("POST ", List.of("s3:PutObject")),
            Map.entry("PUT ", List.of("s3:CreateBucket")), Map.entry("DELETE ", List.of("s3:DeleteBucket")),
            Map.entry("GET acl", List.of("s3:GetBucketAcl")), Map.entry("PUT acl", List.of("s3:PutBucketAcl")),
            Map.entry("GET location", List.of("s3:GetBucketLocation")),
            Map.entry("GET versioning", List.of("s3:GetBucketVersioning")),
            Map.entry("PUT versioning", List.of("s3:PutBucketVersioning")),
            Map.entry("GET object-lock", List.of("s3:GetBucketObjectLockConfiguration")),
            Map.entry("PUT object-lock", List.of("s3:PutBucketObjectLockConfiguration")),
            Map.entry("GET encryption", List.of("s3:GetEncryptionConfiguration")),
            Map.entry("PUT encryption", List.of("s3:PutEncryptionConfiguration")),
            Map.entry("DELETE encryption", List.of("s3:PutEncryptionConfiguration")),
            Map.entry("GET tagging", List.of("s3:GetBucketTagging")), Map.entry("PUT tagging", List.of("s3:PutBucketTagging")),
            Map.entry("DELETE tagging", List.of("s3:PutBucketTagging")),
            Map.entry("GET ownershipControls", List.of("s3:GetBucketOwnershipControls")),
            Map.entry("PUT ownershipControls", List.of("s3:PutBucketOwnershipControls")),
            Map.entry("DELETE ownershipControls", List.of("s3:PutBucketOwnershipControls")),
            Map.entry("GET policy", List.of("s3:GetBucketPolicy")), Map.entry("PUT policy", List.of("s3:PutBucketPolicy")),
            Map.entry("DELETE policy", List.of("s3:DeleteBucketPolicy")),
            Map.entry("GET policyStatus", List.of("s3:GetBucketPolicyStatus")),
            Map.entry("GET publicAccessBlock", List.of("s3:GetBucketPublicAccessBlock")),
            Map.entry("PUT publicAccessBlock", List.of("s3:PutBucketPublicAccessBlock")),
            Map.entry("DELETE publicAccessBlock", List.of("s3:PutBucketPublicAccessBlock")),
            Map.entry("GET logging", List.of("s3:GetBucketLogging")), Map.entry("PUT logging", List.of("s3:PutBucketLogging")),
            Map.entry("GET inventory", List.of("s3:GetInventoryConfiguration")),
            Map.entry("PUT inventory", List.of("s3:PutInventoryConfiguration")),
            Map.entry("DELETE inventory", List.of("s3:PutInventoryConfiguration")),
            Map.entry("GET replication", List.of("s3:GetReplicationConfiguration")),
            Map.entry("PUT replication", List.of("s3:PutReplicationConfiguration")),
            Map.entry("DELETE replication", List.of("s3:PutReplicationConfiguration")),
            Map.entry("GET notification", List.of("s3:GetBucketNotification")),
            Map.entry("PUT notification", List.of("s3:PutBucketNotification")));
    private static final Map<String, List<String>> SERVICE = Map.ofEntries(
            Map.entry("GET ", List.of("s3:ListAllMyBuckets")),
            Map.entry("GET " + AccountPublicAccessBlockOperation.PATH, List.of("s3:GetAccountPublicAccessBlock")),
            Map.entry("PUT " + AccountPublicAccessBlockOperation.PATH, List.of("s3:PutAccountPublicAccessBlock")),
            Map.entry("DELETE " + AccountPublicAccessBlockOperation.PATH, List.of("s3:PutAccountPublicAccessBlock")),
            Map.entry("POST " + BatchJobsOperation.JOBS, List.of("s3:CreateJob")),
            Map.entry("GET " + BatchJobsOperation.JOBS, List.of("s3:ListJobs")),
            Map.entry("GET " + BatchJobsOperation.JOB, List.of("s3:DescribeJob")),
            Map.entry("POST " + BatchJobsOperation.PRIORITY, List.of("s3:UpdateJobPriority")),
            Map.entry("POST " + BatchJobsOperation.STATUS, List.of("s3:UpdateJobStatus")));

    private IamActions() {
    }

    /** The first (main) action of a route without a versionId. */
    static String of(Scope scope, String method, String sub) {
        List<String> all = all(scope, method, sub, false);
        return all.isEmpty() ? "s3:DeleteObject" : all.get(0);
    }

    /** Every action a request on the route needs ({@code versioned}: it names a versionId). */
    static List<String> all(Scope scope, String method, String sub, boolean versioned) {
        String route = method + " " + sub;
        List<String> a = switch (scope) {
            case OBJECT -> OBJECT.get(route);
            case BUCKET -> BUCKET.get(route);
            case SERVICE -> SERVICE.get(route);
        };
        if (a == null) {
            return List.of("s3:" + capitalized(method.toLowerCase(java.util.Locale.ROOT)) + capitalized(sub));
        }
        return versioned && scope == Scope.OBJECT ? a.stream().map(x -> VERSIONED.getOrDefault(x, x)).toList() : a;
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
