package dev.sseproxy.sse;

/**
 * A client's SSE request that S3 rejects. {@link Kind} names the S3 error; the argument name and
 * value (when set) become {@code ArgumentName} / {@code ArgumentValue} in the error body.
 */
public final class SseException extends RuntimeException {
    /** The S3 error each rejection maps to. */
    public enum Kind { INVALID_ARGUMENT, INVALID_ENCRYPTION_ALGORITHM, INVALID_REQUEST, ACCESS_DENIED }

    private final Kind kind;
    private final String argumentName;
    private final String argumentValue;

    SseException(Kind kind, String message, String argumentName, String argumentValue) {
        super(message, null, false, false);
        this.kind = kind;
        this.argumentName = argumentName;
        this.argumentValue = argumentValue;
    }

    static SseException invalidArgument(String message, String name, String value) {
        return new SseException(Kind.INVALID_ARGUMENT, message, name, value);
    }

    public Kind kind() {
        return kind;
    }

    /** {@code ArgumentName}, or null. */
    public String argumentName() {
        return argumentName;
    }

    /** {@code ArgumentValue}, or null. */
    public String argumentValue() {
        return argumentValue;
    }
}
