package dev.sseproxy.api;

import dev.sseproxy.api.Dispatcher.Route;
import dev.sseproxy.api.Dispatcher.RoutedOperation;
import dev.sseproxy.api.Dispatcher.Scope;
import dev.sseproxy.backend.BackendCall;
import dev.sseproxy.backend.BackendException;
import dev.sseproxy.backend.BackendStream;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.error.S3Exception;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Single-object operations: PutObject, GetObject, HeadObject, DeleteObject. */
final class ObjectOperations {
    private ObjectOperations() {
    }

    /** Forwards the verified checksum of a write to the backend and echoes it to the client. */
    static void checksumHeaders(S3Exchange ex, VerifyingBody body, BackendCall call) {
        var expected = dev.sseproxy.auth.RequestChecksums.fromHeaders(RequestBody.lowerCaseHeaders(ex.request()));
        expected.ifPresent(e -> {
            if (e.inTrailer()) {
                call.header("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
                        .header("content-encoding", mergeEncoding(call.headers().get("content-encoding")))
                        .header("x-amz-decoded-content-length", ex.header("x-amz-decoded-content-length"))
                        .header("x-amz-trailer", e.algorithm().headerName());
            } else {
                call.header(e.algorithm().headerName(), e.headerValue().orElseThrow());
            }
        });
    }

    private static String mergeEncoding(String stored) {
        return stored == null || stored.isEmpty() ? "aws-chunked" : "aws-chunked," + stored;
    }

    static void echoChecksum(S3Exchange ex, VerifyingBody body) {
        var expected = dev.sseproxy.auth.RequestChecksums.fromHeaders(RequestBody.lowerCaseHeaders(ex.request()));
        expected.ifPresent(e -> body.verifiedChecksum().ifPresent(v -> ex.response()
                .putHeader(e.algorithm().headerName(), v).putHeader("x-amz-checksum-type", "FULL_OBJECT")));
    }

    @ApplicationScoped
    static class PutObject implements RoutedOperation {
        private final ObjectStore store;

        PutObject(ObjectStore store) {
            this.store = store;
        }

        public String name() {
            return "PutObject";
        }

        public List<Route> routes() {
            return List.of(new Route(Scope.OBJECT, "PUT", ""));
        }

        public Uni<Void> handle(S3Exchange ex) {
            MultiMap h = ex.request().headers();
            ObjectHeaders.checkWriteHeaders(h);
            BackendCall call = BackendCall.of("PUT", ex.bucket(), ex.key());
            ObjectHeaders.copyWritable(h, call.headers());
            for (String c : List.of("if-match", "if-none-match")) {
                if (h.get(c) != null) {
                    call.header(c, h.get(c));
                }
            }
            VerifyingBody body = RequestBody.open(ex, true);
            checksumHeaders(ex, body, call);
            return store.exchange(call.withBody(BackendCall.Body.of(body, body.outputLength()))).chain(reply -> {
                ex.response().putHeader("ETag", reply.headers().get("etag"));
                echoChecksum(ex, body);
                return Responses.empty(ex, 200);
            });
        }
    }

    /** GetObject and HeadObject: conditionals evaluated here, ranges and part numbers by the backend. */
    @ApplicationScoped
    static class GetObject implements RoutedOperation {
        private final ObjectStore store;

        GetObject(ObjectStore store) {
            this.store = store;
        }

        public String name() {
            return "GetObject";
        }

        public List<Route> routes() {
            return List.of(new Route(Scope.OBJECT, "GET", ""), new Route(Scope.OBJECT, "HEAD", ""));
        }

        public Uni<Void> handle(S3Exchange ex) {
            boolean head = "HEAD".equals(ex.method());
            ex.operation(head ? "HeadObject" : "GetObject");
            BackendCall call = BackendCall.of(ex.method(), ex.bucket(), ex.key());
            String range = ex.header("range");
            String partNumber = ex.queryParam("partNumber");
            if (partNumber != null) {
                int n = MultipartOperations.partNumber(ex);
                if (range != null) {
                    throw S3Exception.invalidRequest("Cannot specify both Range header and partNumber query parameter");
                }
                call.query("partNumber", Integer.toString(n));
            }
            if (range != null && Ranges.isSingleByteRange(range)) {
                call.header("range", range.trim());
            }
            boolean checksums = "ENABLED".equalsIgnoreCase(ex.header("x-amz-checksum-mode"));
            if (checksums) {
                call.header("x-amz-checksum-mode", "ENABLED");
            }
            for (Map.Entry<String, String> o : ObjectHeaders.RESPONSE_OVERRIDES.entrySet()) {
                // validated before any byte is sent: a control character (CR LF: header injection)
                // would otherwise make setting the response header throw, a 500
                String v = ex.queryParam(o.getKey());
                if (v != null && v.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
                    throw S3Exception.invalidArgument("Invalid value for " + o.getKey(), o.getKey(), v);
                }
            }
            return store.open(call).onFailure(BackendException.Rejected.class)
                    .transform(e -> notFoundAsNoSuchKey((BackendException.Rejected) e, ex))
                    .chain(s -> respond(ex, s, head, checksums));
        }

        private static Throwable notFoundAsNoSuchKey(BackendException.Rejected e, S3Exchange ex) {
            if (e.status() == 404 && !"NoSuchBucket".equals(e.code())) {
                return S3Exception.noSuchKey(ex.key());
            }
            return e;
        }

        private Uni<Void> respond(S3Exchange ex, BackendStream s, boolean head, boolean checksums) {
            MultiMap bh = s.headers();
            try {
                Instant lm = Conditions.date(bh.get("last-modified"));
                Conditions.check(ex::header, "", bh.get("etag"), lm == null ? Instant.EPOCH : lm, false);
            } catch (S3Exception e) {
                s.discard();
                if (e.code() == dev.sseproxy.error.S3ErrorCode.NOT_MODIFIED) {
                    ex.response().putHeader("ETag", bh.get("etag"));
                    if (bh.get("last-modified") != null) {
                        ex.response().putHeader("Last-Modified", bh.get("last-modified"));
                    }
                }
                return Uni.createFrom().failure(e);
            }
            HttpServerResponse r = ex.response();
            ObjectHeaders.copyReturned(bh, r.headers(), checksums);
            ObjectHeaders.RESPONSE_OVERRIDES.forEach((q, header) -> {
                String v = ex.queryParam(q);
                if (v != null) {
                    r.putHeader(header, v);
                }
            });
            r.setStatusCode(s.status());
            String length = bh.get("content-length");
            if (head) {
                if (length != null) {
                    r.putHeader("Content-Length", length);
                }
                return Uni.createFrom().completionStage(() -> r.end().toCompletionStage());
            }
            if (length != null) {
                r.putHeader("Content-Length", length);
            } else {
                r.setChunked(true);
            }
            return Uni.createFrom().completionStage(() -> s.body().pipeTo(r).toCompletionStage())
                    .onFailure().invoke(err -> s.discard());
        }
    }

    @ApplicationScoped
    static class DeleteObject implements RoutedOperation {
        private final ObjectStore store;

        DeleteObject(ObjectStore store) {
            this.store = store;
        }

        public String name() {
            return "DeleteObject";
        }

        public List<Route> routes() {
            return List.of(new Route(Scope.OBJECT, "DELETE", ""));
        }

        public Uni<Void> handle(S3Exchange ex) {
            return store.exchange(BackendCall.of("DELETE", ex.bucket(), ex.key()))
                    .chain(r -> Responses.empty(ex, 204));
        }
    }
}
