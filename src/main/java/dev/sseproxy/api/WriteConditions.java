package dev.sseproxy.api;

import dev.sseproxy.backend.BackendException;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.sse.SseService;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * S3's conditional writes with {@code If-Match} (PutObject, CompleteMultipartUpload): the write goes ahead only if the current
 * object's ETag, <em>the one clients see</em>, matches. The backend's ETag is its ciphertext's, so the
 * client's condition cannot go to it as it is (every such write failed with 412 when it did): the
 * current object is read (a HEAD and its envelope, which for a streamed SSE-S3 write names its ETag in
 * the catalog), compared here, and the backend write then carries {@code If-Match} with the backend
 * ETag just read, so an overwrite that lands in between still fails the write (412 PreconditionFailed;
 * S3 answers such a race with 409 ConditionalRequestConflict). No current object (or a delete marker):
 * 404 NoSuchKey, as S3 answers. {@code If-None-Match: *} needs no translation and goes to the backend
 * as it is.
 */
@ApplicationScoped
class WriteConditions {
    private final ObjectStore store;
    private final SseService sse;

    WriteConditions(ObjectStore store, SseService sse) {
        this.store = store;
        this.sse = sse;
    }

    /**
     * The backend's conditions for a write of {@code bucket/key} that carries the client's
     * {@code If-Match} / {@code If-None-Match} (each null when absent): empty without either, and
     * {@code If-Match} checked here first (412, or 404 without a current object).
     */
    Uni<MultiMap> forBackend(String bucket, String key, String ifMatch, String ifNoneMatch) {
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        if (ifNoneMatch != null) {
            out.set("if-none-match", ifNoneMatch);
        }
        if (ifMatch == null) {
            return Uni.createFrom().item(out);
        }
        return store.stat(bucket, key)
                .onFailure(e -> e instanceof BackendException.Rejected r && r.status() == 404)
                .transform(e -> S3Exception.of(S3ErrorCode.NO_SUCH_KEY))
                .chain(head -> sse.envelope(bucket, key, head.headers()).map(env -> {
                    if (!Conditions.matches(ifMatch, SseService.etag(env, head.headers()))) {
                        throw S3Exception.preconditionFailed("If-Match");
                    }
                    out.set("if-match", head.headers().get("etag"));
                    return out;
                }));
    }
}
