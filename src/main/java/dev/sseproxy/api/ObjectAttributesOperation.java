package dev.sseproxy.api;

import dev.sseproxy.api.Dispatcher.Route;
import dev.sseproxy.api.Dispatcher.RoutedOperation;
import dev.sseproxy.api.Dispatcher.Scope;
import dev.sseproxy.api.xml.Documents;
import dev.sseproxy.backend.BackendCall;
import dev.sseproxy.backend.BackendException;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.crypto.Envelope;
import dev.sseproxy.crypto.PartTable;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.sse.CustomerKey;
import dev.sseproxy.sse.ObjectKeys;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * GetObjectAttributes ({@code GET /{bucket}/{key}?attributes}): the attributes named in
 * {@code x-amz-object-attributes} (ETag, Checksum, ObjectParts, StorageClass, ObjectSize), from the
 * object's envelope, read with one backend HEAD and never a body byte. The ETag is unquoted; sizes
 * are plaintext sizes; ObjectParts (multipart objects only, as S3) pages the envelope's part table
 * by {@code x-amz-max-parts} / {@code x-amz-part-number-marker}, parts numbered 1..PartsCount in
 * object order. An SSE-C object needs its key, checked as GET checks it (400 without, 403 wrong).
 * No encryption headers are returned. A legacy plaintext object reports what the backend says.
 */
@ApplicationScoped
class ObjectAttributesOperation implements RoutedOperation {
    static final Set<String> ATTRIBUTES = Set.of("ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize");
    static final String MISSING = "x-amz-object-attributes header specifying the attributes to be retrieved is "
            + "either missing or empty";
    private final ObjectStore store;
    private final dev.sseproxy.sse.SseService sse;

    ObjectAttributesOperation(ObjectStore store, dev.sseproxy.sse.SseService sse) {
        this.store = store;
        this.sse = sse;
    }

    public String name() {
        return "GetObjectAttributes";
    }

    public List<Route> routes() {
        return List.of(new Route(Scope.OBJECT, "GET", "attributes"));
    }

    public Uni<Void> handle(S3Exchange ex) {
        Set<String> wanted = attributes(ex);
        int maxParts = header(ex, "x-amz-max-parts", 1000, 1000);
        int marker = header(ex, "x-amz-part-number-marker", 0, PartTable.MAX_PARTS);
        SseChecks.rejectWriteOnlyHeaders(ex);
        Optional<CustomerKey> customer = SseChecks.readKey(ex, "");
        return store.open(Versions.on(BackendCall.of("HEAD", ex.bucket(), ex.key()), Versions.requested(ex)))
                .onFailure(BackendException.Rejected.class).transform(e -> Versions.notFound((BackendException.Rejected) e, ex))
                .chain(s -> {
                    s.discard();
                    MultiMap bh = s.headers();
                    return sse.envelope(ex.bucket(), ex.key(), bh).chain(env -> {
                        ObjectKeys.checkReadHeaders(env.orElse(null), customer);
                        Documents.GetObjectAttributesResponseXml x = env.isPresent()
                                ? encrypted(env.get(), wanted, maxParts, marker) : legacy(bh, wanted);
                        if (bh.get("last-modified") != null) {
                            ex.response().putHeader("Last-Modified", bh.get("last-modified"));
                        }
                        Versions.echo(bh, ex.response().headers());
                        Versions.nullVersion(ex, ex.response().headers());
                        return Responses.xml(ex, 200, x);
                    });
                });
    }

    /** The attribute names asked for; S3's 400s for none and for an unknown name. */
    static Set<String> attributes(S3Exchange ex) {
        Set<String> out = new LinkedHashSet<>();
        for (String v : ex.request().headers().getAll("x-amz-object-attributes")) {
            for (String a : v.split(",")) {
                String name = a.trim();
                if (name.isEmpty()) {
                    continue;
                }
                if (!ATTRIBUTES.contains(name)) {
                    throw S3Exception.invalidArgument("Invalid attribute name specified.", "x-amz-object-attributes", name);
                }
                out.add(name);
            }
        }
        if (out.isEmpty()) {
            throw S3Exception.invalidArgument(MISSING, "x-amz-object-attributes", "");
        }
        return out;
    }

    private static int header(S3Exchange ex, String name, int def, int max) {
        String v = ex.header(name);
        if (v == null) {
            return def;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return Math.min(n, max);
        } catch (NumberFormatException e) {
            throw S3Exception.invalidArgument("Argument " + name.substring("x-amz-".length())
                    + " must be an integer between 0 and 2147483647", name, v);
        }
    }

    static Documents.GetObjectAttributesResponseXml encrypted(Envelope env, Set<String> wanted, int maxParts,
            int marker) {
        Documents.GetObjectAttributesResponseXml x = new Documents.GetObjectAttributesResponseXml();
        if (wanted.contains("ETag")) {
            x.etag = env.plaintextEtag();
        }
        if (wanted.contains("Checksum") && env.checksum() != null) {
            x.checksum = checksum(env.checksum());
        }
        if (wanted.contains("ObjectParts") && ObjectOperations.GetObject.isMultipart(env)) {
            x.objectParts = parts(env.partTable(), maxParts, marker);
        }
        if (wanted.contains("StorageClass")) {
            x.storageClass = "STANDARD";
        }
        if (wanted.contains("ObjectSize")) {
            x.objectSize = env.plaintextSize();
        }
        return x;
    }

    static Documents.ObjectPartsXml parts(PartTable table, int maxParts, int marker) {
        Documents.ObjectPartsXml p = new Documents.ObjectPartsXml();
        List<PartTable.Part> all = table.parts();
        p.partsCount = all.size();
        p.maxParts = maxParts;
        p.partNumberMarker = marker;
        int next = marker;
        for (int i = marker; i < all.size() && p.parts.size() < maxParts; i++) {
            Documents.ObjectPartXml part = new Documents.ObjectPartXml();
            part.partNumber = i + 1;
            part.size = all.get(i).plaintextLength();
            p.parts.add(part);
            next = i + 1;
        }
        p.nextPartNumberMarker = next;
        p.truncated = next < all.size();
        return p;
    }

    private static Documents.ChecksumXml checksum(Envelope.Checksum c) {
        Documents.ChecksumXml x = new Documents.ChecksumXml();
        switch (c.algorithm().toUpperCase(Locale.ROOT)) {
            case "CRC32" -> x.checksumCrc32 = c.value();
            case "CRC32C" -> x.checksumCrc32c = c.value();
            case "CRC64NVME" -> x.checksumCrc64nvme = c.value();
            case "SHA1" -> x.checksumSha1 = c.value();
            case "SHA256" -> x.checksumSha256 = c.value();
            default -> {
                return null;
            }
        }
        x.checksumType = c.value().contains("-") ? "COMPOSITE" : "FULL_OBJECT";
        return x;
    }

    private static Documents.GetObjectAttributesResponseXml legacy(MultiMap bh, Set<String> wanted) {
        Documents.GetObjectAttributesResponseXml x = new Documents.GetObjectAttributesResponseXml();
        if (wanted.contains("ETag") && bh.get("etag") != null) {
            x.etag = dev.sseproxy.sse.Etags.unquote(bh.get("etag"));
        }
        if (wanted.contains("StorageClass")) {
            x.storageClass = "STANDARD";
        }
        if (wanted.contains("ObjectSize") && bh.get("content-length") != null) {
            x.objectSize = Long.parseLong(bh.get("content-length"));
        }
        return x;
    }
}
