package dev.sseproxy.iam;

/** The IAM and STS error codes sse-proxy answers, with IAM's HTTP status (all are the client's fault: {@code Sender}). */
public enum IamErrorCode {
    NO_SUCH_ENTITY("NoSuchEntity", 404),
    ENTITY_ALREADY_EXISTS("EntityAlreadyExists", 409),
    MALFORMED_POLICY_DOCUMENT("MalformedPolicyDocument", 400),
    LIMIT_EXCEEDED("LimitExceeded", 409),
    DELETE_CONFLICT("DeleteConflict", 409),
    VALIDATION_ERROR("ValidationError", 400),
    ACCESS_DENIED("AccessDenied", 403),
    INVALID_ACTION("InvalidAction", 400);

    private final String code;
    private final int status;

    IamErrorCode(String code, int status) {
        this.code = code;
        this.status = status;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }
}
