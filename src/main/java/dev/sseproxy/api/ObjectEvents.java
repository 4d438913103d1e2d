package dev.sseproxy.api;

import dev.sseproxy.catalog.Credential;
import dev.sseproxy.notify.NotificationConfiguration;
import dev.sseproxy.notify.Notifications;
import dev.sseproxy.notify.ObjectEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a successful object write or removal into its event notification (S3's event types, package
 * documentation of {@code dev.sseproxy.notify}), recorded in the outbox before the success status is sent
 * ({@link S3Exchange#successEvent}). Only a bucket whose configuration is in memory gets the step: a bucket
 * without one pays a map lookup. The event's facts come from the exchange: the key and plaintext size the
 * operation recorded, the ETag and {@code x-amz-version-id} / {@code x-amz-delete-marker} it set on the response.
 */
@ApplicationScoped
class ObjectEvents {
    /** Operation name → S3 event name (without {@code s3:}); DeleteObject and DeleteObjects are decided per response. */
    private static final Map<String, String> EVENTS = Map.of("PutObject", "ObjectCreated:Put", "PostObject",
            "ObjectCreated:Post", "CopyObject", "ObjectCreated:Copy", "CompleteMultipartUpload",
            "ObjectCreated:CompleteMultipartUpload", "DeleteObject", "ObjectRemoved:Delete", "DeleteObjects",
            "ObjectRemoved:Delete", "PutObjectTagging", "ObjectTagging:Put", "DeleteObjectTagging",
            "ObjectTagging:Delete", "PutObjectAcl", "ObjectAcl:Put");

    private final Notifications notifications;

    ObjectEvents(Notifications notifications) {
        this.notifications = notifications;
    }

    /** Gives the exchange its event step when its bucket has a configuration and its route can make an event. */
    void attach(S3Exchange ex, String operation) {
        if (!EVENTS.containsKey(operation) && !"Tagging".equals(operation)) {
            return;
        }
        Optional<NotificationConfiguration> c = notifications.configuration(ex.bucket());
        if (c.isEmpty()) {
            return;
        }
        ex.successEvent(doc -> record(ex, doc));
    }

    private Uni<Void> record(S3Exchange ex, Object doc) {
        String op = ex.operation();
        String name = EVENTS.get(op);
        if (name == null) {
            return Uni.createFrom().voidItem();
        }
        List<ObjectEvent> events = new ArrayList<>(1);
        var h = ex.response().headers();
        String versionId = h.get("x-amz-version-id");
        if ("DeleteObjects".equals(op)) {
            for (String key : ex.deletedKeys()) {
                events.add(event(ex, name, key, null, null, null));
            }
        } else {
            String key = ex.writtenKey() != null ? ex.writtenKey() : ex.key();
            if (key == null) {
                return Uni.createFrom().voidItem();
            }
            if ("DeleteObject".equals(op) && "true".equals(h.get("x-amz-delete-marker")) && ex.queryParam("versionId") == null) {
                name = "ObjectRemoved:DeleteMarkerCreated";
            }
            boolean created = name.startsWith("ObjectCreated");
            Long size = created && ex.writtenSize() >= 0 ? ex.writtenSize() : null;
            String etag = created ? unquote(h.get("ETag") != null ? h.get("ETag") : etagOf(doc)) : null;
            events.add(event(ex, name, key, size, etag, versionId));
        }
        Uni<Void> all = Uni.createFrom().voidItem();
        for (ObjectEvent e : events) {
            all = all.chain(() -> notifications.record(e));
        }
        return all;
    }

    private static ObjectEvent event(S3Exchange ex, String name, String key, Long size, String etag, String versionId) {
        Credential p = ex.principal();
        String principalId;
        if (p == null) {
            principalId = "Anonymous";
        } else if (p.user() != null) {
            principalId = "AWS:" + p.user().userId();
        } else {
            principalId = p.accountId();
        }
        var remote = ex.request().remoteAddress();
        return new ObjectEvent(name, ex.bucket(), ex.bucketRecord().ownerId(), key, size, etag, versionId, ex.time(),
                ex.requestId(), RequestIds.hostId(ex.requestId()), principalId, p == null ? null : p.accountId(),
                remote == null ? null : remote.hostAddress(), ex.operation());
    }

    private static String etagOf(Object doc) {
        if (doc instanceof dev.sseproxy.api.xml.Documents.CopyObjectResultXml c) {
            return c.etag;
        }
        if (doc instanceof dev.sseproxy.api.xml.MultipartDocuments.CompleteMultipartUploadResultXml m) {
            return m.etag;
        }
        return null;
    }

    private static String unquote(String etag) {
        if (etag == null) {
            return null;
        }
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }
}
