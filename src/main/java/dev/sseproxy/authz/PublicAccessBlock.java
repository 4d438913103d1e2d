package dev.sseproxy.authz;

/**
 * S3 Block Public Access settings ({@code PublicAccessBlockConfiguration}); the effective setting of a
 * request is the account's and the bucket's combined ({@link #or}): a flag set at either level holds.
 * {@code BlockPublicAcls} and {@code BlockPublicPolicy} refuse writes that would make something public
 * (checked where ACLs and policies are written); {@code IgnorePublicAcls} and
 * {@code RestrictPublicBuckets} filter allows at evaluation (package documentation).
 */
public record PublicAccessBlock(boolean blockPublicAcls, boolean ignorePublicAcls, boolean blockPublicPolicy,
        boolean restrictPublicBuckets) {
    public static final PublicAccessBlock NONE = new PublicAccessBlock(false, false, false, false);
    public static final PublicAccessBlock ALL = new PublicAccessBlock(true, true, true, true);

    /** Both levels combined: each flag set when either sets it; null counts as {@link #NONE}. */
    public static PublicAccessBlock or(PublicAccessBlock account, PublicAccessBlock bucket) {
        PublicAccessBlock a = account == null ? NONE : account;
        PublicAccessBlock b = bucket == null ? NONE : bucket;
        return new PublicAccessBlock(a.blockPublicAcls || b.blockPublicAcls, a.ignorePublicAcls || b.ignorePublicAcls,
                a.blockPublicPolicy || b.blockPublicPolicy, a.restrictPublicBuckets || b.restrictPublicBuckets);
    }
}
