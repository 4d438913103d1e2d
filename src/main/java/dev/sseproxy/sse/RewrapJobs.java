package dev.sseproxy.sse;

import dev.sseproxy.backend.BackendException;
import dev.sseproxy.backend.BackendXml;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.bucketkey.BucketKeyCache;
import dev.sseproxy.catalog.RewrapJobRows;
import dev.sseproxy.catalog.RewrapJobRows.Position;
import dev.sseproxy.cluster.Leases;
import dev.sseproxy.config.SseProxyConfig;
import dev.sseproxy.crypto.Envelope;
import dev.sseproxy.crypto.ObjectIdentity;
import dev.sseproxy.crypto.WrappingScheme;
import dev.sseproxy.kms.KeyRef;
import dev.sseproxy.kms.KmsClient;
import dev.sseproxy.kms.Wrapped;
import dev.sseproxy.kms.registry.KeyRegistry;
import dev.sseproxy.kms.registry.KmsAction;
import dev.sseproxy.kms.registry.ResolvedKey;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Key rotation and rewrap (issue 5): rotating a KMS key makes new objects use its new version at
 * once (the bucket keys are dropped); a rewrap job then re-wraps every stored key that is below the
 * latest version, without touching object data: the KMS {@code rewrap} of the envelope's wrapped
 * bucket key ({@code BUCKET_KEY}) or wrapped object key ({@code KMS_DATA_KEY}), then a metadata-only
 * copy of the object onto itself, guarded by its backend ETag (an object replaced meanwhile is new
 * and already current, so it is skipped). SSE-C objects and legacy plaintext objects have nothing
 * to rewrap.
 *
 * <p>A job walks the buckets in name order and each bucket's keys in order, 100 objects a page.
 * It runs on one node at a time, under the lease {@code rewrap-job-<id>}, and checkpoints every object
 * in PostgreSQL with a fenced write (see "Rewrap jobs under a lease" in the cluster package
 * documentation): when its node dies or stops, another node (or this one after a restart) takes the
 * lease once it expires and resumes from the checkpoint; {@code done} and {@code rewrapped} count
 * every object once, and the job becomes {@code DONE} once. KMS calls go through the same port as the
 * data path, so the KMS rate limiter paces them. The job's rows and checkpoints are the catalog's
 * ({@link RewrapJobRows}).
 */
@ApplicationScoped
public class RewrapJobs {
    private static final Logger LOG = Logger.getLogger(RewrapJobs.class);
    private static final int PAGE = 100;

    /** A job's progress. */
    public record Job(long id, String bucket, String state, long total, long done, long rewrapped, String error) {
    }

    /** An object to restamp: its HEAD reply and new envelope, and the digest of the new wrapped key. */
    private record Restamp(dev.sseproxy.backend.BackendReply head, Envelope envelope, String wrappedDigest) {
    }

    private final RewrapJobRows jobs;
    private final ObjectStore store;
    private final KmsClient kms;
    private final KeyRegistry registry;
    private final BucketKeyCache bucketKeys;
    private final KeyRef sseS3Key;
    private final Leases leases;
    private final Duration objectDelay;
    private final Set<Long> running = ConcurrentHashMap.newKeySet();

    private final io.vertx.core.Vertx vertx;
    private final StoredEnvelopes envelopes;

    public RewrapJobs(RewrapJobRows jobs, ObjectStore store, KmsClient kms, KeyRegistry registry, BucketKeyCache bucketKeys,
            SseProxyConfig config, io.vertx.core.Vertx vertx, Leases leases, StoredEnvelopes envelopes) {
        this.vertx = vertx;
        this.envelopes = envelopes;
        this.jobs = jobs;
        this.store = store;
        this.kms = kms;
        this.registry = registry;
        this.bucketKeys = bucketKeys;
        this.sseS3Key = KeyRef.of(config.kms().sseS3KeyName());
        this.leases = leases;
        this.objectDelay = config.jobs().rewrapObjectDelay();
    }

    /** Looks for orphaned jobs at start and at every lease heartbeat. */
    void init(@Observes StartupEvent start) {
        leases.onHeartbeat(this::scan);
        scan();
    }

    /** Claims every RUNNING job whose lease this node can take (its runner died, stopped, or lost it). */
    void scan() {
        jobs.running()
                .subscribe().with(ids -> ids.forEach(this::claim),
                        e -> LOG.warnf("cannot list rewrap jobs to resume: %s", e.getMessage()));
    }

    static String leaseName(long id) {
        return "rewrap-job-" + id;
    }

    /** Runs the job here if no run of it is in progress here and its lease can be taken. */
    private void claim(long id) {
        if (!running.add(id)) {
            return;
        }
        leases.tryAcquire(leaseName(id)).subscribe().with(l -> {
            if (l.isPresent()) {
                LOG.infof("rewrap job %d runs on %s (lease token %d)", id, leases.node(), l.get().token());
                run(id, l.get());
            } else {
                running.remove(id);
            }
        }, e -> {
            running.remove(id);
            LOG.warnf("rewrap job %d: cannot take its lease (%s)", id, e.getMessage());
        });
    }

    /** Adds a new version to the proxy's SSE-S3 key (or a KMS key's backend key); new objects use it at once. */
    public Uni<Integer> rotate(KeyRef key) {
        return kms.rotateKey(key.name()).invoke(i -> bucketKeys.invalidateAll()).map(i -> i.latestVersion());
    }

    /** The proxy's own SSE-S3 key. */
    public KeyRef sseS3Key() {
        return sseS3Key;
    }

    /** Starts a job over one bucket, or every bucket when empty; this node runs it. */
    public Uni<Job> start(Optional<String> bucket) {
        return jobs.insert(bucket.orElse(null))
                .invoke(this::claim).chain(this::find).map(Optional::orElseThrow);
    }

    public Uni<Optional<Job>> find(long id) {
        return jobs.find(id).map(found -> found.map(p -> new Job(p.id(), p.bucket(), p.state(), p.total(), p.done(),
                p.rewrapped(), p.error())));
    }

    /** Runs a job on a fresh duplicated Vert.x context, as a request would (Hibernate Reactive needs one). */
    private void run(long id, Leases.Lease lease) {
        io.vertx.core.Context ctx = io.smallrye.common.vertx.VertxContext.createNewDuplicatedContext(
                vertx.getOrCreateContext());
        ctx.runOnContext(v -> {
            io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle.setCurrentContextSafe(true);
            runHere(id, lease);
        });
    }

    private void runHere(long id, Leases.Lease lease) {
        jobs.position(id)
                .chain(pos -> settlePending(id, lease, pos))
                .chain(pos -> buckets(pos.only()).chain(all -> (pos.total() == 0 ? count(all).chain(n -> jobs.total(id,
                        lease, n)) : Uni.createFrom().voidItem())
                        .chain(v -> walk(id, lease, all, pos.cursorBucket(), pos.cursorKey()))))
                .chain(v -> jobs.done(id, lease))
                .call(v -> leases.delete(lease))
                .eventually(() -> running.remove(id))
                .subscribe().with(v -> LOG.infof("rewrap job %d done", id), e -> {
                    if (e instanceof Leases.LostException) {
                        LOG.warnf("rewrap job %d stopped on %s: %s; the node that holds its lease resumes it", id,
                                leases.node(), e.getMessage());
                        return;
                    }
                    LOG.errorf(e, "rewrap job %d failed", id);
                    jobs.failed(id, lease, String.valueOf(e.getMessage()))
                            .call(() -> leases.delete(lease)).subscribe().with(x -> { }, x -> { });
                });
    }

    /**
     * The object a previous run was restamping when it stopped: counted as rewrapped when it carries
     * the new wrapped key that run recorded, and the walk then resumes after it (the position answered
     * has its cursor there: resuming from the old cursor would count it a second time); otherwise left
     * for the walk to process again.
     */
    private Uni<Position> settlePending(long id, Leases.Lease lease, Position pos) {
        if (pos.pendingKey() == null) {
            return Uni.createFrom().item(pos);
        }
        return store.stat(pos.pendingBucket(), pos.pendingKey())
                .map(head -> StoredEnvelopes.fromHeaders(head.headers()).map(RewrapJobs::wrappedDigest).orElse(""))
                .onFailure(BackendException.Rejected.class).recoverWithItem("")
                .chain(digest -> {
                    if (digest.equals(pos.pendingWrapped())) {
                        LOG.infof("rewrap job %d: %s/%s was restamped before the previous run stopped", id,
                                pos.pendingBucket(), pos.pendingKey());
                        return jobs.pendingWasRestamped(id, lease, pos.pendingBucket(), pos.pendingKey())
                                .replaceWith(new Position(pos.only(), pos.pendingBucket(), pos.pendingKey(), pos.total(),
                                        null, null, null));
                    }
                    return jobs.pendingDropped(id, lease).replaceWith(pos);
                });
    }

    /** The SHA-256 (hex) of an envelope's wrapped key: it changes with every rewrap. */
    static String wrappedDigest(Envelope e) {
        byte[] wrapped = e.wrappingScheme() == WrappingScheme.BUCKET_KEY ? e.wrappedBucketKey() : e.wrappedObjectKey();
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(wrapped == null ? new byte[0] : wrapped));
        } catch (java.security.NoSuchAlgorithmException x) {
            throw new IllegalStateException(x);
        }
    }

    private Uni<List<String>> buckets(Optional<String> only) {
        if (only.isPresent()) {
            return Uni.createFrom().item(List.of(only.get()));
        }
        return jobs.bucketNames();
    }

    private Uni<Long> count(List<String> buckets) {
        return Multi.createFrom().iterable(buckets).onItem().transformToUniAndConcatenate(b -> countBucket(b, null, 0L))
                .collect().asList().map(l -> l.stream().mapToLong(Long::longValue).sum());
    }

    private Uni<Long> countBucket(String bucket, String after, long acc) {
        return page(bucket, after).chain(p -> p.contents.isEmpty() || !p.truncated
                ? Uni.createFrom().item(acc + p.contents.size())
                : countBucket(bucket, p.contents.get(p.contents.size() - 1).key, acc + p.contents.size()));
    }

    private Uni<BackendXml.ListBucketResult> page(String bucket, String after) {
        return store.list(new ObjectStore.ListPage(bucket, null, null, null, after, PAGE, false));
    }

    private Uni<Void> walk(long id, Leases.Lease lease, List<String> buckets, String cursorBucket, String cursorKey) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String b : buckets) {
            if (cursorBucket != null && b.compareTo(cursorBucket) < 0) {
                continue;
            }
            String after = b.equals(cursorBucket) ? cursorKey : null;
            chain = chain.chain(v -> walkBucket(id, lease, b, after));
        }
        return chain;
    }

    private Uni<Void> walkBucket(long id, Leases.Lease lease, String bucket, String after) {
        return page(bucket, after).chain(p -> Multi.createFrom().iterable(p.contents)
                .onItem().transformToUniAndConcatenate(c -> processOne(id, lease, bucket, c.key))
                .collect().last()
                .chain(x -> p.truncated && !p.contents.isEmpty()
                        ? walkBucket(id, lease, bucket, p.contents.get(p.contents.size() - 1).key)
                        : Uni.createFrom().voidItem()));
    }

    /**
     * One object, checkpointed: counted (and the cursor moved to it) in one fenced write; when it needs a
     * rewrap, recorded as pending first, then restamped, then counted as rewrapped.
     */
    private Uni<Void> processOne(long id, Leases.Lease lease, String bucket, String key) {
        if (!leases.valid(lease)) {
            return Uni.createFrom().failure(new Leases.LostException(lease));
        }
        return delay().chain(v -> plan(bucket, key)).chain(r -> {
            if (r.isEmpty()) {
                return jobs.counted(id, lease, bucket, key);
            }
            Restamp rs = r.get();
            return jobs.pending(id, lease, bucket, key, rs.wrappedDigest())
                    .chain(v -> StoredEnvelopes.restamp(store, bucket, key, rs.head().headers().get("etag"),
                            rs.head().headers(), envelopes.inline(rs.envelope())).map(x -> 1L)
                            .onFailure(BackendException.Rejected.class).recoverWithItem(0L))
                    .chain(n -> jobs.restamped(id, lease, bucket, key, n));
        });
    }

    /** The test-only throttle ({@code sse-proxy.jobs.rewrap-object-delay}), on this context. */
    private Uni<Void> delay() {
        if (objectDelay.isZero() || objectDelay.isNegative()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().emitter(em -> vertx.setTimer(objectDelay.toMillis(), t -> em.complete(null)));
    }

    /** Re-wraps one object's stored key in memory when it is below its KMS key's latest version. */
    Uni<Optional<Restamp>> plan(String bucket, String key) {
        return store.stat(bucket, key).chain(head -> {
            Optional<Envelope> env = StoredEnvelopes.fromHeaders(head.headers());
            if (env.isEmpty() || env.get().wrappingScheme() == null
                    || env.get().wrappingScheme() == WrappingScheme.SSE_C_DERIVED) {
                return Uni.createFrom().item(Optional.<Restamp>empty());
            }
            Envelope e = env.get();
            ObjectIdentity id = new ObjectIdentity(bucket, key);
            return keyOf(e).chain(ref -> kms.keyInfo(ref.name()).chain(info -> {
                int version = e.kmsKeyVersion() == null ? 0 : e.kmsKeyVersion();
                if (version >= info.latestVersion()) {
                    return Uni.createFrom().item(Optional.<Restamp>empty());
                }
                Uni<Envelope> rewrapped = e.wrappingScheme() == WrappingScheme.BUCKET_KEY
                        ? kms.rewrap(ref, e.wrappedBucketKey(), ObjectKeys.bucketContext(bucket)).map(w -> e.toBuilder()
                                .wrappedBucketKey(w.ciphertext()).bucketKeyId(ObjectKeys.bucketKeyId(w.ciphertext()))
                                .kmsKeyVersion(w.keyVersion()).build())
                        : kms.rewrap(ref, e.wrappedObjectKey(), ObjectKeys.objectContext(id, ObjectKeys.userContext(e)))
                                .map((Wrapped w) -> e.toBuilder().wrappedObjectKey(w.ciphertext())
                                        .kmsKeyVersion(w.keyVersion()).build());
                return rewrapped.map(ne -> Optional.of(new Restamp(head, ne, wrappedDigest(ne))));
            }));
        }).onFailure(dev.sseproxy.kms.KmsException.Throttled.class).retry()
                .withBackOff(java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(5)).atMost(50)
                .onFailure(BackendException.Rejected.class).recoverWithItem(Optional.empty());
    }

    private Uni<KeyRef> keyOf(Envelope e) {
        if (e.sseMode() == dev.sseproxy.crypto.SseMode.SSE_S3) {
            return Uni.createFrom().item(sseS3Key);
        }
        String arn = e.kmsKeyArn();
        String owner = arn.split(":")[4];
        return registry.resolve(arn, owner, KmsAction.DECRYPT).map(ResolvedKey::backendKey);
    }

}
