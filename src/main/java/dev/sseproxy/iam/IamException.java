package dev.sseproxy.iam;

/**
 * An IAM (or STS) error as IAM sends it: code, HTTP status and IAM's message, with factories named
 * by situation. Rendered by {@link QueryXml#error}.
 */
public final class IamException extends RuntimeException {
    private final IamErrorCode code;

    public IamException(IamErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public IamErrorCode code() {
        return code;
    }

    public static IamException noSuchUser(String name) {
        return new IamException(IamErrorCode.NO_SUCH_ENTITY, "The user with name " + name + " cannot be found.");
    }

    public static IamException userExists(String name) {
        return new IamException(IamErrorCode.ENTITY_ALREADY_EXISTS, "User with name " + name + " already exists.");
    }

    public static IamException noSuchUserPolicy(String userName, String policyName) {
        return new IamException(IamErrorCode.NO_SUCH_ENTITY,
                "The user policy with name " + policyName + " cannot be found.");
    }

    public static IamException noSuchPolicy(String arn) {
        return new IamException(IamErrorCode.NO_SUCH_ENTITY, "Policy " + arn + " does not exist or is not attachable.");
    }

    public static IamException policyNotAttached(String arn) {
        return new IamException(IamErrorCode.NO_SUCH_ENTITY, "Policy " + arn + " was not found.");
    }

    public static IamException policyExists(String name) {
        return new IamException(IamErrorCode.ENTITY_ALREADY_EXISTS,
                "A policy called " + name + " already exists. Duplicate names are not allowed.");
    }

    public static IamException noSuchAccessKey(String accessKeyId) {
        return new IamException(IamErrorCode.NO_SUCH_ENTITY, "The Access Key with id " + accessKeyId + " cannot be found");
    }

    public static IamException deleteConflict(String message) {
        return new IamException(IamErrorCode.DELETE_CONFLICT, message);
    }

    public static IamException limitExceeded(String message) {
        return new IamException(IamErrorCode.LIMIT_EXCEEDED, message);
    }

    public static IamException malformedPolicy(String message) {
        return new IamException(IamErrorCode.MALFORMED_POLICY_DOCUMENT, message);
    }

    /** IAM's message for a parameter that breaks its constraint (one validation error). */
    public static IamException invalid(String member, String value, String constraint) {
        return new IamException(IamErrorCode.VALIDATION_ERROR, "1 validation error detected: Value "
                + (value == null ? "null" : "'" + value + "'") + " at '" + member + "' failed to satisfy constraint: "
                + constraint);
    }

    public static IamException invalidAction(String action) {
        return new IamException(IamErrorCode.INVALID_ACTION, "Could not find operation " + action + " for version "
                + QueryXml.IAM_VERSION);
    }

    /**
     * IAM's AccessDenied: {@code User: <arn> is not authorized to perform: <action> on resource: <arn>
     * because no identity-based policy allows the <action> action} (or {@code with an explicit deny in an
     * identity-based policy}).
     */
    public static IamException accessDenied(String callerArn, String action, String resourceArn, boolean explicit) {
        return new IamException(IamErrorCode.ACCESS_DENIED, "User: " + callerArn + " is not authorized to perform: "
                + action + " on resource: " + resourceArn + (explicit
                        ? " with an explicit deny in an identity-based policy"
                        : " because no identity-based policy allows the " + action + " action"));
    }
}
