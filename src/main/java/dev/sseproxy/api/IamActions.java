package dev.sseproxy.api;

import dev.sseproxy.api.Dispatcher.Scope;
import java.util.Map;

/**
 * The IAM action of a routed request, as AWS names it for authorization (HeadObject is
 * {@code s3:GetObject}, ListObjects and HeadBucket {@code s3:ListBucket}, every write of an object
 * {@code s3:PutObject}, ...). A route without an entry gets {@code s3:<Method><Sub-resource>} (e.g. {@code s3:GetLifecycle}), which
 * no ACL grants: only the owner may call it.
 */
final class IamActions {
    private static final Map<String, String> OBJECT = Map.ofEntries(
            Map.entry("GET ", "s3:GetObject"), Map.entry("HEAD ", "s3:GetObject"),
            Map.entry("PUT ", "s3:PutObject"), Map.entry("PUT copy", "s3:PutObject"),
            Map.entry("DELETE ", "s3:DeleteObject"),
            Map.entry("GET acl", "s3:GetObjectAcl"), Map.entry("PUT acl", "s3:PutObjectAcl"),
            Map.entry("GET tagging", "s3:GetObjectTagging"), Map.entry("PUT tagging", "s3:PutObjectTagging"),
            Map.entry("DELETE tagging", "s3:DeleteObjectTagging"),
            Map.entry("GET attributes", "s3:GetObjectAttributes"),
            Map.entry("POST uploads", "s3:PutObject"), Map.entry("PUT uploadId", "s3:PutObject"),
            Map.entry("PUT uploadId+copy", "s3:PutObject"), Map.entry("POST uploadId", "s3:PutObject"),
            Map.entry("DELETE uploadId", "s3:AbortMultipartUpload"),
            Map.entry("GET uploadId", "s3:ListMultipartUploadParts"));
    private static final Map<String, String> BUCKET = Map.ofEntries(
            Map.entry("GET ", "s3:ListBucket"), Map.entry("HEAD ", "s3:ListBucket"),
            Map.entry("GET versions", "s3:ListBucketVersions"), Map.entry("GET uploads", "s3:ListBucketMultipartUploads"),
            Map.entry("POST delete", "s3:DeleteObject"), Map.entry("POST ", "s3:PutObject"),
            Map.entry("PUT ", "s3:CreateBucket"), Map.entry("DELETE ", "s3:DeleteBucket"),
            Map.entry("GET acl", "s3:GetBucketAcl"), Map.entry("PUT acl", "s3:PutBucketAcl"),
            Map.entry("GET location", "s3:GetBucketLocation"), Map.entry("GET versioning", "s3:GetBucketVersioning"),
            Map.entry("GET encryption", "s3:GetEncryptionConfiguration"),
            Map.entry("PUT encryption", "s3:PutEncryptionConfiguration"),
            Map.entry("DELETE encryption", "s3:PutEncryptionConfiguration"),
            Map.entry("GET tagging", "s3:GetBucketTagging"), Map.entry("PUT tagging", "s3:PutBucketTagging"),
            Map.entry("DELETE tagging", "s3:PutBucketTagging"),
            Map.entry("GET ownershipControls", "s3:GetBucketOwnershipControls"),
            Map.entry("PUT ownershipControls", "s3:PutBucketOwnershipControls"),
            Map.entry("DELETE ownershipControls", "s3:PutBucketOwnershipControls"));

    private IamActions() {
    }

    static String of(Scope scope, String method, String sub) {
        String route = method + " " + sub;
        String a = switch (scope) {
            case OBJECT -> OBJECT.get(route);
            case BUCKET -> BUCKET.get(route);
            case SERVICE -> "GET ".equals(route) ? "s3:ListAllMyBuckets" : null;
        };
        return a != null ? a : "s3:" + capitalized(method.toLowerCase(java.util.Locale.ROOT)) + capitalized(sub);
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
