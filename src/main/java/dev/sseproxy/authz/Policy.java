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

    /** The statements' count (tests, limits). */
    public int statementCount() {
        throw new UnsupportedOperationException("not built yet");
    }

    static List<Policy> none() {
        return List.of();
    }
}
