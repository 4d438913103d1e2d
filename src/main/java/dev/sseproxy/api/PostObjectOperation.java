package dev.sseproxy.api;

import dev.sseproxy.api.Dispatcher.Route;
import dev.sseproxy.api.Dispatcher.RoutedOperation;
import dev.sseproxy.api.Dispatcher.Scope;
import dev.sseproxy.api.xml.Documents;
import dev.sseproxy.auth.AuthException;
import dev.sseproxy.auth.PostFormAuth;
import dev.sseproxy.auth.PostPolicy;
import dev.sseproxy.authz.Principal;
import dev.sseproxy.backend.BackendCall;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.catalog.AccountService;
import dev.sseproxy.config.SseProxyConfig;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.sse.ObjectKeys;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.file.OpenOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * POST Object: the browser-form upload, read as a stream ({@link FormUpload}, {@link FormStream}).
 *
 * <p>Order, so that nothing is stored (not even spooled) before the form is authorized: the
 * fields before the {@code file} part are read into memory, bounded by S3's 20 KiB
 * ({@code MaxPostPreDataLengthExceeded}); at the file part's headers, with the request paused, the
 * policy is decoded ({@code InvalidPolicyDocument} 400 when malformed), the SigV4 or SigV2
 * signature verified, the policy checked (expiry, every condition, no extra fields), the key, the
 * ACL and the encryption settings validated and the object keys obtained. Only then is the
 * file part streamed to a spool file under the data directory, its size checked against the
 * policy's {@code content-length-range} (and S3's 5 GiB) as it arrives: past the maximum the
 * upload is refused at once with {@code EntityTooLarge}. The spool exists because the encrypted
 * write needs the plaintext length up front (the envelope's part table, the backend PUT's length)
 * and a form declares none; it is always deleted. Fields after the file are ignored, as S3 does.
 *
 * <p><b>Unsigned forms.</b> A form with no {@code policy} and no signature fields ({@code x-amz-algorithm},
 * {@code x-amz-credential}, {@code x-amz-signature}, {@code AWSAccessKeyId}, {@code signature}) is, as in
 * S3, an anonymous {@code s3:PutObject} (or the request's own principal's, should the POST itself be
 * signed): it goes through the authorization decision ({@link Authorization}) at the file part, which
 * allows it only where the bucket's ACL grants WRITE to everyone ({@code public-read-write}, ACLs
 * enabled) and otherwise refuses it with {@code AccessDenied} before any byte of the file is read. An
 * allowed one has no policy to check and the S3 maximum (5 GiB) as its size bound; its object is
 * encrypted as an anonymous PUT's is (the bucket's default, with the bucket owner's keys,
 * {@link S3Exchange#actingAccount()}) and owned as an anonymous PUT's is (the anonymous user, under
 * {@code ObjectWriter}; see {@link AclWrites}). A form with a policy but no signature fields, or
 * signature fields but no policy, is refused with 400 {@code InvalidArgument} ("Bucket POST must
 * contain a field named ...") as S3 does.
 *
 * <p>Field names are case-insensitive; the part named {@code file} is the file, every other part
 * is a field whatever its headers (Python {@code requests} sends each with a {@code filename}).
 * The object's Content-Type is the form's {@code Content-Type} field (S3 ignores the file part's
 * own header), else {@code binary/octet-stream}.
 */
@ApplicationScoped
class PostObjectOperation implements RoutedOperation, Dispatcher.AnonymousAllowed {
    private final ObjectStore store;
    private final AccountService accounts;
    private final Vertx vertx;
    private final String region;
    private final Path spool;
    private final Clock clock = Clock.systemUTC();

    private final dev.sseproxy.sse.SseService sse;
    private final AclWrites aclWrites;

    PostObjectOperation(ObjectStore store, AccountService accounts, Vertx vertx, SseProxyConfig config, dev.sseproxy.sse.SseService sse,
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

    /** What the gate accepted: the final key and the keys to encrypt with. */
    private static final class Accepted {
        String key;
        ObjectKeys.WriteKeys keys;
        /** Set when the request is over: keys that arrive later are closed at once. */
        boolean over;
    }

    public Uni<Void> handle(S3Exchange ex) {
        String boundary = FormStream.boundary(ex.request().getHeader("content-type"));
        Path tmp = spool.resolve("post-" + ex.requestId() + ".part");
        FormUpload upload = new FormUpload(vertx, ex.request(), boundary, tmp);
        Accepted accepted = new Accepted();
        return upload.run((fields, file) -> accept(ex, fields, file, accepted))
                .chain(received -> store(ex, received, accepted, tmp))
                .eventually(() -> {
                    accepted.over = true;
                    if (accepted.keys != null) {
                        accepted.keys.close();
                    }
                    return upload.cleanup();
                });
    }

    /** Authorizes the form at its file part; answers the allowed file size {min, max}. */
    private Uni<long[]> accept(S3Exchange ex, Map<String, String> fields, FormStream.Event.FileStart file,
            Accepted accepted) {
        fields.put("bucket", ex.bucket());
        Optional<PostFormAuth> signed = PostFormAuth.parse(fields);
        if (signed.isEmpty()) {
            // no policy and no signature fields: the request's own principal (anonymous for a browser),
            // allowed only where the bucket's ACL grants it WRITE (public-read-write with ACLs enabled)
            Principal writer = Authorization.principal(ex);
            Authorization.requireForForm(ex, writer, Authorization.identityPolicies(ex, writer), ex.bucketRecord(),
                    key(fields, file.filename()), fields);
            SseChecks.refuseAnonymousKmsWrite(ex, fields.get(dev.sseproxy.sse.EncryptionPolicy.S));
            return admit(ex, fields, file, accepted, writer, SseChecks.keyRequester(ex), Optional.empty());
        }
        PostFormAuth auth = signed.get();
        PostPolicy policy = PostPolicy.parse(auth.policy());
        return accounts.credential(auth.accessKeyId()).chain(c -> {
            var cred = c.orElseThrow(() -> new AuthException(AuthException.Kind.INVALID_ACCESS_KEY_ID));
            auth.verify(cred.secretKey(), region);
            Principal writer = cred.principal();
            Authorization.requireForForm(ex, writer, cred.identityPolicies(), ex.bucketRecord(),
                    key(fields, file.filename()), fields);
            return admit(ex, fields, file, accepted, writer,
                    new dev.sseproxy.kms.registry.KeyRequester(writer, cred.identityPolicies()), Optional.of(policy));
        });
    }

    /**
     * The checks after authorization: the key, the policy's conditions (a signed form), the headers,
     * the owner and ACL, the encryption and its keys (those of {@code keyAccount}).
     */
    private Uni<long[]> admit(S3Exchange ex, Map<String, String> fields, FormStream.Event.FileStart file,
            Accepted accepted, Principal writer, dev.sseproxy.kms.registry.KeyRequester keyAccount, Optional<PostPolicy> policy) {
        String key = key(fields, file.filename());
        fields.put("key", key);
        policy.ifPresent(p -> p.check(fields, clock.instant()));
        ObjectHeaders.checkWriteHeaders(headers(fields));
        KeyRules.check(key);
        accepted.key = key;
        long[] range = policy.flatMap(PostPolicy::contentLengthRange)
                .map(r -> new long[] {r[0], Math.min(r[1], RequestBody.MAX_PUT)})
                .orElse(new long[] {0, RequestBody.MAX_PUT});
        var identity = new dev.sseproxy.crypto.ObjectIdentity(ex.bucket(), key);
        // the form's acl field works as PutObject's x-amz-acl (see AclWrites)
        ex.beforeSuccess(doc -> aclWrites.stored(ex, key));
        return aclWrites.prepare(ex, writer, Optional.ofNullable(fields.get("acl")).map(AclRequests::canned), true, key)
                .chain(() -> sse.decide(fields::get, ex.bucket(), ex.secure()))
                .invoke(ex::encryptionApplied)
                .chain(d -> sse.keysFor(d, keyAccount, identity, Optional.ofNullable(
                        fields.get(dev.sseproxy.sse.EncryptionPolicy.X))))
                .map(keys -> {
                    if (accepted.over) {
                        keys.close();
                        throw new IllegalStateException("the form upload ended while its keys were fetched");
                    }
                    accepted.keys = keys;
                    return range;
                });
    }

    private Uni<Void> store(S3Exchange ex, FormUpload.Received received, Accepted accepted, Path tmp) {
        Map<String, String> fields = received.fields();
        String key = accepted.key;
        ObjectKeys.WriteKeys keys = accepted.keys;
        accepted.keys = null; // SseService.write closes them
        ex.objectWritten(key, received.size());
        return Uni.createFrom().completionStage(() -> vertx.fileSystem()
                        .open(tmp.toString(), new OpenOptions().setRead(true)).toCompletionStage())
                .onFailure().invoke(keys::close)
                .chain(file -> sse.write(ex.bucket(), key, keys, new dev.sseproxy.sse.Plaintext(
                        file, received.size(), java.util.Optional.empty(), java.util.Optional::empty),
                        putCall(ex, fields, key).headers()).eventually(() -> file.close()))
                .chain(w -> {
                    Versions.written(ex.response().headers(), w.versionId());
                    SseChecks.putSseHeaders(ex.response().headers(), w.sse().withoutContext());
                    return respond(ex, fields, key, w.etag());
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

    /**
     * The form fields as the request headers of a PUT: the canned ACL field {@code acl} is
     * {@code x-amz-acl}; every other field keeps its (lower-case) name.
     */
    static MultiMap headers(Map<String, String> fields) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        fields.forEach((name, value) -> h.add("acl".equals(name) ? "x-amz-acl" : name, value));
        return h;
    }

    private static BackendCall putCall(S3Exchange ex, Map<String, String> fields, String key) {
        BackendCall call = BackendCall.of("PUT", ex.bucket(), key);
        MultiMap from = headers(fields);
        if (from.get("content-type") == null || from.get("content-type").isEmpty()) {
            from.set("content-type", "binary/octet-stream");
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
