package dev.sseproxy.backend;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;

/**
 * How {@link MinioObjectStore} turns the backend's failures into {@link BackendException}s: an error status
 * into {@code Rejected} with MinIO's code (or one for a bodiless status), a transport failure into
 * {@code Unavailable}, and the peer's close before any answer into {@link ClosedBeforeAnswer}, which the store
 * retries on a fresh connection.
 */
final class BackendFailures {
    private BackendFailures() {
    }

    /** The reply when its status is a success (or 304), else {@link BackendException.Rejected} with MinIO's code and message. */
    static Future<BackendReply> checkStatus(BackendReply reply) {
        if (reply.status() < 300 || reply.status() == 304) {
            return Future.succeededFuture(reply);
        }
        String code = null;
        String message = "";
        if (reply.body() != null && reply.body().length() > 0) {
            try {
                BackendXml.Error err = MinioXml.XML.readValue(reply.body().getBytes(), BackendXml.Error.class);
                code = err.code;
                message = err.message == null ? "" : err.message;
            } catch (Exception e) {
                message = reply.body().toString(StandardCharsets.UTF_8);
            }
        }
        if (code == null) {
            code = codeForStatus(reply.status());
        }
        MultiMap h = reply.headers();
        return Future.failedFuture(new BackendException.Rejected(reply.status(), code, message,
                h == null ? null : h.get("x-amz-version-id"), h != null && "true".equals(h.get("x-amz-delete-marker"))));
    }

    static String codeForStatus(int status) {
        return switch (status) {
            case 404 -> "NotFound";
            // a HEAD that names a delete marker's version id
            case 405 -> "MethodNotAllowed";
            case 403 -> "AccessDenied";
            case 412 -> "PreconditionFailed";
            case 416 -> "InvalidRange";
            case 503 -> "ServiceUnavailable";
            // a bodiless 4xx (HEAD) is the client's fault: unknown code, mapped to a 400, not to 500
            default -> status < 500 ? "BadRequest" : "InternalError";
        };
    }

    /**
     * The connection closed (or was reset) after the request went out and before any byte of the
     * answer came: the stale keep-alive race (see the package documentation). Never leaves the
     * store: it becomes {@link BackendException.Unavailable} unless a retry answers.
     */
    static final class ClosedBeforeAnswer extends RuntimeException {
        ClosedBeforeAnswer(Throwable cause) {
            super(cause.toString(), cause, false, false);
        }
    }

    /** Transport failures of a request as the store reports them: the peer's close, or {@link BackendException.Unavailable}. */
    static Future<HttpClientResponse> unavailableOnError(Future<HttpClientResponse> f) {
        return f.recover(err -> Future.failedFuture(err instanceof BackendException || !isTransport(err) ? err
                : closedUnderIt(err) ? new ClosedBeforeAnswer(err)
                : new BackendException.Unavailable("backend request failed", err)));
    }

    /**
     * The peer closed or reset the connection: {@code HttpClosedException} ("Connection was
     * closed", a FIN before the answer) or an I/O error such as "Connection reset by peer" (the
     * request reached a socket already closed). Not a timeout, not a failed connect.
     */
    private static boolean closedUnderIt(Throwable err) {
        return err instanceof HttpClosedException || err instanceof IOException && !(err instanceof ConnectException);
    }

    private static boolean isTransport(Throwable err) {
        return err instanceof java.io.IOException || err instanceof io.vertx.core.VertxException
                || err instanceof java.util.concurrent.TimeoutException;
    }
}
