package dev.sseproxy.authz;

/**
 * What {@link AuthorizationDecisions#evaluate} weighs (package documentation).
 *
 * @param principal   the requester
 * @param action      the IAM action, e.g. {@code s3:GetObject}
 * @param resourceArn {@code arn:aws:s3:::bucket} or {@code arn:aws:s3:::bucket/key}
 * @param bucketOwner the bucket owner's account id
 * @param objectOwner the owner of the addressed object when object ACLs govern the action and the
 *                    object has one recorded; null: the bucket owner
 * @param acl         the governing ACL (bucket's or object's); null: the owner's full control only
 * @param ownership   the bucket's object ownership setting; null: none configured (ObjectWriter)
 */
public record AuthzRequest(Principal principal, String action, String resourceArn, String bucketOwner,
        String objectOwner, AccessControlList acl, ObjectOwnership ownership) {

    public static String bucketArn(String bucket) {
        return "arn:aws:s3:::" + bucket;
    }

    public static String objectArn(String bucket, String key) {
        return "arn:aws:s3:::" + bucket + "/" + key;
    }
}
