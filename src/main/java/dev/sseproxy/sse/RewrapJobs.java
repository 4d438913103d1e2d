package dev.sseproxy.sse;

import dev.sseproxy.backend.BackendCall;
import dev.sseproxy.backend.BackendException;
import dev.sseproxy.backend.BackendXml;
import dev.sseproxy.backend.MinioXml;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.bucketkey.BucketKeyCache;
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
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * <p>A job walks the buckets in name order and each bucket's keys in order, 100 objects a page,
 * and saves its progress (done / total and the last key) in PostgreSQL after every page; a job that
 * was running when the proxy stopped resumes from there at the next start. KMS calls go through the
 * same port as the data path, so the KMS rate limiter paces them.
 */
@ApplicationScoped
public class RewrapJobs {
    private static final Logger LOG = Logger.getLogger(RewrapJobs.class);
    private static final int PAGE = 100;

    /** A job's progress. */
    public record Job(long id, String bucket, String state, long total, long done, long rewrapped, String error) {
    }

    private final Pool pool;
    private final ObjectStore store;
    private final KmsClient kms;
    private final KeyRegistry registry;
    private final BucketKeyCache bucketKeys;
    private final KeyRef sseS3Key;

    private final io.vertx.core.Vertx vertx;

    public RewrapJobs(Pool pool, ObjectStore store, KmsClient kms, KeyRegistry registry, BucketKeyCache bucketKeys,
            SseProxyConfig config, io.vertx.core.Vertx vertx) {
        this.vertx = vertx;
        this.pool = pool;
        this.store = store;
        this.kms = kms;
        this.registry = registry;
        this.bucketKeys = bucketKeys;
        this.sseS3Key = KeyRef.of(config.kms().sseS3KeyName());
    }

    /** Resumes the jobs a stopped proxy left running. */
    void resume(@Observes StartupEvent start) {
        pool.preparedQuery("SELECT id FROM rewrap_job WHERE state = 'RUNNING' ORDER BY id").execute()
                .subscribe().with(rows -> rows.forEach(r -> {
                    LOG.infof("resuming rewrap job %d", r.getLong(0));
                    run(r.getLong(0));
                }), e -> LOG.warnf("cannot list rewrap jobs to resume: %s", e.getMessage()));
    }

    /** Adds a new version to the proxy's SSE-S3 key (or a KMS key's backend key); new objects use it at once. */
    public Uni<Integer> rotate(KeyRef key) {
        return kms.rotateKey(key.name()).invoke(i -> bucketKeys.invalidateAll()).map(i -> i.latestVersion());
    }

    /** The proxy's own SSE-S3 key. */
    public KeyRef sseS3Key() {
        return sseS3Key;
    }

    /** Starts a job over one bucket, or every bucket when empty. */
    public Uni<Job> start(Optional<String> bucket) {
        return pool.preparedQuery("INSERT INTO rewrap_job (bucket, state) VALUES ($1, 'RUNNING') RETURNING id")
                .execute(Tuple.of(bucket.orElse(null))).map(rows -> rows.iterator().next().getLong(0))
                .invoke(this::run).chain(this::find).map(Optional::orElseThrow);
    }

    public Uni<Optional<Job>> find(long id) {
        return pool.preparedQuery("SELECT id, bucket, state, total, done, rewrapped, error FROM rewrap_job WHERE id = $1")
                .execute(Tuple.of(id)).map(rows -> {
                    for (Row r : rows) {
                        return Optional.of(new Job(r.getLong(0), r.getString(1), r.getString(2), r.getLong(3),
                                r.getLong(4), r.getLong(5), r.getString(6)));
                    }
                    return Optional.empty();
                });
    }

    /** Runs a job on a fresh duplicated Vert.x context, as a request would (Hibernate Reactive needs one). */
    private void run(long id) {
        io.vertx.core.Context ctx = io.smallrye.common.vertx.VertxContext.createNewDuplicatedContext(
                vertx.getOrCreateContext());
        ctx.runOnContext(v -> {
            io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle.setCurrentContextSafe(true);
            runHere(id);
        });
    }

    private void runHere(long id) {
        pool.preparedQuery("SELECT bucket, cursor_bucket, cursor_key, total FROM rewrap_job WHERE id = $1")
                .execute(Tuple.of(id)).chain(rows -> {
                    Row r = rows.iterator().next();
                    Optional<String> only = Optional.ofNullable(r.getString(0));
                    String cursorBucket = r.getString(1);
                    String cursorKey = r.getString(2);
                    long total = r.getLong(3);
                    return buckets(only).chain(all -> (total == 0 ? count(all).chain(n -> pool.preparedQuery(
                            "UPDATE rewrap_job SET total = $2 WHERE id = $1").execute(Tuple.of(id, n)).replaceWithVoid())
                            : Uni.createFrom().voidItem()).chain(v -> walk(id, all, cursorBucket, cursorKey)));
                })
                .chain(v -> pool.preparedQuery("UPDATE rewrap_job SET state = 'DONE', updated_at = now() WHERE id = $1")
                        .execute(Tuple.of(id)).replaceWithVoid())
                .subscribe().with(v -> LOG.infof("rewrap job %d done", id), e -> {
                    LOG.errorf(e, "rewrap job %d failed", id);
                    pool.preparedQuery("UPDATE rewrap_job SET state = 'FAILED', error = $2, updated_at = now() WHERE id = $1")
                            .execute(Tuple.of(id, String.valueOf(e.getMessage()))).subscribe().with(x -> { }, x -> { });
                });
    }

    private Uni<List<String>> buckets(Optional<String> only) {
        if (only.isPresent()) {
            return Uni.createFrom().item(List.of(only.get()));
        }
        return pool.preparedQuery("SELECT name FROM bucket ORDER BY name").execute().map(rows -> {
            List<String> names = new ArrayList<>();
            rows.forEach(r -> names.add(r.getString(0)));
            return names;
        });
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
        BackendCall call = BackendCall.of("GET", bucket, null).query("list-type", "2").query("max-keys",
                Integer.toString(PAGE));
        if (after != null) {
            call.query("start-after", after);
        }
        return store.exchange(call).map(reply -> {
            try {
                return MinioXml.read(reply.body().getBytes(), BackendXml.ListBucketResult.class);
            } catch (IOException e) {
                throw new IllegalStateException("backend listing unreadable", e);
            }
        });
    }

    private Uni<Void> walk(long id, List<String> buckets, String cursorBucket, String cursorKey) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String b : buckets) {
            if (cursorBucket != null && b.compareTo(cursorBucket) < 0) {
                continue;
            }
            String after = b.equals(cursorBucket) ? cursorKey : null;
            chain = chain.chain(v -> walkBucket(id, b, after));
        }
        return chain;
    }

    private Uni<Void> walkBucket(long id, String bucket, String after) {
        return page(bucket, after).chain(p -> {
            Uni<Long> rewrapped = Multi.createFrom().iterable(p.contents)
                    .onItem().transformToUniAndConcatenate(c -> rewrapOne(bucket, c.key))
                    .collect().asList().map(l -> l.stream().filter(Boolean::booleanValue).count());
            return rewrapped.chain(n -> {
                String last = p.contents.isEmpty() ? after : p.contents.get(p.contents.size() - 1).key;
                return pool.preparedQuery("UPDATE rewrap_job SET done = done + $2, rewrapped = rewrapped + $3, "
                        + "cursor_bucket = $4, cursor_key = $5, updated_at = now() WHERE id = $1")
                        .execute(Tuple.from(new Object[] {id, (long) p.contents.size(), n, bucket, last}))
                        .chain(x -> p.truncated && !p.contents.isEmpty() ? walkBucket(id, bucket, last)
                                : Uni.createFrom().voidItem());
            });
        });
    }

    /** Re-wraps one object's stored key when it is below its KMS key's latest version; true if it did. */
    Uni<Boolean> rewrapOne(String bucket, String key) {
        return store.exchange(BackendCall.of("HEAD", bucket, key)).chain(head -> {
            Optional<Envelope> env = StoredEnvelopes.fromHeaders(head.headers());
            if (env.isEmpty() || env.get().wrappingScheme() == null
                    || env.get().wrappingScheme() == WrappingScheme.SSE_C_DERIVED) {
                return Uni.createFrom().item(false);
            }
            Envelope e = env.get();
            ObjectIdentity id = new ObjectIdentity(bucket, key);
            return keyOf(e).chain(ref -> kms.keyInfo(ref.name()).chain(info -> {
                int version = e.kmsKeyVersion() == null ? 0 : e.kmsKeyVersion();
                if (version >= info.latestVersion()) {
                    return Uni.createFrom().item(false);
                }
                Uni<Envelope> rewrapped = e.wrappingScheme() == WrappingScheme.BUCKET_KEY
                        ? kms.rewrap(ref, e.wrappedBucketKey(), ObjectKeys.bucketContext(bucket)).map(w -> e.toBuilder()
                                .wrappedBucketKey(w.ciphertext()).bucketKeyId(ObjectKeys.bucketKeyId(w.ciphertext()))
                                .kmsKeyVersion(w.keyVersion()).build())
                        : kms.rewrap(ref, e.wrappedObjectKey(), ObjectKeys.objectContext(id, ObjectKeys.userContext(e)))
                                .map((Wrapped w) -> e.toBuilder().wrappedObjectKey(w.ciphertext())
                                        .kmsKeyVersion(w.keyVersion()).build());
                return rewrapped.chain(ne -> StoredEnvelopes.restamp(store, bucket, key, head.headers().get("etag"), head.headers(),
                        ne.toMetadata())).map(x -> true);
            }));
        }).onFailure(dev.sseproxy.kms.KmsException.Throttled.class).retry()
                .withBackOff(java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(5)).atMost(50)
                .onFailure(BackendException.Rejected.class).recoverWithItem(false);
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
