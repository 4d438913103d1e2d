package dev.sseproxy.api;

import dev.sseproxy.api.Dispatcher.Route;
import dev.sseproxy.api.Dispatcher.RoutedOperation;
import dev.sseproxy.api.Dispatcher.Scope;
import dev.sseproxy.api.xml.Documents;
import dev.sseproxy.api.xml.S3Xml;
import dev.sseproxy.backend.BackendCall;
import dev.sseproxy.backend.BackendXml;
import dev.sseproxy.backend.MinioXml;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.error.S3Exception;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;

/**
 * DeleteObjects: up to 1,000 keys, Content-MD5 or an x-amz-checksum required (and verified), quiet
 * mode reports only errors. Carried out as one backend DeleteObjects, which is never quiet: the proxy
 * needs every deleted key, whatever the client asked, to sweep their catalog part tables and to
 * forget their owners and ACLs ({@link AclWrites#deleted(dev.sseproxy.catalog.Bucket, List)}), so
 * that a key written again later does not inherit a deleted object's public grant.
 */
@ApplicationScoped
class DeleteObjectsOperation implements RoutedOperation {
    private final ObjectStore store;
    private final dev.sseproxy.sse.StoredEnvelopes envelopes;
    private final AclWrites aclWrites;
    private final Authorization authorization;

    DeleteObjectsOperation(ObjectStore store, dev.sseproxy.sse.StoredEnvelopes envelopes, AclWrites aclWrites,
            Authorization authorization) {
        this.authorization = authorization;
        this.store = store;
        this.envelopes = envelopes;
        this.aclWrites = aclWrites;
    }

    public String name() {
        return "DeleteObjects";
    }

    public List<Route> routes() {
        return List.of(new Route(Scope.BUCKET, "POST", "delete"));
    }

    public Uni<Void> handle(S3Exchange ex) {
        boolean integrity = ex.header("content-md5") != null || ex.header("x-amz-trailer") != null
                || ex.request().headers().names().stream().anyMatch(n -> n.toLowerCase().startsWith("x-amz-checksum-"));
        if (!integrity) {
            throw S3Exception.invalidRequest("Missing required header for this request: Content-Md5.");
        }
        return SmallBody.read(ex).chain(bytes -> {
            Documents.DeleteXml doc = S3Xml.read(bytes, Documents.DeleteXml.class);
            if (doc.objects.isEmpty() || doc.objects.size() > 1000) {
                throw S3Exception.malformedXml();
            }
            for (Documents.ObjectIdentifierXml o : doc.objects) {
                if (o.key == null || o.key.isEmpty()) {
                    throw S3Exception.malformedXml();
                }
            }
            long start = System.nanoTime();
            return denied(ex, doc).chain(denied -> {
                Documents.DeleteXml allowed = new Documents.DeleteXml();
                allowed.quiet = doc.quiet;
                doc.objects.stream().filter(o -> !denied.containsKey(o)).forEach(allowed.objects::add);
                if (allowed.objects.isEmpty()) {
                    return Uni.createFrom().item(result(doc, new BackendXml.DeleteResult(), denied));
                }
                return store.exchange(backendCall(ex, allowed)).chain(reply -> {
                    BackendXml.DeleteResult br = CopyOperations.read(reply.body().getBytes(), BackendXml.DeleteResult.class);
                    List<String> deleted = br.deleted.stream().map(d -> d.key).toList();
                    ex.deletedKeys(deleted);
                    // a versioned bucket keeps the keys' ACLs for their remaining versions (sweeps leave it alone too)
                    return envelopes.sweep(ex.bucket(), deleted, null, start)
                            .chain(() -> ex.bucketRecord().versioned() ? Uni.createFrom().voidItem()
                                    : aclWrites.deleted(ex.bucketRecord(), deleted))
                            .map(v -> result(doc, br, denied));
                });
            });
        }).chain(result -> Responses.xml(ex, 200, result));
    }

    private static BackendCall backendCall(S3Exchange ex, Documents.DeleteXml doc) {
        BackendXml.DeleteRequest req = new BackendXml.DeleteRequest();
        doc.objects.forEach(o -> req.objects.add(new BackendXml.ObjectId(o.key, o.versionId)));
        byte[] body = MinioXml.write(req);
        return BackendCall.of("POST", ex.bucket(), null).query("delete", "")
                .header("content-md5", md5(body)).header("content-type", "application/xml")
                .withBody(BackendCall.Body.of(Buffer.buffer(body)));
    }

    /**
     * The entries refused, with their error: an invalid version id (InvalidArgument), or what the
     * requester may not delete (s3:DeleteObject on each key's ARN, s3:DeleteObjectVersion for an entry
     * naming a version), each decided on its own.
     */
    private Uni<java.util.Map<Documents.ObjectIdentifierXml, S3Exception>> denied(S3Exchange ex, Documents.DeleteXml doc) {
        java.util.Map<Documents.ObjectIdentifierXml, S3Exception> denied = new java.util.IdentityHashMap<>();
        var who = Authorization.principal(ex);
        return io.smallrye.mutiny.Multi.createFrom().iterable(doc.objects)
                .onItem().transformToUniAndConcatenate(o -> {
                    if (o.versionId != null && !Versions.valid(o.versionId)) {
                        denied.put(o, S3Exception.invalidArgument("Invalid version id specified", "versionId", o.versionId));
                        return Uni.createFrom().voidItem();
                    }
                    return authorization.require(ex, who, o.versionId == null ? "s3:DeleteObject" : "s3:DeleteObjectVersion",
                            ex.bucketRecord(), o.key).replaceWithVoid()
                            .onFailure(e -> e instanceof S3Exception se && se.code() == dev.sseproxy.error.S3ErrorCode.ACCESS_DENIED)
                            .recoverWithItem(() -> {
                                denied.put(o, S3Exception.accessDenied());
                                return null;
                            });
                })
                .collect().last().map(v -> denied);
    }

    private static Documents.DeleteResultXml result(Documents.DeleteXml doc, BackendXml.DeleteResult br,
            java.util.Map<Documents.ObjectIdentifierXml, S3Exception> denied) {
        boolean quiet = Boolean.TRUE.equals(doc.quiet);
        Documents.DeleteResultXml r = new Documents.DeleteResultXml();
        for (Documents.ObjectIdentifierXml o : doc.objects) {
            S3Exception e = denied.get(o);
            if (e != null) {
                Documents.DeleteErrorXml x = new Documents.DeleteErrorXml();
                x.key = o.key;
                x.versionId = o.versionId;
                x.code = e.code().code();
                x.message = e.getMessage();
                r.errors.add(x);
            }
        }
        for (BackendXml.Deleted d : br.deleted) {
            if (!quiet) {
                Documents.DeletedXml x = new Documents.DeletedXml();
                x.key = d.key;
                x.versionId = d.versionId == null || d.versionId.isEmpty() ? null : d.versionId;
                x.deleteMarker = Boolean.TRUE.equals(d.deleteMarker) ? Boolean.TRUE : null;
                x.deleteMarkerVersionId = d.deleteMarkerVersionId == null || d.deleteMarkerVersionId.isEmpty()
                        ? null : d.deleteMarkerVersionId;
                r.deleted.add(x);
            }
        }
        for (BackendXml.DeleteError e : br.errors) {
            Documents.DeleteErrorXml x = new Documents.DeleteErrorXml();
            x.key = e.key;
            x.versionId = e.versionId == null || e.versionId.isEmpty() ? null : e.versionId;
            x.code = e.code;
            x.message = e.message;
            r.errors.add(x);
        }
        return r;
    }

    static String md5(byte[] b) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
