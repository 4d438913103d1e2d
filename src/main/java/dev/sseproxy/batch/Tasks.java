package dev.sseproxy.batch;

import dev.sseproxy.backend.BackendCall;
import dev.sseproxy.backend.BackendException;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.catalog.BatchJobRows;
import dev.sseproxy.cluster.Leases;
import dev.sseproxy.crypto.Envelope;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.sse.InternalWrites;
import dev.sseproxy.crypto.SseMode;
import dev.sseproxy.sse.StoredEnvelopes;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * One task of a running job (package documentation, "Runner" and "At most one copy"): the operation
 * on one object, its outcome recorded in the task's row under the run's lease. {@link BatchRunner}
 * pages through the tasks and paces them; this class does each one.
 */
final class Tasks {
    private static final Logger LOG = Logger.getLogger(BatchRunner.class);

    private final BatchJobStore store;
    private final Instance<InternalWrites> writes;
    private final ObjectStore objects;
    private final StoredEnvelopes envelopes;

    Tasks(BatchJobStore store, Instance<InternalWrites> writes, ObjectStore objects, StoredEnvelopes envelopes) {
        this.store = store;
        this.writes = writes;
        this.objects = objects;
        this.envelopes = envelopes;
    }

    /** A task's outcome, as its completion-report row says it. */
    record Outcome(boolean succeeded, int status, String code, String message) {
        static Outcome ok() {
            return new Outcome(true, 200, null, "Successful");
        }

        static Outcome of(S3Exception e) {
            return new Outcome(false, e.code().status(), e.code().code(), e.getMessage());
        }
    }

    Uni<Void> run(BatchJobStore.Job j, JobSpec spec, Optional<InternalWrites.Actor> actor, Leases.Lease lease,
            BatchJobRows.Task t) {
        Uni<Outcome> outcome;
        if (actor.isEmpty()) {
            outcome = Uni.createFrom().item(new Outcome(false, 403, "AccessDenied", "Access Denied"));
        } else if (t.versionId() != null) {
            outcome = Uni.createFrom().item(new Outcome(false, 400, "InvalidRequest",
                    "Object versions are not supported by this endpoint"));
        } else if (spec.operation() instanceof JobSpec.Tagging tagging) {
            outcome = writes.get().replaceTagging(actor.get(), t.bucket(), t.key(), tagging.tags()).map(x -> Outcome.ok());
        } else {
            outcome = copy(j, (JobSpec.Copy) spec.operation(), actor.get(), lease, t);
        }
        return outcome.onFailure(S3Exception.class).recoverWithItem(e -> Outcome.of((S3Exception) e))
                .onFailure(e -> !(e instanceof Leases.LostException)).recoverWithItem(e -> new Outcome(false, 500,
                        "InternalError", "We encountered an internal error. Please try again."))
                .chain(o -> store.finished(j.id(), lease, t.seq(), o.succeeded(), o.status(), o.code(), o.message()));
    }

    /**
     * S3PutObjectCopy onto the object itself, copied at most once (package documentation, "At most one
     * copy"): STARTED with the backend ETag read before the copy is sent; a resumed STARTED task whose
     * object changed and now has the target encryption succeeded without a second copy.
     */
    private Uni<Outcome> copy(BatchJobStore.Job j, JobSpec.Copy op, InternalWrites.Actor actor, Leases.Lease lease,
            BatchJobRows.Task t) {
        if (!t.bucket().equals(op.targetBucket())) {
            return Uni.createFrom().item(new Outcome(false, 400, "InvalidRequest", "S3PutObjectCopy copies an object "
                    + "onto itself here: its TargetResource must be the object's bucket (" + t.bucket() + ")"));
        }
        return head(t.bucket(), t.key()).chain(h -> {
            if (h.isEmpty()) {
                return Uni.createFrom().item(new Outcome(false, 404, "NoSuchKey", "The specified key does not exist."));
            }
            Head now = h.get();
            if ("STARTED".equals(t.state()) && t.backendEtag() != null && !t.backendEtag().equals(now.backendEtag())) {
                if (hasTarget(now.envelope(), op)) {
                    LOG.debugf("batch job %s: %s/%s was copied before the previous run stopped", j.id(), t.bucket(), t.key());
                    return Uni.createFrom().item(Outcome.ok());
                }
                return Uni.createFrom().item(new Outcome(false, 412, "PreconditionFailed",
                        "At least one of the pre-conditions you specified did not hold"));
            }
            return store.started(j.id(), lease, t.seq(), now.backendEtag())
                    .chain(() -> writes.get().copyInPlace(actor, t.bucket(), t.key(), now.etag(), encryption(op)))
                    .onFailure(Tasks::throttled).retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10))
                    .atMost(30)
                    .map(c -> Outcome.ok());
        });
    }

    /** SlowDown and KMS throttling: retried with back-off, never a task failure. */
    static boolean throttled(Throwable e) {
        if (e instanceof S3Exception s) {
            return s.code().status() == 503 || "SlowDown".equals(s.code().code())
                    || s.code().code().contains("Throttl");
        }
        return e instanceof dev.sseproxy.kms.KmsException.Throttled;
    }

    static InternalWrites.Encryption encryption(JobSpec.Copy op) {
        Optional<SseMode> mode = op.sseAlgorithm().map(a -> "KMS".equals(a) ? SseMode.SSE_KMS : SseMode.SSE_S3);
        return new InternalWrites.Encryption(mode, op.kmsKeyId(), op.bucketKeyEnabled());
    }

    /** Whether an object's envelope has the encryption the copy asks for (any, for the bucket default). */
    static boolean hasTarget(Optional<Envelope> env, JobSpec.Copy op) {
        if (env.isEmpty()) {
            return false;
        }
        Envelope e = env.get();
        if (op.sseAlgorithm().isEmpty()) {
            return true;
        }
        SseMode want = "KMS".equals(op.sseAlgorithm().get()) ? SseMode.SSE_KMS : SseMode.SSE_S3;
        if (e.sseMode() == null || !e.sseMode().name().equals(want.name())) {
            return false;
        }
        return op.kmsKeyId().filter(k -> k.startsWith("arn:")).map(k -> k.equals(e.kmsKeyArn())).orElse(true);
    }

    record Head(String backendEtag, String etag, Optional<Envelope> envelope) {
    }

    /** The envelope as stored, when it cannot be loaded whole (its out-of-line table is missing, say); empty if unreadable. */
    private static Optional<Envelope> asStored(io.vertx.core.MultiMap headers) {
        try {
            return StoredEnvelopes.fromHeaders(headers);
        } catch (RuntimeException x) {
            return Optional.empty();
        }
    }

    private Uni<Optional<Head>> head(String bucket, String key) {
        // the envelope as readers see it: a streamed SSE-S3 write's ETag comes from the catalog
        return objects.stat(bucket, key).chain(r -> envelopes.load(bucket, key, r.headers())
                .onFailure().recoverWithItem(() -> asStored(r.headers())).map(env -> {
            String backend = JobSpec.unquote(String.valueOf(r.headers().get("etag")));
            String etag = env.map(Envelope::plaintextEtag).filter(e -> e != null).map(JobSpec::unquote).orElse(backend);
            return Optional.of(new Head(backend, etag, env));
        })).onFailure(BackendException.Rejected.class)
                .recoverWithUni(e -> ((BackendException.Rejected) e).status() == 404
                        ? Uni.createFrom().item(Optional.<Head>empty()) : Uni.createFrom().failure(e));
    }
}
