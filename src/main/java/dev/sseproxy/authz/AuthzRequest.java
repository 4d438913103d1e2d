package dev.sseproxy.authz;

import java.util.List;

/**
 * What {@link AuthorizationDecisions#evaluate} weighs (package documentation).
 *
 * @param principal         the requester
 * @param action            the IAM action, e.g. {@code s3:GetObject}
 * @param resourceArn       {@code arn:aws:s3:::bucket} or {@code arn:aws:s3:::bucket/key}
 * @param bucketOwner       the bucket owner's account id
 * @param objectOwner       the owner of the addressed object when object ACLs govern the action and the
 *                          object has one recorded; null: the bucket owner
 * @param acl               the governing ACL (bucket's or object's); null: the owner's full control only
 * @param ownership         the bucket's object ownership setting; null: none configured (ObjectWriter)
 * @param identityPolicies  the policies of an IAM user principal (inline and attached); empty for a root
 *                          or anonymous principal
 * @param bucketPolicy      the bucket's policy; null: none
 * @param publicAccessBlock the effective Block Public Access setting (account's and bucket's combined)
 * @param context           the request's condition keys
 */
public record AuthzRequest(Principal principal, String action, String resourceArn, String bucketOwner,
        String objectOwner, AccessControlList acl, ObjectOwnership ownership, List<Policy> identityPolicies,
        Policy bucketPolicy, PublicAccessBlock publicAccessBlock, ConditionContext context) {

    public AuthzRequest {
        identityPolicies = identityPolicies == null ? List.of() : List.copyOf(identityPolicies);
        publicAccessBlock = publicAccessBlock == null ? PublicAccessBlock.NONE : publicAccessBlock;
        context = context == null ? ConditionContext.EMPTY : context;
    }

    /** A request weighed by ownership and ACLs only (no policies, no Block Public Access, no condition keys). */
    public AuthzRequest(Principal principal, String action, String resourceArn, String bucketOwner, String objectOwner,
            AccessControlList acl, ObjectOwnership ownership) {
        this(principal, action, resourceArn, bucketOwner, objectOwner, acl, ownership, List.of(), null, null, null);
    }

    public static String bucketArn(String bucket) {
        return "arn:aws:s3:::" + bucket;
    }

    public static String objectArn(String bucket, String key) {
        return "arn:aws:s3:::" + bucket + "/" + key;
    }
}
