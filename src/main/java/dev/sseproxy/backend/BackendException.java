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
        private final String versionId;
        private final boolean deleteMarker;

        public Rejected(int status, String code, String message) {
            this(status, code, message, null, false);
        }

        /**
         * As above, with the version headers of the answer: a GET or HEAD that meets a delete marker
         * is refused (404, or 405 when it named the marker's version id) with {@code x-amz-delete-marker:
         * true} and the marker's {@code x-amz-version-id}, which the client must see too.
         */
        public Rejected(int status, String code, String message, String versionId, boolean deleteMarker) {
            super(code + ": " + message, null);
            this.status = status;
            this.code = code;
            this.versionId = versionId;
            this.deleteMarker = deleteMarker;
        }

        /** The answer's {@code x-amz-version-id}, or null. */
        public String versionId() {
            return versionId;
        }

        /** Whether the answer said {@code x-amz-delete-marker: true}. */
        public boolean deleteMarker() {
            return deleteMarker;
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
