package dev.sseproxy.inventory;

import dev.sseproxy.backend.BackendXml;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.crypto.Envelope;
import dev.sseproxy.crypto.WrappingScheme;
import dev.sseproxy.sse.StoredEnvelopes;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Walks a bucket at the backend and classifies every object (package documentation, "The scan"):
 * one v2 listing with MinIO's {@code metadata=true} extension, 1,000 keys a page, so the envelope of
 * each object comes with the listing and a bucket of any size costs one listing pass and no KMS call.
 * Pages are emitted one at a time as they are requested (backpressure): one page is in memory.
 */
@ApplicationScoped
public class ObjectScan {
    static final int PAGE = 1000;

    private final ObjectStore store;
    private final StoredEnvelopes envelopes;

    public ObjectScan(ObjectStore store, StoredEnvelopes envelopes) {
        this.store = store;
        this.envelopes = envelopes;
    }

    /** The objects of {@code bucket} whose keys start with {@code prefix} (null: all), in key order, a page at a time. */
    public Multi<List<ScannedObject>> pages(String bucket, String prefix) {
        // the continuation token of the next page; "" before the first, null after the last
        String[] next = {""};
        return Multi.createBy().repeating().uni(() -> page(bucket, prefix, next[0]).invoke(p -> next[0] = p.next()))
                .whilst(p -> p.next() != null)
                .map(Page::objects);
    }

    private record Page(List<ScannedObject> objects, String next) {
    }

    private Uni<Page> page(String bucket, String prefix, String token) {
        return store.list(new ObjectStore.ListPage(bucket, prefix, null, token.isEmpty() ? null : token, null, PAGE, true))
                .chain(result -> envelopes.listedEtags(bucket, result.contents).map(etags -> {
            List<ScannedObject> objects = new ArrayList<>(result.contents.size());
            for (BackendXml.Contents c : result.contents) {
                objects.add(classify(bucket, c, etags));
            }
            boolean more = result.truncated && result.nextContinuationToken != null && !result.contents.isEmpty();
            return new Page(objects, more ? result.nextContinuationToken : null);
                }));
    }

    /**
     * One listing entry in client terms. An entry whose envelope headers are present but unreadable
     * is still reported as encrypted with the mode its {@code mode} field names (never as NOT-SSE: the
     * bytes at rest are ciphertext), and without a size correction.
     */
    static ScannedObject classify(String bucket, BackendXml.Contents c) {
        return classify(bucket, c, Map.of());
    }

    /** {@code etags}: the catalog's ETags of the page's streamed SSE-S3 writes, by write id ({@link StoredEnvelopes#listedEtags}). */
    static ScannedObject classify(String bucket, BackendXml.Contents c, Map<String, String> etags) {
        Map<String, String> env = Envelope.storedFields(c.userMetadata);
        String backendEtag = unquote(c.etag);
        Instant modified = c.lastModified == null ? Instant.EPOCH : Instant.parse(c.lastModified);
        String storageClass = c.storageClass == null || c.storageClass.isEmpty() ? "STANDARD" : c.storageClass;
        if (env.isEmpty()) {
            return new ScannedObject(bucket, c.key, c.size, modified, backendEtag, backendEtag,
                    backendEtag != null && backendEtag.contains("-"), EncryptionStatus.NOT_SSE, false, Optional.empty(),
                    storageClass);
        }
        Optional<Envelope> parsed;
        try {
            parsed = Envelope.fromMetadata(env);
        } catch (RuntimeException e) {
            parsed = Optional.empty();
        }
        if (parsed.isEmpty()) {
            String mode = env.getOrDefault(Envelope.PREFIX + "mode", "SSE_S3");
            EncryptionStatus status;
            try {
                status = EncryptionStatus.of(dev.sseproxy.crypto.SseMode.valueOf(mode));
            } catch (IllegalArgumentException x) {
                status = EncryptionStatus.SSE_S3;
            }
            return new ScannedObject(bucket, c.key, c.size, modified, backendEtag, backendEtag, false,
                    status == EncryptionStatus.NOT_SSE ? EncryptionStatus.SSE_S3 : status, false,
                    Optional.ofNullable(env.get(Envelope.PREFIX + "kms-key")), storageClass);
        }
        Envelope e = parsed.get();
        String listed = e.plaintextEtag() != null ? e.plaintextEtag() : etags.get(String.valueOf(env.get(Envelope.ETAG_REF)));
        String etag = listed == null ? backendEtag : unquote(listed);
        EncryptionStatus status = EncryptionStatus.of(e.sseMode());
        // S3 Bucket Keys are an SSE-KMS feature: SSE-S3 reports none (its proxy-internal bucket key is not one)
        boolean bucketKey = e.wrappingScheme() == WrappingScheme.BUCKET_KEY && e.sseMode() == dev.sseproxy.crypto.SseMode.SSE_KMS;
        boolean multipart = etag != null && etag.contains("-");
        return new ScannedObject(bucket, c.key, e.plaintextSize(), modified, etag, backendEtag, multipart,
                status == EncryptionStatus.NOT_SSE ? EncryptionStatus.SSE_S3 : status, bucketKey,
                Optional.ofNullable(e.kmsKeyArn()), storageClass);
    }

    static String unquote(String etag) {
        if (etag == null) {
            return null;
        }
        String t = etag.trim();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }
}
