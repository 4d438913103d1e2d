package dev.sseproxy.api;

import dev.sseproxy.api.Dispatcher.Route;
import dev.sseproxy.api.Dispatcher.RoutedOperation;
import dev.sseproxy.api.Dispatcher.Scope;
import dev.sseproxy.api.xml.Documents;
import dev.sseproxy.auth.AuthException;
import dev.sseproxy.auth.PostFormAuth;
import dev.sseproxy.auth.PostPolicy;
import dev.sseproxy.backend.BackendCall;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.catalog.AccountService;
import dev.sseproxy.config.SseProxyConfig;
import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * POST Object: the browser-form upload. The form's policy is checked (expiry, every condition,
 * no extra fields) and its SigV4 or legacy SigV2 signature verified before the file is accepted.
 * The file part (which S3 requires to be the last field) is spooled to a temporary file under the
 * data directory, because a form gives no length up front and the backend PUT needs one; memory
 * stays bounded. Fields after the file are ignored, as S3 does.
 */
@ApplicationScoped
class PostObjectOperation implements RoutedOperation, Dispatcher.AnonymousAllowed {
    private final ObjectStore store;
    private final AccountService accounts;
    private final Vertx vertx;
    private final String region;
    private final Path spool;
    private final Clock clock = Clock.systemUTC();

    PostObjectOperation(ObjectStore store, AccountService accounts, Vertx vertx, SseProxyConfig config) {
        this.store = store;
        this.accounts = accounts;
        this.vertx = vertx;
        this.region = config.region();
        try {
            this.spool = Files.createDirectories(Path.of(config.dataDir(), "tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return "PostObject";
    }

    public List<Route> routes() {
        return List.of(new Route(Scope.BUCKET, "POST", ""));
    }

    public Uni<Void> handle(S3Exchange ex) {
        HttpServerRequest req = ex.request();
        String ct = req.getHeader("content-type");
        if (ct == null || !ct.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw S3Exception.of(S3ErrorCode.MALFORMED_POST_REQUEST);
        }
        return Uni.createFrom().<Void>emitter(em -> {
            req.setExpectMultipart(true);
            boolean[] sawFile = {false};
            req.uploadHandler(upload -> {
                if (sawFile[0]) {
                    upload.handler(b -> { }).resume();
                    return;
                }
                sawFile[0] = true;
                upload.pause();
                Map<String, String> fields = fields(req.formAttributes(), ex.bucket());
                // deferred: a form without policy or signature fails while building the Uni, and that
                // failure must reach the emitter (thrown here it would be lost and the request hang)
                Uni.createFrom().deferred(() -> receive(ex, upload, fields)).subscribe().with(em::complete, em::fail);
            });
            req.exceptionHandler(em::fail);
            req.endHandler(v -> {
                if (!sawFile[0]) {
                    em.fail(S3Exception.invalidArgument("POST requires exactly one file upload per request.", "file", "0"));
                }
            });
            req.resume();
        });
    }

    private static Map<String, String> fields(MultiMap form, String bucket) {
        Map<String, String> f = new HashMap<>();
        form.forEach(e -> f.putIfAbsent(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
        f.put("bucket", bucket);
        return f;
    }

    private Uni<Void> receive(S3Exchange ex, HttpServerFileUpload upload, Map<String, String> fields) {
        PostFormAuth auth = PostFormAuth.parse(fields).orElseThrow(S3Exception::accessDenied);
        return accounts.credential(auth.accessKeyId()).chain(c -> {
            var cred = c.orElseThrow(() -> new AuthException(AuthException.Kind.INVALID_ACCESS_KEY_ID));
            auth.verify(cred.secretKey(), region);
            if (!ex.bucketRecord().ownerId().equals(cred.accountId())) {
                throw S3Exception.accessDenied();
            }
            String key = key(fields, upload.filename());
            fields.put("key", key);
            PostPolicy policy = PostPolicy.parse(auth.policy());
            policy.check(fields, clock.instant());
            checkFields(fields);
            return spoolAndStore(ex, upload, fields, key, policy);
        });
    }

    private static String key(Map<String, String> fields, String filename) {
        String key = fields.get("key");
        if (key == null || key.isEmpty()) {
            throw S3Exception.invalidArgument("Bucket POST must contain a field named 'key'.  If it is specified, "
                    + "please check the order of the fields.", "key", "");
        }
        return key.replace("${filename}", filename == null ? "" : filename);
    }

    private static void checkFields(Map<String, String> fields) {
        for (String sse : List.of("x-amz-server-side-encryption", "x-amz-server-side-encryption-customer-algorithm")) {
            if (fields.containsKey(sse)) {
                throw S3Exception.notImplementedHeader(sse);
            }
        }
        String acl = fields.get("acl");
        if (acl != null && !"private".equals(acl)) {
            throw S3Exception.notImplemented("Only the canned ACL 'private' is supported.");
        }
    }

    private Uni<Void> spoolAndStore(S3Exchange ex, HttpServerFileUpload upload, Map<String, String> fields, String key,
            PostPolicy policy) {
        Path tmp = spool.resolve("post-" + ex.requestId() + ".part");
        return Uni.createFrom().completionStage(() -> upload.streamToFileSystem(tmp.toString()).toCompletionStage())
                .chain(() -> {
                    long size = upload.size();
                    if (size > RequestBody.MAX_PUT) {
                        throw S3Exception.of(S3ErrorCode.ENTITY_TOO_LARGE);
                    }
                    policy.contentLengthRange().ifPresent(r -> PostPolicy.checkLength(size, r));
                    return Uni.createFrom().completionStage(() -> vertx.fileSystem()
                            .open(tmp.toString(), new OpenOptions().setRead(true)).toCompletionStage())
                            .chain(file -> store.exchange(putCall(ex, fields, key, upload)
                                    .withBody(BackendCall.Body.of(file, size))).eventually(() -> file.close()));
                })
                .eventually(() -> vertx.fileSystem().delete(tmp.toString()).otherwiseEmpty())
                .chain(reply -> respond(ex, fields, key, reply.headers().get("etag")));
    }

    private static BackendCall putCall(S3Exchange ex, Map<String, String> fields, String key, HttpServerFileUpload upload) {
        BackendCall call = BackendCall.of("PUT", ex.bucket(), key);
        MultiMap from = MultiMap.caseInsensitiveMultiMap();
        fields.forEach(from::add);
        if (!fields.containsKey("content-type") && upload.contentType() != null) {
            from.set("content-type", upload.contentType());
        }
        ObjectHeaders.copyWritable(from, call.headers());
        return call;
    }

    private static Uni<Void> respond(S3Exchange ex, Map<String, String> fields, String key, String etag) {
        String location = "/" + ex.bucket() + "/" + dev.sseproxy.backend.S3Paths.encode(key, false);
        ex.response().putHeader("ETag", etag).putHeader("Location", location);
        String redirect = fields.get("success_action_redirect");
        if (redirect == null) {
            redirect = fields.get("redirect");
        }
        if (redirect != null && !redirect.isEmpty()) {
            String sep = redirect.contains("?") ? "&" : "?";
            ex.response().putHeader("Location", redirect + sep + "bucket=" + enc(ex.bucket()) + "&key=" + enc(key)
                    + "&etag=" + enc(etag));
            return Responses.empty(ex, 303);
        }
        String status = fields.getOrDefault("success_action_status", "204");
        if ("201".equals(status)) {
            Documents.PostResponseXml x = new Documents.PostResponseXml();
            x.location = location;
            x.bucket = ex.bucket();
            x.key = key;
            x.etag = etag;
            return Responses.xml(ex, 201, x);
        }
        return Responses.empty(ex, "200".equals(status) ? 200 : 204);
    }

    private static String enc(String s) {
        return dev.sseproxy.backend.S3Paths.encode(s == null ? "" : s, true);
    }
}
