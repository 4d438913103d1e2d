package dev.sseproxy.backend;

/** Failures reported by, or on the way to, the object-store backend. */
public sealed class BackendException extends RuntimeException
        permits BackendException.Rejected, BackendException.Unavailable {

    BackendException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The backend answered with an S3 error; {@code code} is its S3 error code. */
    public static final class Rejected extends BackendException {
        private final int status;
        private final String code;

        public Rejected(int status, String code, String message) {
            super(code + ": " + message, null);
            this.status = status;
            this.code = code;
        }

        public int status() {
            return status;
        }

        public String code() {
            return code;
        }

        /** The backend's message text, without the code prefix. */
        public String backendMessage() {
            String m = getMessage();
            return m.substring(m.indexOf(": ") + 2);
        }
    }

    /** The backend could not be reached or did not answer in time. */
    public static final class Unavailable extends BackendException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
