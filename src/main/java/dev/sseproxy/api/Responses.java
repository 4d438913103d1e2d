package dev.sseproxy.api;

import dev.sseproxy.api.xml.S3Xml;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/** Writing S3 responses; a success first runs the exchange's {@link S3Exchange#beforeSuccess} step. */
final class Responses {
    private Responses() {
    }

    static Uni<Void> xml(S3Exchange ex, int status, Object document) {
        return ex.runBeforeSuccess(status, document).chain(() -> writeXml(ex, status, document));
    }

    private static Uni<Void> writeXml(S3Exchange ex, int status, Object document) {
        HttpServerResponse r = ex.response();
        r.setStatusCode(status).putHeader("Content-Type", "application/xml");
        return Uni.createFrom().completionStage(() -> r.end(Buffer.buffer(S3Xml.write(document))).toCompletionStage());
    }

    static Uni<Void> empty(S3Exchange ex, int status) {
        return ex.runBeforeSuccess(status, null).chain(() -> writeEmpty(ex, status));
    }

    private static Uni<Void> writeEmpty(S3Exchange ex, int status) {
        HttpServerResponse r = ex.response();
        r.setStatusCode(status);
        return Uni.createFrom().completionStage(() -> r.end().toCompletionStage());
    }
}
