package dev.sseproxy.authz;

import java.util.List;

/**
 * A parsed, validated policy document (package documentation: grammar, limits, what "public" means).
 * Immutable; parsed once when stored or loaded, evaluated many times.
 */
public final class Policy {
    /** Where a document is used; validation differs (a bucket policy needs Principal, an identity policy forbids it). */
    public enum Kind { BUCKET, IDENTITY }

    private final Kind kind;
    private final String text;

    private Policy(Kind kind, String text) {
        this.kind = kind;
        this.text = text;
    }

    /**
     * A bucket policy for {@code bucket}, validated as S3's PutBucketPolicy validates it (every Resource
     * must lie in the bucket: "Policy has invalid resource"; at most 20 KiB).
     *
     * @throws MalformedPolicyException with S3's message
     */
    public static Policy bucketPolicy(String json, String bucket) {
        throw new UnsupportedOperationException("not built yet");
    }

    /**
     * An identity policy (IAM user inline or managed policy), validated as IAM validates one.
     *
     * @throws MalformedPolicyException with IAM's message
     */
    public static Policy identityPolicy(String json) {
        throw new UnsupportedOperationException("not built yet");
    }

    public Kind kind() {
        return kind;
    }

    /** The document as it was given (GetBucketPolicy returns it unchanged). */
    public String text() {
        return text;
    }

    /** Whether this bucket policy is public as S3 defines it (GetBucketPolicyStatus, Block Public Access). */
    public boolean isPublic() {
        throw new UnsupportedOperationException("not built yet");
    }

    /**
     * Whether any Condition reads a key starting with {@code lowerCasePrefix} (e.g.
     * {@code s3:existingobjecttag/}), so a caller fetches costly keys only for policies that use them.
     */
    public boolean readsConditionKey(String lowerCasePrefix) {
        throw new UnsupportedOperationException("not built yet");
    }

    /**
     * What this policy alone says of one request ({@link Verdict}): statements whose principal part names
     * {@code who} (identity policies: every statement), whose action and resource parts match, and whose
     * Condition holds in {@code context}. Usable for any service's actions and ARNs (S3, KMS, IAM).
     */
    public Verdict verdict(Principal who, String action, String resourceArn, ConditionContext context) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** The outcome of {@link #verdict}. */
    public enum Verdict {
        /** A Deny statement applies. */
        DENY,
        /** No Deny applies; an Allow statement applies that names the requester itself ({@code *}, its user ARN, or a root's account). */
        ALLOW,
        /** No Deny applies; the only Allow statements that apply name the requester's account, not the user: a delegation to the account's identity policies. */
        ALLOW_ACCOUNT,
        /** Nothing applies. */
        NONE
    }

    /** The statements' count (tests, limits). */
    public int statementCount() {
        throw new UnsupportedOperationException("not built yet");
    }

    static List<Policy> none() {
        return List.of();
    }
}
