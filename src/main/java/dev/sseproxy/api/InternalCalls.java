package dev.sseproxy.api;

import dev.sseproxy.authz.MalformedPolicyException;
import dev.sseproxy.authz.Policy;
import dev.sseproxy.authz.Principal;
import dev.sseproxy.catalog.Bucket;
import dev.sseproxy.catalog.BucketCatalog;
import dev.sseproxy.crypto.SseMode;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.observability.CompletedRequest;
import dev.sseproxy.observability.RequestGate;
import dev.sseproxy.observability.RequestListener;
import dev.sseproxy.sse.EncryptionPolicy;
import dev.sseproxy.sse.InternalWrites.Actor;
import dev.sseproxy.sse.InternalWrites.Encryption;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * What every {@link InternalObjectWrites} call shares, whichever write it makes: running as one request
 * (a fresh duplicated Vert.x context, an admission place at the {@link RequestGate}, failures as S3
 * errors, the CloudTrail event through the {@link RequestListener}s), the bucket and its owner, the
 * actor's identity policies and {@code aws:userid}, the condition keys every internal request sets, and
 * the request headers an {@link Encryption} stands for.
 */
@ApplicationScoped
class InternalCalls {
    private static final Logger LOG = Logger.getLogger(InternalCalls.class);

    private final BucketCatalog buckets;
    private final Vertx vertx;
    private final List<RequestListener> listeners;
    private final RequestGate gate;
    private final dev.sseproxy.catalog.IamCatalog iam;
    /** IAM users' unique ids ({@code AIDA...}) by ARN: {@code aws:userid} and CloudTrail's principalId. */
    private final com.github.benmanes.caffeine.cache.Cache<String, String> userIds = com.github.benmanes.caffeine.cache
            .Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(java.time.Duration.ofMinutes(1)).build();

    InternalCalls(BucketCatalog buckets, Vertx vertx, Instance<RequestListener> listeners, Instance<RequestGate> gates,
            dev.sseproxy.catalog.IamCatalog iam) {
        this.buckets = buckets;
        this.vertx = vertx;
        this.listeners = listeners.stream().toList();
        this.gate = gates.isResolvable() ? gates.get() : null;
        this.iam = iam;
    }

    /**
     * An IAM user actor's unique id, as a client request of that user carries it: {@code aws:userid} for
     * the policies and the principalId of its CloudTrail identity (a root has none to look up).
     */
    Uni<Void> userId(Actor actor, InternalCallRecord rec, Map<String, List<String>> keys) {
        Principal p = actor.principal();
        if (p.userName() == null) {
            return Uni.createFrom().voidItem();
        }
        String known = userIds.getIfPresent(p.arn());
        Uni<String> id = known != null ? Uni.createFrom().item(known)
                : io.quarkus.hibernate.reactive.panache.Panache.withSession(() -> iam.user(p.accountId(), p.userName()))
                        .map(u -> u.map(dev.sseproxy.catalog.IamUser::userId).orElse(null))
                        .invoke(v -> {
                            if (v != null) {
                                userIds.put(p.arn(), v);
                            }
                        });
        return id.invoke(v -> {
            rec.userId = v;
            RequestConditions.put(keys, "aws:userid", v);
        }).replaceWithVoid();
    }

    Uni<Bucket> bucket(String name, InternalCallRecord rec) {
        return buckets.find(name).map(b -> {
            Bucket found = b.orElseThrow(() -> S3Exception.noSuchBucket(name));
            rec.bucketOwner = found.ownerId();
            return found;
        });
    }

    /** The actor's identity policies, parsed (a root has none; a document that no longer parses denies nothing, so fails). */
    static List<Policy> identityPolicies(Actor actor) {
        if (actor.principal() == null || actor.principal().isAnonymous() || actor.principal().isService()) {
            throw S3Exception.accessDenied();
        }
        List<Policy> out = new ArrayList<>();
        for (String json : actor.identityPolicies() == null ? List.<String>of() : actor.identityPolicies()) {
            try {
                out.add(Policy.identityPolicy(json));
            } catch (MalformedPolicyException e) {
                LOG.warnf("an identity policy of %s does not parse (%s): the call is denied", actor.principal().arn(),
                        e.getMessage());
                throw S3Exception.accessDenied();
            }
        }
        return out;
    }

    /** The keys every internal request sets (TLS: the proxy's own calls never cross a network in clear). */
    static Map<String, List<String>> baseKeys(String userAgent) {
        Map<String, List<String>> m = new HashMap<>();
        RequestConditions.put(m, "aws:SecureTransport", "true");
        RequestConditions.put(m, "aws:UserAgent", userAgent);
        return m;
    }

    /** The request headers {@code e} stands for ({@link EncryptionPolicy#decide} reads them). */
    static Function<String, String> encryptionHeaders(Encryption e) {
        Map<String, String> h = new HashMap<>();
        Encryption enc = e == null ? Encryption.bucketDefault() : e;
        if (enc.mode().isPresent()) {
            SseMode mode = enc.mode().get();
            if (mode == SseMode.SSE_C) {
                throw S3Exception.invalidRequest(InternalObjectWrites.SSE_C_WITHOUT_KEY);
            }
            h.put(EncryptionPolicy.S, mode.headerValue().orElseThrow());
            enc.kmsKeyId().ifPresent(k -> h.put(EncryptionPolicy.K, k));
            enc.bucketKey().ifPresent(b -> h.put(EncryptionPolicy.B, Boolean.toString(b)));
        } else if (enc.kmsKeyId().isPresent()) {
            h.put(EncryptionPolicy.K, enc.kmsKeyId().get()); // refused by decide(), as S3 refuses a key id alone
        }
        return h::get;
    }

    /**
     * Runs {@code work} as one request: on its own duplicated context, after an admission place, its
     * failures as S3 errors, and its CloudTrail event (and metrics) through the request listeners.
     */
    <T> Uni<T> run(InternalCallRecord rec, Supplier<Uni<T>> work) {
        Uni<T> call = Uni.createFrom().voidItem()
                .chain(() -> gate == null ? Uni.createFrom().voidItem() : gate.admit())
                .chain(() -> Uni.createFrom().<T>deferred(() -> work.get())
                        .onFailure().transform(t -> ErrorTranslator.translate(t, rec.requestId))
                        .onItemOrFailure().invoke((item, failure) -> completed(rec, (S3Exception) failure)));
        return Uni.createFrom().emitter(em -> {
            // an event loop's context (the reactive SQL client and Hibernate Reactive need one), even when
            // called from a worker thread
            io.vertx.core.Context current = Vertx.currentContext();
            io.vertx.core.Context base = current != null && current.isEventLoopContext() ? current
                    : ((io.vertx.core.impl.VertxInternal) vertx).createEventLoopContext();
            io.vertx.core.Context ctx = VertxContext.createNewDuplicatedContext(base);
            ctx.runOnContext(v -> {
                VertxContextSafetyToggle.setCurrentContextSafe(true);
                call.subscribe().with(em::complete, em::fail);
            });
        });
    }

    private void completed(InternalCallRecord rec, S3Exception error) {
        CompletedRequest done = rec.toCompleted(error);
        for (RequestListener l : listeners) {
            try {
                l.completed(done);
            } catch (RuntimeException e) {
                LOG.errorf(e, "request listener %s failed on %s", l.getClass().getSimpleName(), rec.requestId);
            }
        }
    }
}
