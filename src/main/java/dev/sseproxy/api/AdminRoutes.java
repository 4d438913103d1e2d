package dev.sseproxy.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.sseproxy.auth.AuthException;
import dev.sseproxy.auth.AuthInfo;
import dev.sseproxy.auth.SigV4;
import dev.sseproxy.auth.SigV4Verifier;
import dev.sseproxy.auth.SignedRequest;
import dev.sseproxy.catalog.AccountService;
import dev.sseproxy.catalog.CatalogException;
import dev.sseproxy.config.SseProxyConfig;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.kms.KmsRateLimiter;
import dev.sseproxy.kms.registry.KeyRegistry;
import dev.sseproxy.kms.registry.KeyRegistryException;
import dev.sseproxy.kms.registry.KmsAction;
import dev.sseproxy.coverage.BucketAdoption;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.quarkus.vertx.http.ManagementInterface;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The admin API on the management port: accounts and access keys, JSON in and out. Every call must
 * be SigV4-signed by the root account's key, e.g.
 * {@code curl --aws-sigv4 "aws:amz:us-east-1:s3" --user "$AK:$SK" http://127.0.0.1:9090/admin/accounts}.
 * The body must be signed: {@code x-amz-content-sha256} absent (the body's hash is then what was signed, as
 * curl signs it) or the body's hex SHA-256; {@code UNSIGNED-PAYLOAD} and streaming modes are refused with
 * 400 {@code {"code":"InvalidRequest","error":"…"}}. Errors are {@code {"error":"…"}}, with a {@code code}
 * for authentication and KMS failures.
 * <ul>
 * <li>{@code GET /admin/accounts} — list accounts</li>
 * <li>{@code POST /admin/accounts} {@code {"name":"team-a"}} — create an account</li>
 * <li>{@code POST /admin/accounts/{id}/keys} — create an access key (the secret is shown once)</li>
 * <li>{@code DELETE /admin/keys/{accessKeyId}} — delete an access key</li>
 * <li>{@code POST /admin/buckets/{name}/adopt} {@code {"account":"<id>"}} — hands a bucket that exists
 *     at the backend but not in the catalog (made at MinIO directly, or by another installation) to
 *     that account; answers {@code {"bucket":…,"account":…,"objects":n,"encrypted":n,"notEncrypted":n}}
 *     (objects without an envelope stay plaintext and are served as they are). 404 when the account
 *     or the backend bucket does not exist, 409 when the catalog already has the name. CreateBucket
 *     never adopts: it answers such a name 409 BucketAlreadyExists.</li>
 * <li>{@code GET /admin/kms/resolve?account=…&keyId=…&action=GenerateDataKey|Encrypt|Decrypt} — which KMS
 *     key a request of that account naming that key (none: {@code aws/s3}) would use, or the S3 error
 *     it would get ({@code {"code":"KMS.DisabledException","error":"…"}} with S3's status). Creates the
 *     account's {@code aws/s3} key on first use, as a real request would.</li>
 * <li>{@code POST /admin/kms/rotate} {@code {"keyId":"<key ARN>"}} or {@code {"sseS3":true}} — adds a
 *     version to that KMS key (or the proxy's SSE-S3 key); new objects use it at once</li>
 * <li>{@code POST /admin/kms/rewrap} {@code {"bucket":"b"}} (no bucket: all) — starts a rewrap job that
 *     re-wraps stored keys under the latest versions; {@code GET /admin/kms/rewrap/{id}} — its progress
 *     ({@code state}, {@code done} / {@code total}, {@code rewrapped})</li>
 * <li>{@code GET /admin/cluster/leases} — which node holds which background-job lease: {@code {"node":
 *     "<this node's id>","leaseDurationMillis":15000,"leases":[{"name":"audit-delivery","holder":"…",
 *     "token":3,"acquiredAt":…,"renewedAt":…,"expiresAt":…,"live":true}]}} (cluster package documentation)</li>
 * <li>{@code GET /admin/kms/rate-limit} — the KMS rate limiter's settings: {@code {"enabled":true,
 *     "globalRate":5000.0,"globalBurst":5000,"accountRate":2500.0,"accountBurst":2500,"maxWaitMillis":5.0}}</li>
 * <li>{@code PUT /admin/kms/rate-limit} with any of those fields — changes them at once (fields left out
 *     keep their value); answers the new settings</li>
 * </ul>
 */
@ApplicationScoped
public class AdminRoutes {
    /** With java.time support: accounts carry an Instant (createdAt), written as ISO-8601. */
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final AccountService accounts;
    private final KeyRegistry keys;
    private final KmsRateLimiter kmsLimiter;
    private final SigV4Verifier verifier;
    private final String rootAccount;

    private final dev.sseproxy.sse.RewrapJobs rewrap;
    private final BucketAdoption adoption;
    private final dev.sseproxy.cluster.ChangeFeed changes;
    private final dev.sseproxy.cluster.Leases leases;

    public AdminRoutes(AccountService accounts, KeyRegistry keys, KmsRateLimiter kmsLimiter, SseProxyConfig config,
            dev.sseproxy.sse.RewrapJobs rewrap, BucketAdoption adoption, dev.sseproxy.cluster.ChangeFeed changes,
            dev.sseproxy.cluster.Leases leases) {
        this.changes = changes;
        this.leases = leases;
        this.rewrap = rewrap;
        this.adoption = adoption;
        this.accounts = accounts;
        this.keys = keys;
        this.kmsLimiter = kmsLimiter;
        this.verifier = new SigV4Verifier(Clock.systemUTC(), config.region());
        this.rootAccount = config.root().accountId();
    }

    /** A rotation drops every node's bucket keys: this node's in {@code rotate}, the others' through the change feed. */
    private Uni<Integer> rotated(Uni<Integer> rotation) {
        return rotation.call(v -> changes.publish(dev.sseproxy.cluster.Change.BUCKET_KEYS));
    }

    void init(@Observes ManagementInterface mi) {
        mi.router().route("/admin/*").handler(BodyHandler.create().setBodyLimit(64 * 1024));
        mi.router().get("/admin/accounts").handler(rc -> run(rc, () -> accounts.listAccounts().map(l -> l)));
        mi.router().post("/admin/accounts").handler(rc -> run(rc, () -> {
            JsonNode body = json(rc);
            String name = body.path("name").asText("");
            if (!name.matches("[A-Za-z0-9_.-]{1,64}")) {
                return Uni.createFrom().failure(new IllegalArgumentException("name must be 1-64 of [A-Za-z0-9_.-]"));
            }
            return accounts.createAccount(name).map(a -> a);
        }));
        mi.router().post("/admin/accounts/:id/keys").handler(rc -> run(rc,
                () -> accounts.createAccessKey(rc.pathParam("id")).map(c -> Map.of("accessKeyId", c.accessKeyId(),
                        "secretAccessKey", c.secretKey(), "accountId", c.accountId()))));
        mi.router().delete("/admin/keys/:akid").handler(rc -> run(rc,
                () -> accounts.deleteAccessKey(rc.pathParam("akid")).map(v -> Map.of("deleted", rc.pathParam("akid")))));
        mi.router().post("/admin/buckets/:name/adopt").handler(rc -> run(rc, () -> adopt(rc)));
        mi.router().get("/admin/kms/resolve").handler(rc -> run(rc, () -> resolve(rc)));
        mi.router().post("/admin/kms/rotate").handler(rc -> run(rc, () -> {
            JsonNode body = json(rc);
            if (body.path("sseS3").asBoolean(false)) {
                return rotated(rewrap.rotate(rewrap.sseS3Key())).map(v -> Map.of("key", "sse-s3", "latestVersion", v));
            }
            String arn = body.path("keyId").asText("");
            String[] fields = arn.split(":", -1);
            if (!arn.startsWith("arn:aws:kms:") || fields.length < 6 || fields[4].isEmpty()) {
                return Uni.createFrom().failure(new IllegalArgumentException("keyId must be a key ARN, or sseS3 true"));
            }
            return keys.resolve(arn, fields[4], KmsAction.ENCRYPT)
                    .chain(k -> rotated(rewrap.rotate(k.backendKey())).map(v -> Map.of("key", k.arn(), "latestVersion", v)));
        }));
        mi.router().post("/admin/kms/rewrap").handler(rc -> run(rc, () -> {
            String bucket = json(rc).path("bucket").asText("");
            return rewrap.start(bucket.isEmpty() ? Optional.empty() : Optional.of(bucket)).map(j -> j);
        }));
        mi.router().get("/admin/kms/rewrap/:id").handler(rc -> run(rc, () -> {
            long id;
            try {
                id = Long.parseLong(rc.pathParam("id"));
            } catch (NumberFormatException e) {
                return Uni.createFrom().failure(new IllegalArgumentException("job id must be a number"));
            }
            return rewrap.find(id).map(j -> j.orElseThrow(() -> new dev.sseproxy.catalog.CatalogException.NotFound(
                    "no rewrap job " + id)));
        }));
        mi.router().get("/admin/cluster/leases").handler(rc -> run(rc, () -> leases.list().map(rows -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("node", leases.node());
            m.put("leaseDurationMillis", leases.duration().toMillis());
            m.put("leases", rows);
            return m;
        })));
        mi.router().get("/admin/kms/rate-limit").handler(rc -> run(rc,
                () -> Uni.createFrom().item(rateLimitJson(kmsLimiter.settings()))));
        mi.router().put("/admin/kms/rate-limit").handler(rc -> run(rc, () -> Uni.createFrom().item(() -> {
            kmsLimiter.update(rateLimit(json(rc), kmsLimiter.settings()));
            return rateLimitJson(kmsLimiter.settings());
        })));
    }

    private Uni<Object> adopt(RoutingContext rc) {
        String bucket = rc.pathParam("name");
        BucketOperations.CreateBucket.checkName(bucket);
        String account = json(rc).path("account").asText("");
        if (!account.matches("\\d{12}")) {
            return Uni.createFrom().failure(new IllegalArgumentException("account must be a 12-digit account id"));
        }
        return adoption.adopt(bucket, account).map(a -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("bucket", a.bucket());
            m.put("account", a.account());
            m.put("objects", a.objects());
            m.put("encrypted", a.encrypted());
            m.put("notEncrypted", a.notEncrypted());
            return m;
        });
    }

    private static Object rateLimitJson(KmsRateLimiter.Settings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", s.enabled());
        m.put("globalRate", s.globalRate());
        m.put("globalBurst", s.globalBurst());
        m.put("accountRate", s.accountRate());
        m.put("accountBurst", s.accountBurst());
        m.put("maxWaitMillis", s.maxWait().toNanos() / 1e6);
        return m;
    }

    /** The current settings with the body's fields applied; a field of the wrong type is a 400. */
    private static KmsRateLimiter.Settings rateLimit(JsonNode b, KmsRateLimiter.Settings s) {
        for (String f : List.of("globalRate", "globalBurst", "accountRate", "accountBurst", "maxWaitMillis")) {
            if (b.has(f) && !b.get(f).isNumber()) {
                throw new IllegalArgumentException(f + " must be a number");
            }
        }
        if (b.has("enabled") && !b.get("enabled").isBoolean()) {
            throw new IllegalArgumentException("enabled must be true or false");
        }
        double waitMs = b.path("maxWaitMillis").asDouble(s.maxWait().toNanos() / 1e6);
        return new KmsRateLimiter.Settings(b.path("enabled").asBoolean(s.enabled()),
                b.path("globalRate").asDouble(s.globalRate()), b.path("globalBurst").asInt(s.globalBurst()),
                b.path("accountRate").asDouble(s.accountRate()), b.path("accountBurst").asInt(s.accountBurst()),
                java.time.Duration.ofNanos((long) (waitMs * 1e6)));
    }

    private Uni<Object> resolve(RoutingContext rc) {
        String account = rc.queryParams().get("account");
        KmsAction action = java.util.Arrays.stream(KmsAction.values())
                .filter(a -> a.iamName().equals("kms:" + rc.queryParams().get("action"))).findFirst().orElse(null);
        if (account == null || action == null) {
            return Uni.createFrom().failure(new IllegalArgumentException(
                    "account and action (GenerateDataKey, Encrypt or Decrypt) are required"));
        }
        return keys.resolve(rc.queryParams().get("keyId"), account, action).map(k -> Map.of("keyId",
                k.keyId().toString(), "arn", k.arn(), "accountId", k.accountId(), "keyManager", k.keyManager().name()));
    }

    /** Runs {@code action} for a root-signed request and answers its result as JSON (201 for a POST); also for the other admin route classes in this package. */
    void run(RoutingContext rc, java.util.function.Supplier<Uni<Object>> action) {
        VertxContextSafetyToggle.setCurrentContextSafe(true);
        authenticate(rc).onItem().transformToUni(v -> action.get()).subscribe().with(
                result -> send(rc, rc.request().method() == HttpMethod.POST ? 201 : 200, result),
                err -> send(rc, status(err), errorBody(err)));
    }

    private Uni<Void> authenticate(RoutingContext rc) {
        Map<String, List<String>> headers = new HashMap<>();
        rc.request().headers().forEach(e -> headers.computeIfAbsent(e.getKey().toLowerCase(), k -> new ArrayList<>())
                .add(e.getValue()));
        SignedRequest sr = new SignedRequest(rc.request().method().name(), rc.request().path(), rc.request().query(), headers);
        // curl --aws-sigv4 signs the body's hash without sending x-amz-content-sha256, as JSON services do
        byte[] sha256 = SigV4.sha256(rc.body().buffer() == null ? new byte[0] : rc.body().buffer().getBytes());
        Optional<AuthInfo> info;
        try {
            info = SigV4Verifier.parse(sr, SigV4.hex(sha256));
        } catch (AuthException e) {
            return Uni.createFrom().failure(e);
        }
        if (info.isEmpty()) {
            return Uni.createFrom().failure(new AuthException(AuthException.Kind.ACCESS_DENIED));
        }
        try {
            info.get().requireSignedPayload("admin");
        } catch (AuthException e) {
            return Uni.createFrom().failure(e);
        }
        return accounts.credential(info.get().accessKeyId()).map(c -> {
            var cred = c.orElseThrow(() -> new AuthException(AuthException.Kind.INVALID_ACCESS_KEY_ID));
            verifier.verify(sr, info.get(), cred.secretKey());
            info.get().checkPayloadSha256(sha256);
            // the root account's own keys only: its IAM users are not operators
            if (!rootAccount.equals(cred.accountId()) || !cred.isRoot()) {
                throw new AuthException(AuthException.Kind.ACCESS_DENIED);
            }
            return null;
        });
    }

    static JsonNode json(RoutingContext rc) {
        try {
            return rc.body().length() <= 0 ? JSON.createObjectNode() : JSON.readTree(rc.body().asString());
        } catch (Exception e) {
            throw new IllegalArgumentException("body is not JSON");
        }
    }

    private static Map<String, String> errorBody(Throwable err) {
        if (err instanceof KeyRegistryException || err instanceof S3Exception) {
            S3Exception s3 = ErrorTranslator.translate(err, "admin");
            return Map.of("code", s3.code().code(), "error", s3.getMessage());
        }
        if (err instanceof AuthException a) {
            return Map.of("code", a.kind().s3Code(), "error", a.getMessage());
        }
        if (err instanceof CatalogException.BucketTaken || err instanceof CatalogException.BucketOwnedByYou) {
            return Map.of("code", "BucketAlreadyInCatalog", "error", "bucket " + err.getMessage()
                    + " is already in the catalog (owned by an account)");
        }
        if (err instanceof CatalogException.NotFound) {
            return Map.of("code", "NotFound", "error", "no such " + err.getMessage());
        }
        return Map.of("error", String.valueOf(err.getMessage()));
    }

    private static int status(Throwable err) {
        if (err instanceof KeyRegistryException) {
            return ErrorTranslator.translate(err, "admin").code().status();
        }
        if (err instanceof AuthException a) {
            return a.kind().httpStatus();
        }
        if (err instanceof CatalogException.NotFound) {
            return 404;
        }
        if (err instanceof CatalogException.BucketTaken || err instanceof CatalogException.BucketOwnedByYou) {
            return 409;
        }
        if (err instanceof S3Exception s3) {
            return s3.code().status();
        }
        return err instanceof IllegalArgumentException ? 400 : 500;
    }

    private static void send(RoutingContext rc, int status, Object body) {
        try {
            rc.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(JSON.writeValueAsString(body));
        } catch (Exception e) {
            rc.response().setStatusCode(500).end();
        }
    }
}
