package dev.sseproxy.api;

import dev.sseproxy.api.Dispatcher.Route;
import dev.sseproxy.api.Dispatcher.RoutedOperation;
import dev.sseproxy.api.Dispatcher.Scope;
import dev.sseproxy.backend.BackendCall;
import dev.sseproxy.backend.BackendException;
import dev.sseproxy.backend.BackendStream;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.backend.PooledBodies;
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

    @ApplicationScoped
    static class PutObject implements RoutedOperation {
        private final ObjectStore store;
        private final dev.sseproxy.sse.SseService sse;
        private final ObjectLocks locks;
        private final WriteConditions conditions;

        PutObject(ObjectStore store, dev.sseproxy.sse.SseService sse, ObjectLocks locks, WriteConditions conditions) {
            this.store = store;
            this.sse = sse;
            this.locks = locks;
            this.conditions = conditions;
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
            MultiMap stored = MultiMap.caseInsensitiveMultiMap();
            ObjectHeaders.copyWritableHeaders(h, stored);
            var hf = SseChecks.headers(ex);
            return conditions.forBackend(ex.bucket(), ex.key(), h.get("if-match"), h.get("if-none-match"))
                    .invoke(stored::addAll)
                    .chain(() -> locks.prepareWrite(ex, ex::header, stored, true))
                    .chain(() -> sse.decide(hf, ex.bucket(), ex.secure()))
                    .chain(d -> {
                        ex.encryptionApplied(d);
                        return sse.keysFor(d, SseChecks.keyRequester(ex), new dev.sseproxy.crypto.ObjectIdentity(
                                ex.bucket(), ex.key()), java.util.Optional.ofNullable(hf.apply(dev.sseproxy.sse.EncryptionPolicy.X)));
                    })
                    .chain(keys -> {
                        dev.sseproxy.sse.VerifyingBody body;
                        try {
                            body = RequestBody.open(ex, false);
                        } catch (RuntimeException e) {
                            keys.close();
                            throw e;
                        }
                        dev.sseproxy.sse.Plaintext p = plain(ex, body);
                        ex.objectWritten(ex.key(), p.length());
                        return sse.write(ex.bucket(), ex.key(), keys, p, stored);
                    })
                    .chain(w -> {
                        ex.response().putHeader("ETag", w.etag());
                        Versions.written(ex.response().headers(), w.versionId());
                        SseChecks.putSseHeaders(ex.response().headers(), w.sse());
                        ChecksumHeaders.echo(ex, w.checksum());
                        return Responses.empty(ex, 200);
                    });
        }
    }

    /** The verified request body as a plaintext to encrypt. */
    static dev.sseproxy.sse.Plaintext plain(S3Exchange ex, dev.sseproxy.sse.VerifyingBody body) {
        var expected = ex.headers().checksum();
        java.util.Optional<String> md5 = ex.headers().contentMd5Hex();
        return new dev.sseproxy.sse.Plaintext(body, body.outputLength(), md5, () -> expected.flatMap(e ->
                body.verifiedChecksum().map(v -> new dev.sseproxy.crypto.Envelope.Checksum(ChecksumHeaders.algorithmName(
                        e.algorithm().headerName()), v))));
    }

    /**
     * GetObject and HeadObject. Encrypted objects: the envelope comes with the backend's answer; a
     * range or part read first asks for the envelope (HEAD), then fetches exactly the frames the
     * range covers (one ranged GET, guarded by the backend ETag) and decrypts them. Conditionals
     * compare the plaintext ETag. Legacy plaintext objects are served as they are.
     */
    @ApplicationScoped
    static class GetObject implements RoutedOperation {
        private final ObjectStore store;
        private final dev.sseproxy.sse.SseService sse;
        private final ObjectLocks locks;
        private final ObjectReplications replications;

        GetObject(ObjectStore store, dev.sseproxy.sse.SseService sse, ObjectLocks locks, ObjectReplications replications) {
            this.store = store;
            this.sse = sse;
            this.locks = locks;
            this.replications = replications;
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
            SseChecks.rejectWriteOnlyHeaders(ex);
            java.util.Optional<dev.sseproxy.sse.CustomerKey> customer = SseChecks.readKey(ex, "");
            String version = Versions.requested(ex);
            String range = ex.header("range");
            String partNumberParam = ex.queryParam("partNumber");
            int partNumber = 0;
            if (partNumberParam != null) {
                partNumber = MultipartOperations.partNumber(ex);
                if (range != null) {
                    throw S3Exception.invalidRequest("Cannot specify both Range header and partNumber query parameter");
                }
            }
            boolean checksums = "ENABLED".equalsIgnoreCase(ex.header("x-amz-checksum-mode"));
            for (Map.Entry<String, String> o : ObjectHeaders.RESPONSE_OVERRIDES.entrySet()) {
                // validated before any byte is sent: a control character (CR LF: header injection)
                // would otherwise make setting the response header throw, a 500
                String v = ex.queryParam(o.getKey());
                if (v != null && v.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
                    throw S3Exception.invalidArgument("Invalid value for " + o.getKey(), o.getKey(), v);
                }
            }
            final int part = partNumber;
            boolean partial = range != null || part > 0;
            if (!partial || head) {
                BackendCall call = Versions.on(BackendCall.of(ex.method(), ex.bucket(), ex.key()), version);
                return open(ex, head ? call : call.withBodyInPlace()).chain(s -> envelopeOrDiscard(ex, s).chain(env -> {
                    if (env.isEmpty()) {
                        return legacy(ex, s, head, checksums, range, part);
                    }
                    return encrypted(ex, s, env.get(), head, checksums, range, part, customer);
                }));
            }
            return open(ex, Versions.on(BackendCall.of("HEAD", ex.bucket(), ex.key()), version)).chain(h -> envelopeOrDiscard(ex, h).chain(env -> {
                h.discard();
                if (env.isEmpty()) {
                    return open(ex, Versions.on(BackendCall.of("GET", ex.bucket(), ex.key()), version).withBodyInPlace()).chain(s ->
                            legacy(ex, s, false, checksums, range, part));
                }
                Plan p = plan(env.get(), range, part);
                BackendCall call = Versions.on(BackendCall.of("GET", ex.bucket(), ex.key()), version)
                        .header("if-match", h.headers().get("etag"));
                if (p.plan() != null) {
                    call.header("range", "bytes=" + p.plan().ciphertextStart() + "-" + p.plan().ciphertextEndInclusive());
                }
                return open(ex, call.withBodyInPlace()).chain(s -> encrypted(ex, s, env.get(), false, checksums, range, part, customer));
            }));
        }

        private Uni<BackendStream> open(S3Exchange ex, BackendCall call) {
            return store.open(call).onFailure(BackendException.Rejected.class)
                    .transform(e -> Versions.notFound((BackendException.Rejected) e, ex))
                    .call(s -> locks.hideUnlessAllowed(ex, s.headers()).onFailure().invoke(e -> s.discard()))
                    .call(s -> replications.status(ex, s.headers()).onFailure().invoke(e -> s.discard()));
        }

        /** The object's full envelope (the one way a read gets it); the stream is discarded if that fails. */
        private Uni<java.util.Optional<dev.sseproxy.crypto.Envelope>> envelopeOrDiscard(S3Exchange ex, BackendStream s) {
            return sse.envelope(ex.bucket(), ex.key(), s.headers()).onFailure().invoke(e -> s.discard());
        }

        /** The plaintext bytes a read returns and the frames it needs (null plan: an empty object). */
        record Plan(long start, long end, boolean partialContent, dev.sseproxy.crypto.RangeMath.Plan plan) {
        }

        static Plan plan(dev.sseproxy.crypto.Envelope env, String range, int part) {
            var table = env.partTable();
            long size = env.plaintextSize();
            if (part > 0) {
                if (part > table.parts().size()) {
                    throw S3Exception.of(dev.sseproxy.error.S3ErrorCode.INVALID_PART_NUMBER);
                }
                long start = 0;
                for (int i = 0; i < part - 1; i++) {
                    start += table.parts().get(i).plaintextLength();
                }
                long len = table.parts().get(part - 1).plaintextLength();
                // a part read is a range read, of a single-part object's part 1 too: 206 and Content-Range
                return len == 0 ? new Plan(0, -1, false, null)
                        : new Plan(start, start + len - 1, true, dev.sseproxy.crypto.RangeMath.range(table, start, start + len - 1));
            }
            long[] r = Ranges.resolve(range, size);
            if (r == null) {
                return size == 0 ? new Plan(0, -1, false, null)
                        : new Plan(0, size - 1, false, dev.sseproxy.crypto.RangeMath.whole(table));
            }
            return new Plan(r[0], r[1], true, dev.sseproxy.crypto.RangeMath.range(table, r[0], r[1]));
        }

        /**
         * Whether the object was made by CompleteMultipartUpload (its ETag is the multipart
         * {@code <md5>-<count>}): S3 reports {@code x-amz-mp-parts-count} on part reads of those only,
         * a one-part upload included, and never for an object written by a single PUT or a copy.
         */
        static boolean isMultipart(dev.sseproxy.crypto.Envelope env) {
            return env.plaintextEtag() != null && env.plaintextEtag().indexOf('-') > 0;
        }

        /** As S3: an SSE-KMS object is never served to an anonymous request, whatever its ACL. */
        static void refuseAnonymousKmsRead(S3Exchange ex, dev.sseproxy.crypto.Envelope env) {
            if (ex.principal() == null && (env.sseMode() == dev.sseproxy.crypto.SseMode.SSE_KMS
                    || env.sseMode() == dev.sseproxy.crypto.SseMode.DSSE_KMS)) {
                throw SseChecks.anonymousKms();
            }
        }

        private Uni<Void> encrypted(S3Exchange ex, BackendStream s, dev.sseproxy.crypto.Envelope env, boolean head,
                boolean checksums, String range, int part, java.util.Optional<dev.sseproxy.sse.CustomerKey> customer) {
            MultiMap bh = s.headers();
            String etag = dev.sseproxy.sse.SseService.etag(java.util.Optional.of(env), bh);
            Plan p;
            try {
                refuseAnonymousKmsRead(ex, env);
                dev.sseproxy.sse.ObjectKeys.checkReadHeaders(env, customer);
                conditions(ex, bh, etag);
                p = plan(env, range, part);
            } catch (RuntimeException e) {
                s.discard();
                return Uni.createFrom().failure(e);
            }
            HttpServerResponse r = ex.response();
            Runnable headers = () -> {
                ObjectHeaders.copyReturned(bh, r.headers(), false);
                Versions.nullVersion(ex, r.headers());
                r.headers().remove("content-range").remove("x-amz-checksum-type").remove("x-amz-mp-parts-count");
                r.putHeader("ETag", etag).putHeader("Accept-Ranges", "bytes");
                SseChecks.putSseHeaders(r.headers(), dev.sseproxy.sse.ObjectKeys.headersOf(env, customer));
                if (checksums && !p.partialContent() && env.checksum() != null) {
                    ChecksumHeaders.echo(ex, java.util.Optional.of(env.checksum()));
                }
                if (part > 0 && isMultipart(env)) {
                    r.putHeader("x-amz-mp-parts-count", Integer.toString(env.partTable().parts().size()));
                }
                ObjectHeaders.RESPONSE_OVERRIDES.forEach((q, header) -> {
                    String v = ex.queryParam(q);
                    if (v != null) {
                        r.putHeader(header, v);
                    }
                });
                if (p.partialContent() && p.plan() != null) {
                    r.putHeader("Content-Range", "bytes " + p.start() + "-" + p.end() + "/" + env.plaintextSize());
                }
                r.setStatusCode(p.partialContent() && p.plan() != null ? 206 : 200);
                r.putHeader("Content-Length", Long.toString(p.end() - p.start() + 1));
            };
            if (head || p.plan() == null) {
                s.discard();
                headers.run();
                return Uni.createFrom().completionStage(() -> r.end().toCompletionStage());
            }
            var id = new dev.sseproxy.crypto.ObjectIdentity(ex.bucket(), ex.key());
            return sse.keysForRead(env, id, customer, SseChecks.keyRequester(ex))
                    .onFailure().invoke(e -> s.discard())
                    .chain(key -> {
                        dev.sseproxy.sse.DecryptingBody body = new dev.sseproxy.sse.DecryptingBody(s.body(), key, id, p.plan()).pooled().beforeFirstOutput(headers);
                        // endOnFailure(false): a frame that fails before the head went out becomes an
                        // S3 error, after it a cut connection; never an ended (complete-looking) body
                        return Uni.createFrom().completionStage(() -> body.pipe().endOnFailure(false).to(PooledBodies.releasing(r))
                                .toCompletionStage()).onFailure().invoke(err -> s.discard());
                    });
        }

        private static void conditions(S3Exchange ex, MultiMap bh, String etag) {
            Instant lm = Conditions.date(bh.get("last-modified"));
            try {
                Conditions.check(ex::header, "", etag, lm == null ? Instant.EPOCH : lm, false);
            } catch (S3Exception e) {
                if (e.code() == dev.sseproxy.error.S3ErrorCode.NOT_MODIFIED) {
                    ex.response().putHeader("ETag", etag);
                    if (bh.get("last-modified") != null) {
                        ex.response().putHeader("Last-Modified", bh.get("last-modified"));
                    }
                }
                throw e;
            }
        }

        /** A plaintext object stored before sse-proxy: served unchanged (ranges and parts by the backend). */
        private Uni<Void> legacy(S3Exchange ex, BackendStream whole, boolean head, boolean checksums, String range,
                int part) {
            boolean partial = (range != null && Ranges.isSingleByteRange(range)) || part > 0;
            if (!partial || head && part == 0 && range == null) {
                return respond(ex, whole, head, checksums);
            }
            whole.discard();
            BackendCall call = Versions.on(BackendCall.of(ex.method(), ex.bucket(), ex.key()), ex.queryParam("versionId"));
            if (part > 0) {
                call.query("partNumber", Integer.toString(part));
            } else {
                call.header("range", range.trim());
            }
            if (checksums) {
                call.header("x-amz-checksum-mode", "ENABLED");
            }
            return open(ex, call).chain(s -> respond(ex, s, head, checksums));
        }

        private Uni<Void> respond(S3Exchange ex, BackendStream s, boolean head, boolean checksums) {
            MultiMap bh = s.headers();
            try {
                conditions(ex, bh, bh.get("etag"));
            } catch (S3Exception e) {
                s.discard();
                return Uni.createFrom().failure(e);
            }
            HttpServerResponse r = ex.response();
            ObjectHeaders.copyReturned(bh, r.headers(), checksums);
            Versions.nullVersion(ex, r.headers());
            ObjectHeaders.RESPONSE_OVERRIDES.forEach((q, header) -> {
                String v = ex.queryParam(q);
                if (v != null) {
                    r.putHeader(header, v);
                }
            });
            r.setStatusCode(s.status());
            String length = bh.get("content-length");
            if (head) {
                s.discard();
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
            // the body comes in place (BackendPieces): each piece is released once written
            return Uni.createFrom().completionStage(() -> s.body().pipeTo(PooledBodies.releasing(r)).toCompletionStage())
                    .onFailure().invoke(err -> s.discard());
        }
    }

    @ApplicationScoped
    static class DeleteObject implements RoutedOperation {
        private final ObjectStore store;
        private final dev.sseproxy.sse.StoredEnvelopes envelopes;
        private final ObjectLocks locks;

        DeleteObject(ObjectStore store, dev.sseproxy.sse.StoredEnvelopes envelopes, ObjectLocks locks) {
            this.store = store;
            this.envelopes = envelopes;
            this.locks = locks;
        }

        public String name() {
            return "DeleteObject";
        }

        public List<Route> routes() {
            return List.of(new Route(Scope.OBJECT, "DELETE", ""));
        }

        public Uni<Void> handle(S3Exchange ex) {
            long start = System.nanoTime();
            String version = Versions.requested(ex);
            // in a versioned bucket: a delete marker (no versionId) or the permanent delete of one
            // version; the sweep then leaves the key's part tables alone (older versions may use them).
            // A locked version is refused by the backend: 403 AccessDenied (see ObjectLocks)
            BackendCall call = Versions.on(BackendCall.of("DELETE", ex.bucket(), ex.key()), version);
            return locks.bypass(ex, List.of(ex.key()))
                    .chain(bypass -> store.exchange(bypass ? call.header(ObjectLocks.BYPASS, "true") : call))
                    .invoke(r -> Versions.echo(r.headers(), ex.response().headers()))
                    .chain(r -> envelopes.sweep(ex.bucket(), List.of(ex.key()), null, start))
                    .chain(r -> Responses.empty(ex, 204));
        }
    }
}
