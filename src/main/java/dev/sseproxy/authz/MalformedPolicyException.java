package dev.sseproxy.authz;

/**
 * A policy document that is not valid. The message is the one AWS gives for the same fault (S3's
 * {@code MalformedPolicy} messages for bucket policies, IAM's {@code MalformedPolicyDocument} ones for
 * identity policies); the caller picks the error code of its API. {@link #limitExceeded()}: the fault is an
 * identity policy over IAM's size quota, which IAM answers with {@code LimitExceeded} (409), not
 * {@code MalformedPolicyDocument}.
 */
public final class MalformedPolicyException extends RuntimeException {
    private final boolean limitExceeded;

    public MalformedPolicyException(String message) {
        this(message, false);
    }

    public MalformedPolicyException(String message, boolean limitExceeded) {
        super(message, null, false, false);
        this.limitExceeded = limitExceeded;
    }

    /** Whether IAM answers this fault with {@code LimitExceeded} rather than {@code MalformedPolicyDocument}. */
    public boolean limitExceeded() {
        return limitExceeded;
    }
}
