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
 * POST Object: the browser-form upload. The file part (which S3 requires to be the last field) is
 * spooled to a temporary file under the data directory, because a form gives no length up front
 * and the backend PUT needs one; memory stays bounded. Then the form's SigV4 or legacy SigV2
 * signature is verified and its policy checked (expiry, every condition, no extra fields,
 * content-length-range) before anything reaches the backend; the spool file is always deleted.
 * (Vert.x decodes the non-file fields only by the end of the request, so the check cannot come
 * earlier; a spooled upload is at most 5 GiB.)
 */
@ApplicationScoped
class PostObjectOperation implements RoutedOperation, Dispatcher.AnonymousAllowed {
    private final ObjectStore store;
    private final AccountService accounts;
    private final Vertx vertx;
    private final String region;
    private final Path spool;
    private final Clock clock = Clock.systemUTC();

    private final SseSupport sse;
    private final AclWrites aclWrites;

    PostObjectOperation(ObjectStore store, AccountService accounts, Vertx vertx, SseProxyConfig config, SseSupport sse,
            AclWrites aclWrites) {
        this.sse = sse;
        this.aclWrites = aclWrites;
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
        Path tmp = spool.resolve("post-" + ex.requestId() + ".part");
        return receiveForm(req, tmp)
                .chain(upload -> store(ex, upload, fields(req.formAttributes(), ex.bucket()), tmp))
                .eventually(() -> vertx.fileSystem().delete(tmp.toString()).otherwiseEmpty());
    }

    /**
     * Reads the whole form: the file part to {@code tmp}, the other fields into the request's form
     * attributes (Vert.x decodes those only by the end of the request).
     */
    private Uni<HttpServerFileUpload> receiveForm(HttpServerRequest req, Path tmp) {
        return Uni.createFrom().emitter(em -> {
            req.setExpectMultipart(true);
            HttpServerFileUpload[] file = {null};
            io.vertx.core.Future<?>[] written = {null};
            req.uploadHandler(upload -> {
                if (file[0] != null) {
                    upload.handler(b -> { }).resume();
                    return;
                }
                file[0] = upload;
                written[0] = upload.streamToFileSystem(tmp.toString());
            });
            req.exceptionHandler(em::fail);
            req.endHandler(v -> {
                if (file[0] == null) {
                    em.fail(S3Exception.invalidArgument("POST requires exactly one file upload per request.", "file", "0"));
                    return;
                }
                written[0].onComplete(r -> {
                    if (r.failed()) {
                        em.fail(r.cause());
                    } else {
                        em.complete(file[0]);
                    }
                });
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

    private Uni<Void> store(S3Exchange ex, HttpServerFileUpload upload, Map<String, String> fields, Path tmp) {
        PostFormAuth auth = PostFormAuth.parse(fields).orElseThrow(S3Exception::accessDenied);
        return accounts.credential(auth.accessKeyId()).chain(c -> {
            var cred = c.orElseThrow(() -> new AuthException(AuthException.Kind.INVALID_ACCESS_KEY_ID));
            auth.verify(cred.secretKey(), region);
            var writer = dev.sseproxy.authz.Principal.account(cred.accountId());
            Authorization.requireOnBucket(ex, writer, "s3:PutObject", ex.bucketRecord());
            String key = key(fields, upload.filename());
            fields.put("key", key);
            PostPolicy policy = PostPolicy.parse(auth.policy());
            policy.check(fields, clock.instant());
            checkFields(fields);
            KeyRules.check(key);
            long size = upload.size();
            if (size > RequestBody.MAX_PUT) {
                throw S3Exception.of(S3ErrorCode.ENTITY_TOO_LARGE);
            }
            policy.contentLengthRange().ifPresent(r -> PostPolicy.checkLength(size, r));
            var identity = new dev.sseproxy.crypto.ObjectIdentity(ex.bucket(), key);
            // the form's acl field works as PutObject's x-amz-acl (see AclWrites)
            ex.beforeSuccess(doc -> aclWrites.stored(ex, key));
            return aclWrites.prepare(ex, writer, java.util.Optional.ofNullable(fields.get("acl")).map(AclRequests::canned),
                    true, key).chain(() -> sse.buckets.get(ex.bucket()))
                    .map(b -> dev.sseproxy.sse.EncryptionPolicy.decide(fields::get, b.effective(), SseSupport.secure(ex)))
                    .invoke(ex::encryptionApplied)
                    .chain(d -> sse.keys.forWrite(d, cred.accountId(), identity, java.util.Optional.ofNullable(
                            fields.get(dev.sseproxy.sse.EncryptionPolicy.X))))
                    .chain(keys -> Uni.createFrom().completionStage(() -> vertx.fileSystem()
                            .open(tmp.toString(), new OpenOptions().setRead(true)).toCompletionStage())
                            .onFailure().invoke(keys::close)
                            .chain(file -> EncryptedWrites.write(sse, ex.bucket(), key, keys, new EncryptedWrites.Plain(
                                    file, size, java.util.Optional.empty(), java.util.Optional::empty),
                                    putCall(ex, fields, key, upload).headers()).eventually(() -> file.close())))
                    .chain(w -> {
                        SseSupport.putSseHeaders(ex.response().headers(), w.sse().withoutContext());
                        return respond(ex, fields, key, w.etag());
                    });
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
        String acl = fields.get("acl");
        if (acl != null) {
            AclRequests.canned(acl);
        }
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
