package dev.sseproxy.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sseproxy.authz.Principal;
import dev.sseproxy.catalog.BucketCatalog;
import dev.sseproxy.catalog.IamCatalog;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.sse.InternalWrites;
import dev.sseproxy.crypto.SseMode;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.http.ManagementInterface;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Operator (and test) access to {@link InternalWrites} on the management port, root-signed like every
 * {@code /admin} call ({@link AdminRoutes}):
 * <ul>
 *   <li>{@code POST /admin/internal/copy-in-place} {@code {"bucket":"b","key":"k","expectedEtag":"…",
 *       "sse":"aws:kms","kmsKeyId":"…","bucketKey":true,"account":"<id>","user":"<IAM user>",
 *       "invokedBy":"…"}}: re-encrypts one object in place (S3 Batch Operations' copy), acting as the
 *       account's root (default: the bucket owner's) or as that account's IAM user with its identity
 *       policies; no {@code sse}: the bucket's default encryption. Answers {@code {"etag":…,"backendEtag":…,
 *       "sse":…,"kmsKeyArn":…,"bucketKey":…}}, or the S3 error ({@code {"code":"PreconditionFailed",…}}
 *       with S3's status).</li>
 *   <li>{@code POST /admin/internal/tagging} {@code {"bucket","key","account","user","tags":{"k":"v"}}}:
 *       replaces the object's tags (S3ReplaceObjectTagging).</li>
 *   <li>{@code POST /admin/internal/service-object} {@code {"service":"s3.amazonaws.com","sourceAccount",
 *       "sourceArn","ownerMayWrite":false,"bucket","key","body":"text","contentType","sse","kmsKeyId"}}:
 *       writes an object as that AWS service principal (as an inventory report is delivered).</li>
 * </ul>
 * <b>Test hook</b>, only when the proxy runs with the environment variable
 * {@code SSE_PROXY_INTERNAL_WRITES_TEST_HOOKS=true} (never in production): {@code copy-in-place} accepts
 * {@code "pause":"<name>"}, which holds the copy after it has read the object and before its
 * conditional write until {@code POST /admin/internal/pauses/<name>/release};
 * {@code GET /admin/internal/pauses} lists the pauses reached ({@code {"reached":["<name>"]}}). A test
 * replaces the object in between to see the copy refuse to overwrite it, deterministically.
 */
@ApplicationScoped
public class InternalWritesRoutes {
    static final String TEST_HOOKS = "SSE_PROXY_INTERNAL_WRITES_TEST_HOOKS";
    private final AdminRoutes admin;
    private final InternalObjectWrites writes;
    private final BucketCatalog buckets;
    private final IamCatalog iam;
    private final boolean testHooks;
    private final Map<String, Pause> pauses = new ConcurrentHashMap<>();

    public InternalWritesRoutes(AdminRoutes admin, InternalObjectWrites writes, BucketCatalog buckets, IamCatalog iam) {
        this.admin = admin;
        this.writes = writes;
        this.buckets = buckets;
        this.iam = iam;
        this.testHooks = "true".equalsIgnoreCase(System.getenv(TEST_HOOKS));
    }

    void init(@Observes ManagementInterface mi) {
        // (AdminRoutes' body handler may be registered after these routes: this one reads the body first)
        mi.router().route("/admin/internal/*").handler(io.vertx.ext.web.handler.BodyHandler.create().setBodyLimit(64 * 1024));
        mi.router().post("/admin/internal/copy-in-place").handler(rc -> admin.run(rc, () -> copy(rc)));
        mi.router().post("/admin/internal/tagging").handler(rc -> admin.run(rc, () -> tagging(rc)));
        mi.router().post("/admin/internal/service-object").handler(rc -> admin.run(rc, () -> serviceObject(rc)));
        if (testHooks) {
            mi.router().get("/admin/internal/pauses").handler(rc -> admin.run(rc, () -> Uni.createFrom().item(
                    Map.of("reached", pauses.entrySet().stream().filter(e -> e.getValue().reached).map(Map.Entry::getKey)
                            .sorted().toList()))));
            mi.router().post("/admin/internal/pauses/:name/release").handler(rc -> admin.run(rc, () -> {
                Pause p = pauses.remove(rc.pathParam("name"));
                if (p == null) {
                    return Uni.createFrom().failure(new IllegalArgumentException("no such pause"));
                }
                p.release.complete(null);
                return Uni.createFrom().item(Map.of("released", rc.pathParam("name")));
            }));
        }
    }

    private Uni<Object> copy(RoutingContext rc) {
        JsonNode b = AdminRoutes.json(rc);
        String bucket = required(b, "bucket");
        String key = required(b, "key");
        String expected = b.hasNonNull("expectedEtag") ? b.get("expectedEtag").asText() : null;
        InternalWrites.Encryption enc = encryption(b);
        java.util.function.Supplier<Uni<Void>> hook = null;
        if (b.hasNonNull("pause")) {
            if (!testHooks) {
                return Uni.createFrom().failure(new IllegalArgumentException("test hooks are off"));
            }
            Pause p = new Pause();
            pauses.put(b.get("pause").asText(), p);
            hook = () -> {
                p.reached = true;
                return Uni.createFrom().completionStage(p.release);
            };
        }
        java.util.function.Supplier<Uni<Void>> beforeWrite = hook;
        return actor(b, bucket).chain(actor -> writes.copyInPlace(actor, bucket, key, expected, enc, beforeWrite))
                .map(InternalWritesRoutes::copied);
    }

    private Uni<Object> tagging(RoutingContext rc) {
        JsonNode b = AdminRoutes.json(rc);
        String bucket = required(b, "bucket");
        String key = required(b, "key");
        List<Map.Entry<String, String>> tags = new ArrayList<>();
        b.path("tags").fields().forEachRemaining(e -> tags.add(Map.entry(e.getKey(), e.getValue().asText())));
        return actor(b, bucket).chain(actor -> writes.replaceTagging(actor, bucket, key, tags))
                .map(v -> Map.of("bucket", bucket, "key", key, "tags", tags.size()));
    }

    private Uni<Object> serviceObject(RoutingContext rc) {
        JsonNode b = AdminRoutes.json(rc);
        byte[] body = b.path("body").asText("").getBytes(StandardCharsets.UTF_8);
        return writes.putServiceObject(b.path("service").asText("s3.amazonaws.com"), text(b, "sourceAccount"),
                text(b, "sourceArn"), b.path("ownerMayWrite").asBoolean(false), required(b, "bucket"), required(b, "key"),
                body, text(b, "contentType"), encryption(b)).map(InternalWritesRoutes::copied);
    }

    /** The acting principal: the named account's root (default: the bucket owner's) or its named IAM user. */
    private Uni<InternalWrites.Actor> actor(JsonNode b, String bucket) {
        String invokedBy = b.hasNonNull("invokedBy") ? b.get("invokedBy").asText() : "batchoperations.s3.amazonaws.com";
        String userAgent = "sse-proxy-admin";
        Uni<String> account = b.hasNonNull("account") ? Uni.createFrom().item(b.get("account").asText())
                : buckets.find(bucket).map(found -> found.orElseThrow(() -> S3Exception.noSuchBucket(bucket)).ownerId());
        return account.chain(acct -> {
            if (!b.hasNonNull("user")) {
                return Uni.createFrom().item(new InternalWrites.Actor(Principal.account(acct), List.of(), invokedBy, userAgent));
            }
            String name = b.get("user").asText();
            return Panache.withSession(() -> iam.user(acct, name).chain(u -> {
                if (u.isEmpty()) {
                    return Uni.createFrom().failure(new IllegalArgumentException("no such user " + name));
                }
                return iam.identity(u.get().userId()).map(id -> new InternalWrites.Actor(
                        Principal.user(acct, u.get().name(), u.get().path()), id.policyDocuments(), invokedBy, userAgent));
            }));
        });
    }

    private static InternalWrites.Encryption encryption(JsonNode b) {
        Optional<SseMode> mode = b.hasNonNull("sse") ? Optional.of(SseMode.fromHeader(b.get("sse").asText())
                .orElseThrow(() -> new IllegalArgumentException("sse must be AES256, aws:kms or aws:kms:dsse")))
                : Optional.empty();
        return new InternalWrites.Encryption(mode, Optional.ofNullable(text(b, "kmsKeyId")),
                b.hasNonNull("bucketKey") ? Optional.of(b.get("bucketKey").asBoolean()) : Optional.empty());
    }

    private static Object copied(InternalWrites.Copied c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("etag", c.etag());
        m.put("backendEtag", c.backendEtag());
        m.put("sse", c.sse() == null || c.sse().mode() == null ? null : c.sse().mode().headerValue().orElse("SSE-C"));
        m.put("kmsKeyArn", c.sse() == null ? null : c.sse().kmsKeyArn().orElse(null));
        m.put("bucketKey", c.sse() != null && c.sse().bucketKey());
        return m;
    }

    private static String required(JsonNode b, String field) {
        String v = text(b, field);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return v;
    }

    private static String text(JsonNode b, String field) {
        return b.hasNonNull(field) ? b.get(field).asText() : null;
    }

    private static final class Pause {
        final java.util.concurrent.CompletableFuture<Void> release = new java.util.concurrent.CompletableFuture<>();
        volatile boolean reached;
    }
}
