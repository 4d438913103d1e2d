package dev.sseproxy.api.kms;

/** A request the KMS API refuses before any operation runs: unknown target, missing member, bad JSON. */
final class KmsRequestException extends RuntimeException {
    private final String type;

    KmsRequestException(String type, String message) {
        super(message, null, false, false);
        this.type = type;
    }

    /** The exception name sent as {@code __type}. */
    String type() {
        return type;
    }

    static KmsRequestException unknownOperation() {
        return new KmsRequestException("UnknownOperationException", null);
    }

    /** A required member was not sent: AWS's validation message for it. */
    static KmsRequestException missing(String member) {
        return new KmsRequestException("ValidationException", "1 validation error detected: Value null at '" + member
                + "' failed to satisfy constraint: Member must not be null");
    }
}
