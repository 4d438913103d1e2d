package dev.sseproxy.replication;

import dev.sseproxy.backend.BackendException;
import dev.sseproxy.backend.BackendXml;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.catalog.BucketCatalog;
import dev.sseproxy.catalog.ReplicationQueue;
import dev.sseproxy.catalog.ReplicationScans;
import dev.sseproxy.cluster.Leases;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * {@code ExistingObjectReplication} (package documentation, "What replicates"): when a bucket's stored
 * configuration asks for it and no scan ran for that configuration ({@link ReplicationScans#due}, looked at every
 * {@link #PERIOD_MS} ms by every node), one node (the holder of the lease {@code replication-scan:<bucket>},
 * {@link Leases}) lists the bucket's current objects at the backend a page at a time (start-after the last key
 * queued, so a scan resumes where a dead node left it; never the whole listing in memory), reads each object's
 * headers, and queues the ones written before the scan started (later ones were queued by their own write) as
 * their write would have: not replicas, not SSE-C, SSE-KMS only with the rule's opt-in.
 */
@ApplicationScoped
public class ExistingObjects {
    private static final Logger LOG = Logger.getLogger(ExistingObjects.class);
    static final long PERIOD_MS = 5000;
    static final int PAGE = 200;

    private final ReplicationScans scans;
    private final BucketCatalog buckets;
    private final ObjectStore store;
    private final Leases leases;
    private final Replications replications;
    private final Vertx vertx;
    private final AtomicBoolean running = new AtomicBoolean();
    private long timer = -1;

    public ExistingObjects(ReplicationScans scans, BucketCatalog buckets, ObjectStore store, Leases leases,
            Replications replications, Vertx vertx) {
        this.scans = scans;
        this.buckets = buckets;
        this.store = store;
        this.leases = leases;
        this.replications = replications;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent ev) {
        timer = vertx.setPeriodic(PERIOD_MS, t -> tick());
    }

    void stop(@Observes ShutdownEvent ev) {
        vertx.cancelTimer(timer);
    }

    private void tick() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        scans.due().chain(this::scanAll).subscribe().with(v -> running.set(false), e -> {
            LOG.warnf("replication: scanning existing objects failed (%s)", e.toString());
            running.set(false);
        });
    }

    private Uni<Void> scanAll(List<ReplicationScans.Scan> due) {
        Uni<Void> all = Uni.createFrom().voidItem();
        for (ReplicationScans.Scan s : due) {
            all = all.chain(() -> leases.tryAcquire("replication-scan:" + s.bucket()).chain(l -> l.isEmpty()
                    ? Uni.createFrom().voidItem()
                    : page(s, s.afterKey(), l.get()).eventually(() -> leases.release(l.get()))));
        }
        return all;
    }

    /** One page after {@code after}, then the next while the lease holds. */
    private Uni<Void> page(ReplicationScans.Scan s, String after, Leases.Lease lease) {
        if (!leases.valid(lease)) {
            return Uni.createFrom().voidItem();
        }
        return buckets.find(s.bucket()).chain(b -> {
            if (b.isEmpty() || b.get().replication() == null) {
                return scans.advance(s, after, 0, true).replaceWithVoid();
            }
            return store.list(new ObjectStore.ListPage(s.bucket(), null, null, null, after, PAGE, false)).chain(list -> {
                List<Uni<List<ReplicationQueue.Entry>>> rows = new ArrayList<>();
                String last = after;
                for (BackendXml.Contents c : list.contents) {
                    last = c.key;
                    rows.add(entries(b.get(), c.key, s.startedAt().toInstant()));
                }
                String next = last;
                boolean done = !list.truncated || list.contents.isEmpty();
                Uni<List<ReplicationQueue.Entry>> gathered = rows.isEmpty() ? Uni.createFrom().item(List.of())
                        : Uni.join().all(rows).andFailFast().map(ls -> ls.stream().flatMap(List::stream).toList());
                return gathered.chain(entries -> replications.enqueue(entries).chain(() ->
                        scans.advance(s, next, entries.size(), done)))
                        .chain(mine -> mine && !done ? page(s, next, lease) : Uni.createFrom().voidItem());
            });
        });
    }

    /** What the object's write would have queued, from its backend headers; nothing when it came after the scan. */
    private Uni<List<ReplicationQueue.Entry>> entries(dev.sseproxy.catalog.Bucket b, String key, Instant scanStart) {
        return store.stat(b.name(), key).chain(head -> {
            MultiMap h = head.headers();
            Instant modified = lastModified(h.get("last-modified"));
            if (h.get(ReplicaWrites.REPLICA_OF) != null || (modified != null && !modified.isBefore(scanStart))) {
                return Uni.createFrom().item(List.<ReplicationQueue.Entry>of());
            }
            Map<String, String> stored = new java.util.HashMap<>();
            h.forEach(e -> stored.put(e.getKey(), e.getValue()));
            String mode = dev.sseproxy.crypto.Envelope.storedFields(stored).get(dev.sseproxy.crypto.Envelope.PREFIX + "mode");
            boolean customer = "SSE_C".equals(mode);
            String sse = "SSE_KMS".equals(mode) ? "aws:kms" : "DSSE_KMS".equals(mode) ? "aws:kms:dsse" : "AES256";
            String versionId = h.get("x-amz-version-id");
            boolean byTags = b.replication().rules().stream().anyMatch(r -> r.enabled() && r.filter().byTags());
            String tagCount = h.get("x-amz-tagging-count");
            Uni<Map<String, String>> tags = !byTags || tagCount == null || "0".equals(tagCount.trim())
                    ? Uni.createFrom().item(Map.of()) : store.tagging(b.name(), key, versionId);
            return tags.map(t -> Replications.forWrite(b, key, t, versionId, sse, customer));
        }).onFailure(BackendException.Rejected.class).recoverWithItem(List.of()); // gone since the listing
    }

    static Instant lastModified(String v) {
        if (v == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
