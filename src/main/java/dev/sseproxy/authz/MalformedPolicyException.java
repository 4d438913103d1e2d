package dev.sseproxy.authz;

/**
 * A policy document that is not valid. The message is the one AWS gives for the same fault (S3's
 * {@code MalformedPolicy} messages for bucket policies, IAM's {@code MalformedPolicyDocument} ones for
 * identity policies); the caller picks the error code of its API.
 */
public final class MalformedPolicyException extends RuntimeException {
    public MalformedPolicyException(String message) {
        super(message, null, false, false);
    }
}
