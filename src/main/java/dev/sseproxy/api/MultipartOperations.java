package dev.sseproxy.api;

import dev.sseproxy.api.xml.MultipartDocuments;
import dev.sseproxy.api.Dispatcher.Route;
import dev.sseproxy.api.Dispatcher.RoutedOperation;
import dev.sseproxy.api.Dispatcher.Scope;
import dev.sseproxy.api.xml.S3Xml;
import dev.sseproxy.backend.BackendCall;
import dev.sseproxy.backend.BackendXml;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.catalog.MultipartUploads;
import dev.sseproxy.sse.MultipartEncryption;
import dev.sseproxy.sse.SseService;
import dev.sseproxy.sse.StoredEnvelopes;
import dev.sseproxy.sse.VerifyingBody;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;

/**
 * Multipart uploads, carried by the backend's own multipart uploads (upload ids are the backend's).
 * Limits as S3: parts 1..10,000, each at most 5 GiB, every part but the last at least 5 MiB.
 */
final class MultipartOperations {
    private static final Set<String> CHECKSUM_ALGORITHMS = Set.of("CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256");

    private MultipartOperations() {
    }

    static final String PART_NUMBER_MESSAGE = "Part number must be an integer between 1 and 10000, inclusive";

    /** The partNumber parameter, 1..10000 (-1 when absent); out of range is InvalidArgument, never clamped. */
    static int partNumber(S3Exchange ex) {
        int n = Ops.intParam(ex, "partNumber", -1, 1, Integer.MAX_VALUE, PART_NUMBER_MESSAGE);
        if (n > 10000) {
            throw S3Exception.invalidArgument(PART_NUMBER_MESSAGE, "partNumber", ex.queryParam("partNumber"));
        }
        return n;
    }

    static String uploadId(S3Exchange ex) {
        String id = ex.queryParam("uploadId");
        if (id == null || id.isEmpty()) {
            throw S3Exception.noSuchUpload(String.valueOf(id));
        }
        return id;
    }

    /** The backend says NoSuchUpload for unknown ids; keep S3's answer (and the id) for the client. */
    static <T> Uni<T> uploadErrors(Uni<T> u, String uploadId) {
        return MultipartEncryption.uploadErrors(u, uploadId);
    }

    @ApplicationScoped
    static class CreateMultipartUpload implements RoutedOperation {
        private final ObjectStore store;
        private final SseService sse;
        private final MultipartUploads uploads;
        private final ObjectLocks locks;

        CreateMultipartUpload(ObjectStore store, SseService sse, MultipartUploads uploads, ObjectLocks locks) {
            this.store = store;
            this.sse = sse;
            this.uploads = uploads;
            this.locks = locks;
        }

        public String name() {
            return "CreateMultipartUpload";
        }

        public List<Route> routes() {
            return List.of(new Route(Scope.OBJECT, "POST", "uploads"));
        }

        public Uni<Void> handle(S3Exchange ex) {
            MultiMap h = ex.request().headers();
            ObjectHeaders.checkWriteHeaders(h);
            MultiMap backendHeaders = MultiMap.caseInsensitiveMultiMap();
            ObjectHeaders.copyWritableHeaders(h, backendHeaders);
            String alg = h.get("x-amz-checksum-algorithm");
            if (alg != null) {
                if (!CHECKSUM_ALGORITHMS.contains(alg.toUpperCase())) {
                    throw S3Exception.invalidRequest("Checksum algorithm provided is unsupported. Please try again with "
                            + "any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]");
                }
            } else if (h.get("x-amz-checksum-type") != null) {
                throw S3Exception.invalidRequest(
                        "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.");
            }
            var hf = SseChecks.headers(ex);
            var id = new dev.sseproxy.crypto.ObjectIdentity(ex.bucket(), ex.key());
            return locks.prepareWrite(ex, ex::header, backendHeaders, false)
                    .chain(() -> sse.decide(hf, ex.bucket(), ex.secure())).chain(d -> {
                ex.encryptionApplied(d);
                return sse.keysFor(d, SseChecks.keyRequester(ex), id,
                        java.util.Optional.ofNullable(hf.apply(dev.sseproxy.sse.EncryptionPolicy.X)));
            }).chain(keys -> {
                // the backend object gets a provisional envelope (reads as Tampered, never as data)
                // until completion stamps the real one; the upload's key fields go to PostgreSQL
                var base = keys.envelope().partTable(dev.sseproxy.crypto.PartTable.single(0)).build();
                keys.close();
                sse.inlineMetadata(base).forEach(backendHeaders::set);
                return store.createMultipartUpload(ex.bucket(), ex.key(), backendHeaders).chain(uploadId -> {
                    var r = new BackendXml.InitiateMultipartUploadResult();
                    r.uploadId = uploadId;
                    var upload = new MultipartUploads.Upload(r.uploadId, ex.bucket(), ex.key(),
                            MultipartEncryption.json(sse.inlineMetadata(base)), java.util.Optional.ofNullable(hf.apply(
                            dev.sseproxy.sse.EncryptionPolicy.X)), java.util.Optional.ofNullable(alg).map(String::toUpperCase));
                    return uploads.create(upload).map(v -> r);
                }).chain(r -> {
                    MultipartDocuments.InitiateMultipartUploadResultXml x = new MultipartDocuments.InitiateMultipartUploadResultXml();
                    x.bucket = ex.bucket();
                    x.key = ex.key();
                    x.uploadId = r.uploadId;
                    SseChecks.putSseHeaders(ex.response().headers(), keys.headers());
                    if (alg != null) {
                        ex.response().putHeader("x-amz-checksum-algorithm", alg.toUpperCase());
                        String type = h.get("x-amz-checksum-type");
                        ex.response().putHeader("x-amz-checksum-type", type != null ? type.toUpperCase() : "COMPOSITE");
                    }
                    return Responses.xml(ex, 200, x);
                });
            });
        }
    }

    @ApplicationScoped
    static class UploadPart implements RoutedOperation {
        private final ObjectStore store;
        private final MultipartEncryption parts;

        UploadPart(ObjectStore store, MultipartEncryption parts) {
            this.store = store;
            this.parts = parts;
        }

        public String name() {
            return "UploadPart";
        }

        public List<Route> routes() {
            return List.of(new Route(Scope.OBJECT, "PUT", "uploadId"));
        }

        public Uni<Void> handle(S3Exchange ex) {
            int part = partNumber(ex);
            String uploadId = uploadId(ex);
            var customer = SseChecks.readKey(ex, "");
            return parts.find(ex.bucket(), ex.key(), uploadId)
                    .call(open -> parts.checkSseHeaders(ex::header, SseChecks.keyRequester(ex), open)).chain(open -> {
                if (open.isEmpty()) {
                    if (customer.isPresent()) {
                        throw S3Exception.invalidRequest(MultipartEncryption.INITIATE_REQUESTED);
                    }
                    return plaintextPart(ex, part, uploadId);
                }
                MultipartEncryption.checkPartKey(open.get(), customer);
                VerifyingBody body = RequestBody.open(ex, false);
                return parts.put(SseChecks.keyRequester(ex), open.get(), part, ObjectOperations.plain(ex, body), customer).chain(r -> {
                    ex.response().putHeader("ETag", r.etag());
                    SseChecks.putSseHeaders(ex.response().headers(), r.sse().withoutContext());
                    ChecksumHeaders.echo(ex, r.checksum());
                    ex.response().headers().remove("x-amz-checksum-type");
                    return Responses.empty(ex, 200);
                });
            });
        }

        /** A part of an upload created before sse-proxy encrypted multipart uploads. */
        private Uni<Void> plaintextPart(S3Exchange ex, int part, String uploadId) {
            BackendCall call = BackendCall.of("PUT", ex.bucket(), ex.key())
                    .query("partNumber", Integer.toString(part)).query("uploadId", uploadId);
            VerifyingBody body = RequestBody.open(ex, true);
            ChecksumHeaders.forward(ex, call);
            return uploadErrors(store.exchange(call.withBody(BackendCall.Body.of(body, body.outputLength()))), uploadId)
                    .chain(reply -> {
                        ex.response().putHeader("ETag", reply.headers().get("etag"));
                        ChecksumHeaders.echo(ex, body);
                        ex.response().headers().remove("x-amz-checksum-type");
                        return Responses.empty(ex, 200);
                    });
        }
    }

    /**
     * CompleteMultipartUpload rejects S / K / X / B (spec §3.6); so do UploadPart and UploadPartCopy,
     * except where a part repeats its SSE-KMS upload's settings ({@link MultipartEncryption#checkSseHeaders}).
     */
    static void rejectSseHeaders(S3Exchange ex) {
        MultipartEncryption.rejectSseHeaders(ex::header);
    }

    @ApplicationScoped
    static class CompleteMultipartUpload implements RoutedOperation {
        private final ObjectStore store;
        private final MultipartEncryption parts;
        private final MultipartUploads uploads;
        private final SseService sse;
        private final StoredEnvelopes envelopes;

        private final WriteConditions conditions;

        CompleteMultipartUpload(ObjectStore store, MultipartEncryption parts, MultipartUploads uploads, SseService sse,
                StoredEnvelopes envelopes, WriteConditions conditions) {
            this.store = store;
            this.parts = parts;
            this.uploads = uploads;
            this.sse = sse;
            this.envelopes = envelopes;
            this.conditions = conditions;
        }

        public String name() {
            return "CompleteMultipartUpload";
        }

        public List<Route> routes() {
            return List.of(new Route(Scope.OBJECT, "POST", "uploadId"));
        }

        public Uni<Void> handle(S3Exchange ex) {
            String uploadId = uploadId(ex);
            rejectSseHeaders(ex);
            return SmallBody.read(ex).chain(bytes -> {
                MultipartDocuments.CompleteMultipartUploadXml doc = S3Xml.read(bytes, MultipartDocuments.CompleteMultipartUploadXml.class);
                validate(doc);
                List<Integer> numbers = doc.parts.stream().map(p -> p.partNumber).toList();
                List<String> etags = doc.parts.stream().map(p -> p.etag).toList();
                String digest = RepeatedCompletes.digest(numbers, etags);
                return parts.stored(ex.bucket(), ex.key(), uploadId).chain(found -> {
                    if (found.isPresent() && found.get().completion().isPresent()) {
                        return RepeatedCompletes.replay(ex, found.get(), digest);
                    }
                    // S3's conditional writes: If-Match on the ETag clients see, held at the backend as it completes
                    Uni<MultiMap> held = conditions.forBackend(ex.bucket(), ex.key(), ex.header("if-match"),
                            ex.header("if-none-match"));
                    if (found.isEmpty()) {
                        return held.chain(c -> plaintext(ex, uploadId, doc, c));
                    }
                    return held.chain(c -> encrypted(ex, found.get().open(), doc, digest, c))
                            .onFailure(RepeatedCompletes::isNoSuchUpload)
                            .recoverWithUni(e -> RepeatedCompletes.afterNoSuchUpload(ex, parts, uploadId, digest, e));
                });
            });
        }

        private Uni<Void> encrypted(S3Exchange ex, MultipartEncryption.Open open, MultipartDocuments.CompleteMultipartUploadXml doc,
                String digest, MultiMap held) {
            long start = System.nanoTime();
            String uploadId = open.upload().uploadId();
            List<Integer> numbers = doc.parts.stream().map(p -> p.partNumber).toList();
            List<String> etags = doc.parts.stream().map(p -> p.etag).toList();
            return uploads.parts(uploadId).chain(attempts -> parts.backendParts(ex.bucket(), ex.key(), uploadId)
                    .chain(backend -> {
                        var chosen = MultipartEncryption.chosen(numbers, etags, attempts, backend);
                        for (int i = 0; i < chosen.size() - 1; i++) {
                            if (chosen.get(i).plaintextSize() < 5L * 1024 * 1024) {
                                throw S3Exception.of(S3ErrorCode.ENTITY_TOO_SMALL);
                            }
                        }
                        var checksum = MultipartEncryption.compositeChecksum(open.upload().checksumAlgorithm(), chosen);
                        var envelope = MultipartEncryption.complete(open, chosen, checksum);
                        List<ObjectStore.CompletedPart> backendParts = new java.util.ArrayList<>(chosen.size());
                        for (int i = 0; i < chosen.size(); i++) {
                            backendParts.add(new ObjectStore.CompletedPart(numbers.get(i),
                                    Ops.quoteEtag(chosen.get(i).backendEtag())));
                        }
                        // a table too long for the metadata goes to the catalog first (sse.StoredEnvelopes)
                        return envelopes.metadata(ex.bucket(), ex.key(), envelope).chain(stamp -> uploadErrors(
                                store.completeMultipartUpload(ex.bucket(), ex.key(), uploadId, backendParts, held), uploadId)
                                .chain(r -> stat(ex, r.versionId)
                                        .chain(head -> sse.restamp(ex.bucket(), ex.key(),
                                                dev.sseproxy.sse.SseService.stampedVersion(r.versionId), r.etag,
                                                head.headers(), stamp))
                                        .invoke(() -> Versions.written(ex.response().headers(), r.versionId)))
                                .chain(v -> envelopes.live(ex.bucket(), ex.key(), envelope, stamp))
                                .chain(v -> envelopes.sweep(ex.bucket(), List.of(ex.key()),
                                        StoredEnvelopes.keep(envelope, stamp), start)))
                                .chain(v -> uploads.complete(uploadId, RepeatedCompletes.completion(
                                        digest, envelope.plaintextEtag(), checksum)))
                                .invoke(v -> ex.objectWritten(ex.key(), envelope.plaintextSize()))
                                .chain(v -> RepeatedCompletes.respond(ex, envelope.plaintextEtag(), checksum, envelope));
                    }));
        }

        /** The completed object's headers: of the version the completion made, when it made one. */
        private Uni<dev.sseproxy.backend.BackendReply> stat(S3Exchange ex, String versionId) {
            String v = dev.sseproxy.sse.SseService.stampedVersion(versionId);
            return v == null ? store.stat(ex.bucket(), ex.key())
                    : store.exchange(BackendCall.of("HEAD", ex.bucket(), ex.key()).query("versionId", v));
        }

        private Uni<Void> plaintext(S3Exchange ex, String uploadId, MultipartDocuments.CompleteMultipartUploadXml doc,
                MultiMap held) {
            BackendCall call = BackendCall.of("POST", ex.bucket(), ex.key()).query("uploadId", uploadId)
                    .header("content-type", "application/xml")
                    .withBody(BackendCall.Body.of(Buffer.buffer(S3Xml.write(doc))));
            call.headers().addAll(held);
            return uploadErrors(store.exchange(call), uploadId).chain(reply -> {
                BackendXml.CompleteMultipartUploadResult r = CopyOperations.read(reply.body().getBytes(),
                        BackendXml.CompleteMultipartUploadResult.class);
                MultipartDocuments.CompleteMultipartUploadResultXml x = new MultipartDocuments.CompleteMultipartUploadResultXml();
                x.location = "/" + ex.bucket() + "/" + ex.key();
                x.bucket = ex.bucket();
                x.key = ex.key();
                x.etag = Ops.quoteEtag(r.etag);
                x.checksumCrc32 = r.checksumCrc32;
                x.checksumCrc32c = r.checksumCrc32c;
                x.checksumCrc64nvme = r.checksumCrc64nvme;
                x.checksumSha1 = r.checksumSha1;
                x.checksumSha256 = r.checksumSha256;
                x.checksumType = r.checksumType;
                return Responses.xml(ex, 200, x);
            });
        }

        private static void validate(MultipartDocuments.CompleteMultipartUploadXml doc) {
            if (doc.parts.isEmpty()) {
                throw S3Exception.malformedXml();
            }
            int previous = 0;
            for (MultipartDocuments.CompletedPartXml p : doc.parts) {
                if (p.partNumber == null || p.etag == null) {
                    throw S3Exception.malformedXml();
                }
                if (p.partNumber < 1 || p.partNumber > 10000) {
                    throw S3Exception.invalidArgument("Part number must be an integer between 1 and 10000, inclusive",
                            "partNumber", p.partNumber.toString());
                }
                if (p.partNumber <= previous) {
                    throw S3Exception.of(S3ErrorCode.INVALID_PART_ORDER);
                }
                previous = p.partNumber;
            }
        }
    }

    @ApplicationScoped
    static class AbortMultipartUpload implements RoutedOperation {
        private final ObjectStore store;
        private final MultipartUploads uploads;

        AbortMultipartUpload(ObjectStore store, MultipartUploads uploads) {
            this.store = store;
            this.uploads = uploads;
        }

        public String name() {
            return "AbortMultipartUpload";
        }

        public List<Route> routes() {
            return List.of(new Route(Scope.OBJECT, "DELETE", "uploadId"));
        }

        public Uni<Void> handle(S3Exchange ex) {
            String uploadId = uploadId(ex);
            return uploadErrors(store.abortMultipartUpload(ex.bucket(), ex.key(), uploadId), uploadId)
                    .chain(r -> uploads.delete(uploadId))
                    .chain(r -> Responses.empty(ex, 204));
        }
    }
}
