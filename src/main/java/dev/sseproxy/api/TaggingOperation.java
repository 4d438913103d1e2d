package dev.sseproxy.api;

import dev.sseproxy.api.Dispatcher.Route;
import dev.sseproxy.api.Dispatcher.RoutedOperation;
import dev.sseproxy.api.Dispatcher.Scope;
import dev.sseproxy.backend.BackendCall;
import dev.sseproxy.backend.BackendException;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.error.S3Exception;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Object and bucket tagging ({@code GET/PUT/DELETE ?tagging}), kept by the backend: the Tagging
 * document passes through unchanged in both directions (the AWS CLI reads object tags on every
 * S3-to-S3 copy and move).
 */
@ApplicationScoped
class TaggingOperation implements RoutedOperation {
    private final ObjectStore store;

    TaggingOperation(ObjectStore store) {
        this.store = store;
    }

    public String name() {
        return "Tagging";
    }

    public List<Route> routes() {
        return List.of(new Route(Scope.OBJECT, "GET", "tagging"), new Route(Scope.OBJECT, "PUT", "tagging"),
                new Route(Scope.OBJECT, "DELETE", "tagging"), new Route(Scope.BUCKET, "GET", "tagging"),
                new Route(Scope.BUCKET, "PUT", "tagging"), new Route(Scope.BUCKET, "DELETE", "tagging"));
    }

    public Uni<Void> handle(S3Exchange ex) {
        String verb = switch (ex.method()) {
            case "GET" -> "Get";
            case "PUT" -> "Put";
            default -> "Delete";
        };
        ex.operation(verb + (ex.key() == null ? "Bucket" : "Object") + "Tagging");
        // an object's tags are per version: the backend keeps them with each version
        BackendCall call = BackendCall.of(ex.method(), ex.bucket(), ex.key()).query("tagging", "");
        if (ex.key() != null) {
            Versions.on(call, Versions.requested(ex));
        }
        Uni<BackendCall> withBody = "PUT".equals(ex.method())
                ? SmallBody.read(ex).map(b -> {
                    if (b.length == 0) {
                        throw S3Exception.malformedXml();
                    }
                    return call.header("content-type", "application/xml")
                            .header("content-md5", DeleteObjectsOperation.md5(b))
                            .withBody(BackendCall.Body.of(Buffer.buffer(b)));
                })
                : Uni.createFrom().item(call);
        return withBody.chain(store::exchange)
                .onFailure(BackendException.Rejected.class).transform(e -> {
                    BackendException.Rejected r = (BackendException.Rejected) e;
                    return ex.key() != null ? Versions.notFound(r, ex) : r;
                })
                .chain(reply -> {
                    if (ex.key() != null) {
                        Versions.echo(reply.headers(), ex.response().headers());
                    }
                    if ("GET".equals(ex.method())) {
                        ex.response().putHeader("Content-Type", "application/xml");
                        return Uni.createFrom().completionStage(() -> ex.response().setStatusCode(200)
                                .end(reply.body()).toCompletionStage());
                    }
                    return Responses.empty(ex, "DELETE".equals(ex.method()) ? 204 : 200);
                });
    }
}
