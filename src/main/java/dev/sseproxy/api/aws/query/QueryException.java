package dev.sseproxy.api.aws.query;

/**
 * A query-protocol error answer: HTTP status, {@code <Code>} and {@code <Message>} ({@code <Type>} is
 * {@code Sender} below 500, {@code Receiver} from 500). Factories for AWS's common codes; any other code
 * an IAM or STS action documents can be built with the constructor.
 */
public class QueryException extends RuntimeException {
    private final int status;
    private final String code;

    public QueryException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** {@code Sender} or {@code Receiver}. */
    public String type() {
        return status >= 500 ? "Receiver" : "Sender";
    }

    public static QueryException invalidAction(String action, String version) {
        return new QueryException(400, "InvalidAction", "Could not find operation " + action + " for version "
                + version);
    }

    public static QueryException missingAction() {
        return new QueryException(400, "MissingAction", "Missing Action");
    }

    public static QueryException validation(String message) {
        return new QueryException(400, "ValidationError", message);
    }

    public static QueryException invalidInput(String message) {
        return new QueryException(400, "InvalidInput", message);
    }

    public static QueryException noSuchEntity(String message) {
        return new QueryException(404, "NoSuchEntity", message);
    }

    public static QueryException entityAlreadyExists(String message) {
        return new QueryException(409, "EntityAlreadyExists", message);
    }

    public static QueryException limitExceeded(String message) {
        return new QueryException(409, "LimitExceeded", message);
    }

    public static QueryException malformedPolicyDocument(String message) {
        return new QueryException(400, "MalformedPolicyDocument", message);
    }

    public static QueryException deleteConflict(String message) {
        return new QueryException(409, "DeleteConflict", message);
    }

    public static QueryException accessDenied(String message) {
        return new QueryException(403, "AccessDenied", message);
    }

    public static QueryException internal() {
        return new QueryException(500, "InternalFailure", "We encountered an internal error. Please try again.");
    }
}
