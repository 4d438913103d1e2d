package dev.sseproxy.batch;

import dev.sseproxy.authz.Principal;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.catalog.BatchJobRows.Stamp;
import dev.sseproxy.catalog.BucketCatalog;
import dev.sseproxy.catalog.IamCatalog;
import dev.sseproxy.cluster.Leases;
import dev.sseproxy.config.SseProxyConfig;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.inventory.ObjectScan;
import dev.sseproxy.inventory.ScannedObject;
import dev.sseproxy.sse.InternalWrites;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Runs jobs (package documentation, "Runner"): one node at a time per job, under the lease
 * {@code batch-job-<id>}, every write fenced by it; any node resumes a job whose runner died (at start
 * and at every lease heartbeat it claims the runnable jobs whose lease it can take, highest priority
 * first, at most {@code sse-proxy.batch.jobs-per-node} at once).
 */
@ApplicationScoped
public class BatchRunner {
    private static final Logger LOG = Logger.getLogger(BatchRunner.class);
    static final int INSERT_BATCH = 500;
    static final int PAGE = 500;
    static final String INVOKED_BY = "batchoperations.s3.amazonaws.com";
    /** S3 fails a job whose task failure rate exceeds 50% once at least this many tasks ran. */
    static final int FAILURE_THRESHOLD_MIN_TASKS = 1000;

    private final BatchJobStore store;
    private final Leases leases;
    private final io.vertx.core.Vertx vertx;
    private final BatchConfig config;
    private final Instance<InternalWrites> writes;
    private final Instance<ObjectReads> reads;
    private final ObjectStore objects;
    private final ObjectScan scan;
    private final IamCatalog iam;
    private final BucketCatalog buckets;
    private final String region;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final Tasks tasks;

    public BatchRunner(BatchJobStore store, Leases leases, io.vertx.core.Vertx vertx, BatchConfig config,
            Instance<InternalWrites> writes, Instance<ObjectReads> reads, ObjectStore objects, ObjectScan scan,
            IamCatalog iam, BucketCatalog buckets, SseProxyConfig proxy, dev.sseproxy.sse.StoredEnvelopes envelopes) {
        this.store = store;
        this.leases = leases;
        this.vertx = vertx;
        this.config = config;
        this.writes = writes;
        this.reads = reads;
        this.objects = objects;
        this.scan = scan;
        this.iam = iam;
        this.buckets = buckets;
        this.region = proxy.region();
        this.tasks = new Tasks(store, writes, objects, envelopes);
    }

    void init(@Observes StartupEvent start) {
        leases.onHeartbeat(this::scan);
        scan();
    }

    static String leaseName(String id) {
        return "batch-job-" + id;
    }

    void scan() {
        store.runnable().subscribe().with(ids -> ids.forEach(this::claim),
                e -> LOG.warnf("cannot list batch jobs to run: %s", e.getMessage()));
    }

    /** Runs the job here now if it is runnable and its lease can be taken (a new, confirmed or cancelled job). */
    public void kick(String id) {
        claim(id);
    }

    private void claim(String id) {
        if (running.size() >= Math.max(1, config.jobsPerNode()) || !running.add(id)) {
            return;
        }
        leases.tryAcquire(leaseName(id)).subscribe().with(l -> {
            if (l.isPresent()) {
                LOG.infof("batch job %s runs on %s (lease token %d)", id, leases.node(), l.get().token());
                run(id, l.get());
            } else {
                running.remove(id);
            }
        }, e -> {
            running.remove(id);
            LOG.warnf("batch job %s: cannot take its lease (%s)", id, e.getMessage());
        });
    }

    private void run(String id, Leases.Lease lease) {
        io.vertx.core.Context ctx = io.smallrye.common.vertx.VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        ctx.runOnContext(v -> {
            io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle.setCurrentContextSafe(true);
            step(id, lease, new Pacer(config.tasksPerSecond(), ctx))
                    .call(() -> leases.delete(lease))
                    .eventually(() -> running.remove(id))
                    .subscribe().with(x -> LOG.infof("batch job %s: run on %s ended", id, leases.node()), e -> {
                        if (e instanceof Leases.LostException) {
                            LOG.warnf("batch job %s stopped on %s: %s; the node holding its lease resumes it", id,
                                    leases.node(), e.getMessage());
                        } else {
                            LOG.errorf(e, "batch job %s: run failed on %s; it resumes when its lease expires", id,
                                    leases.node());
                            leases.release(lease).subscribe().with(x -> { }, x -> { });
                        }
                    });
        });
    }

    /** One state of the job, then the next, until it stops needing this runner. */
    private Uni<Void> step(String id, Leases.Lease lease, Pacer pacer) {
        return store.find(id).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(false);
            }
            BatchJobStore.Job j = found.get();
            return switch (j.status()) {
                case NEW -> move(j, lease, JobStatus.NEW, JobStatus.PREPARING, Stamp.NONE);
                case PREPARING -> prepare(j, lease);
                case READY -> move(j, lease, JobStatus.READY, JobStatus.ACTIVE, Stamp.ACTIVE_SINCE);
                case ACTIVE -> execute(j, lease, pacer, 0L);
                case COMPLETING -> report(j, lease).chain(() -> move(j, lease, JobStatus.COMPLETING, JobStatus.COMPLETE,
                        Stamp.TERMINATED_AT)).onFailure(S3Exception.class).recoverWithUni(e -> fail(j, lease,
                                JobStatus.COMPLETING, ((S3Exception) e).code().code(), "Writing the completion report failed: "
                                        + e.getMessage()));
                case CANCELLING -> report(j, lease).onFailure(S3Exception.class).recoverWithUni(e -> {
                    LOG.warnf("batch job %s: the report of the cancelled job cannot be written: %s", j.id(), e.getMessage());
                    return Uni.createFrom().item(true);
                }).chain(() -> move(j, lease, JobStatus.CANCELLING, JobStatus.CANCELLED, Stamp.STOP_TIMER_TERMINATED));
                default -> Uni.createFrom().item(false);
            };
        }).chain(more -> more ? step(id, lease, pacer) : Uni.createFrom().voidItem());
    }

    /** A fenced transition; true (go on, re-reading the job) whether it applied or the status moved meanwhile. */
    private Uni<Boolean> move(BatchJobStore.Job j, Leases.Lease lease, JobStatus from, JobStatus to, Stamp stamp,
            Object... params) {
        return store.transition(j.id(), lease, from, to, stamp, params).chain(ok -> ok ? Uni.createFrom().item(true)
                : store.leaseLive(lease).map(live -> {
                    if (!live) {
                        throw new Leases.LostException(lease);
                    }
                    return true;
                }));
    }

    private Uni<Boolean> fail(BatchJobStore.Job j, Leases.Lease lease, JobStatus from, String code, String reason) {
        LOG.infof("batch job %s failed: %s %s", j.id(), code, reason);
        return move(j, lease, from, JobStatus.FAILED, Stamp.FAILED, code, reason);
    }

    // ---------------------------------------------------------------- preparing

    private Uni<Boolean> prepare(BatchJobStore.Job j, Leases.Lease lease) {
        JobSpec spec = JobSpec.parse(j.requestXml().getBytes(StandardCharsets.UTF_8));
        Uni<Long> tasks = store.clearTasks(j.id(), lease).chain(() -> spec.manifest().isPresent()
                ? fromManifest(j, spec.manifest().get(), lease) : fromGenerator(j, spec.generator().get(), lease));
        return tasks.chain(n -> {
            LOG.infof("batch job %s prepared: %d tasks", j.id(), n);
            return j.confirmationRequired()
                    ? move(j, lease, JobStatus.PREPARING, JobStatus.SUSPENDED, Stamp.SUSPENDED_AT).map(x -> true)
                    : move(j, lease, JobStatus.PREPARING, JobStatus.READY, Stamp.NONE);
        }).onFailure(CsvManifest.InvalidManifest.class).recoverWithUni(e -> fail(j, lease, JobStatus.PREPARING,
                ((CsvManifest.InvalidManifest) e).code(), e.getMessage()))
                .onFailure(S3Exception.class).recoverWithUni(e -> fail(j, lease, JobStatus.PREPARING,
                        ((S3Exception) e).code().code(), "Reading the manifest failed: " + e.getMessage()));
    }

    private Uni<Long> fromManifest(BatchJobStore.Job j, JobSpec.Manifest m, Leases.Lease lease) {
        if (JobSpec.INVENTORY.equals(m.format())) {
            return InventoryManifest.tasks(this, j, m, lease);
        }
        CsvManifest csv = new CsvManifest(m.fields());
        return requireActor(j).chain(actor -> reads().open(actor, m.bucket(), m.key())).chain(opened -> {
            if (!opened.etag().equals(m.etag())) {
                throw new CsvManifest.InvalidManifest("ManifestETagMismatch", "The ETag of the manifest object ("
                        + opened.etag() + ") does not match the ETag specified in the job (" + m.etag() + ")");
            }
            return insertRows(j, lease, lines(opened.body()).map(l -> {
                CsvManifest.Row r = csv.row(l.text(), l.number());
                return r == null ? null : new String[] {r.bucket(), r.key(), r.versionId().orElse(null), null};
            }));
        });
    }

    /** A numbered line of a streamed text. */
    record Line(long number, String text) {
    }

    /** The lines of a stream of UTF-8 chunks; a line longer than 64 KiB fails the manifest (memory stays bounded). */
    static Multi<Line> lines(Multi<byte[]> chunks) {
        LineSplitter s = new LineSplitter();
        return chunks.onItem().transformToIterable(s::feed).onCompletion().switchTo(() -> Multi.createFrom().iterable(s.end()));
    }

    /** Inserts the non-null rows in batches, numbering them from 1; the number of tasks. */
    Uni<Long> insertRows(BatchJobStore.Job j, Leases.Lease lease, Multi<String[]> rows) {
        long[] next = {1};
        return rows.select().where(r -> r != null).group().intoLists().of(INSERT_BATCH)
                .onItem().transformToUniAndConcatenate(batch -> {
                    long first = next[0];
                    next[0] += batch.size();
                    return store.insertTasks(j.id(), lease, first, batch);
                }).collect().last().map(x -> next[0] - 1);
    }

    private Uni<Long> fromGenerator(BatchJobStore.Job j, JobSpec.Generator g, Leases.Lease lease) {
        return buckets.find(g.sourceBucket()).chain(b -> {
            if (b.isEmpty()) {
                throw new CsvManifest.InvalidManifest("NoSuchBucket", "The source bucket " + g.sourceBucket()
                        + " does not exist");
            }
            String owner = b.get().ownerId();
            if (!owner.equals(j.accountId()) || g.expectedBucketOwner().filter(o -> !o.equals(owner)).isPresent()) {
                throw new CsvManifest.InvalidManifest("AccessDenied", "The manifest generator can list only buckets of "
                        + "the job's account (" + j.accountId() + ")");
            }
            Multi<String[]> rows = scan.pages(g.sourceBucket(), g.filter().listingPrefix())
                    .onItem().transformToIterable(page -> {
                        List<String[]> keep = new ArrayList<>();
                        for (ScannedObject o : page) {
                            if (g.filter().test(o)) {
                                keep.add(new String[] {o.bucket(), o.key(), null, o.etag()});
                            }
                        }
                        return keep;
                    });
            return insertRows(j, lease, rows).call(n -> g.enableOutput()
                    ? Reports.generatedManifest(this, j, g, lease) : Uni.createFrom().voidItem());
        });
    }

    // ---------------------------------------------------------------- running

    /** The tasks in order, {@link #PAGE} at a time, until none is open (then Completing). */
    private Uni<Boolean> execute(BatchJobStore.Job j, Leases.Lease lease, Pacer pacer, long after) {
        JobSpec spec = JobSpec.parse(j.requestXml().getBytes(StandardCharsets.UTF_8));
        return store.openTasks(j.id(), after, PAGE).chain(page -> {
            if (page.isEmpty()) {
                return move(j, lease, JobStatus.ACTIVE, JobStatus.COMPLETING, Stamp.STOP_TIMER);
            }
            return actor(j).chain(actor -> Multi.createFrom().iterable(page)
                    .onItem().transformToUni(t -> pacer.slot(vertx).chain(() -> tasks.run(j, spec, actor, lease, t)))
                    .merge(Math.max(1, config.concurrency())).collect().last())
                    .chain(() -> store.find(j.id())).chain(now -> {
                        if (now.isEmpty() || now.get().status() != JobStatus.ACTIVE) {
                            return Uni.createFrom().item(true);
                        }
                        return store.progress(j.id()).chain(p -> {
                            long attempted = p.succeeded() + p.failed();
                            if (attempted >= FAILURE_THRESHOLD_MIN_TASKS && p.failed() * 2 > attempted) {
                                return fail(j, lease, JobStatus.ACTIVE, "TaskFailureThresholdExceeded",
                                        "Task failure rate exceeded 50% after " + attempted + " tasks ("
                                                + p.failed() + " failed)");
                            }
                            return execute(j, lease, pacer, page.get(page.size() - 1).seq());
                        });
                    });
        });
    }

    /** The job's principal, whose IAM user must still exist (reading a manifest). */
    Uni<InternalWrites.Actor> requireActor(BatchJobStore.Job j) {
        return actor(j).map(a -> a.orElseThrow(() -> new CsvManifest.InvalidManifest("AccessDenied",
                "Reading the manifest is forbidden: the job's IAM user no longer exists")));
    }

    /** The job's principal with its identity policies now; empty when its IAM user is gone. */
    Uni<Optional<InternalWrites.Actor>> actor(BatchJobStore.Job j) {
        String agent = "sse-proxy-batch/" + j.id();
        if (j.principalUser() == null) {
            return Uni.createFrom().item(Optional.of(new InternalWrites.Actor(Principal.account(j.accountId()), List.of(),
                    INVOKED_BY, agent)));
        }
        return iam.identity(j.principalUserId()).map(u -> u == null ? Optional.empty()
                : Optional.of(new InternalWrites.Actor(Principal.user(j.accountId(), u.user().name(), u.user().path()),
                        u.policyDocuments(), INVOKED_BY, agent)));
    }

    private Uni<Boolean> report(BatchJobStore.Job j, Leases.Lease lease) {
        return Reports.write(this, j, lease).replaceWith(true);
    }

    // ---- for the helpers in this package

    BatchJobStore store() {
        return store;
    }

    BatchConfig config() {
        return config;
    }

    String jobArn(BatchJobStore.Job j) {
        return "arn:aws:s3:" + region + ":" + j.accountId() + ":job/" + j.id();
    }

    InternalWrites writes() {
        return writes.get();
    }

    ObjectReads reads() {
        return reads.get();
    }
}
