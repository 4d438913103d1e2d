package dev.sseproxy.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.testing.LocalMinio;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The control operations through the MinIO Java client ({@link MinioControl}) against the shared
 * MinIO of {@code minio-dev/minio.sh}: answers come back on the caller's Vert.x context, S3 errors
 * keep their status and code ({@link BackendException.Rejected}), a dead backend is
 * {@link BackendException.Unavailable}, listings carry keys XML 1.0 cannot hold and MinIO's user
 * metadata, and what the client refuses (non-ASCII metadata) goes by the hand-written request.
 */
@EnabledIfSystemProperty(named = "proxy.jar", matches = ".+", disabledReason = "end to end: runs under failsafe")
class BackendControlIT {
    static Vertx vertx;
    static MinioObjectStore store;
    static Context loop;
    static String bucket;

    @BeforeAll
    static void start() throws Exception {
        LocalMinio.ensure(); // the first IT failsafe runs: no proxy has started MinIO yet
        vertx = Vertx.vertx();
        store = new MinioObjectStore(vertx, new BackendKeepAliveIT.Backend("http://127.0.0.1:9000", Duration.ofSeconds(15)));
        loop = vertx.getOrCreateContext();
        bucket = "control-" + UUID.randomUUID().toString().substring(0, 8);
        on(() -> store.createBucket(bucket));
    }

    @AfterAll
    static void stop() throws Exception {
        store.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void answersAndFailuresComeBackOnTheCallersContext() throws Exception {
        put("ctx", "x");
        List<Context> seen = new ArrayList<>();
        on(() -> store.stat(bucket, "ctx").invoke(r -> seen.add(Vertx.currentContext())));
        Object failure = outcome(() -> store.stat(bucket, "missing").onFailure().invoke(e -> seen.add(Vertx.currentContext())));
        on(() -> store.list(new ObjectStore.ListPage(bucket, "ctx", null, null, null, 10, true))
                .invoke(r -> seen.add(Vertx.currentContext())));
        assertEquals(3, seen.size());
        seen.forEach(c -> assertSame(loop, c, "completed on the caller's context"));
        BackendException.Rejected r = assertInstanceOf(BackendException.Rejected.class, failure);
        assertEquals(404, r.status());
    }

    @Test
    void s3ErrorsKeepTheirStatusAndCode() throws Exception {
        String etag = put("guarded", "v1");
        // (MinIO answers 204 to an abort of an unknown upload id; a completion of one is NoSuchUpload)
        Object complete = outcome(() -> store.completeMultipartUpload(bucket, "guarded", "no-such-upload",
                List.of(new ObjectStore.CompletedPart(1, "\"0123456789abcdef0123456789abcdef\"")),
                MultiMap.caseInsensitiveMultiMap()));
        BackendException.Rejected nsu = assertInstanceOf(BackendException.Rejected.class, complete);
        assertEquals(404, nsu.status());
        assertEquals("NoSuchUpload", nsu.code());

        MultiMap meta = MultiMap.caseInsensitiveMultiMap().add("x-amz-meta-a", "b").add("content-type", "text/plain");
        Object stale = outcome(() -> store.copyMetadata(bucket, "guarded", "\"0123456789abcdef0123456789abcdef\"", 2, meta));
        BackendException.Rejected pf = assertInstanceOf(BackendException.Rejected.class, stale);
        assertEquals(412, pf.status());
        assertEquals("PreconditionFailed", pf.code());

        on(() -> store.copyMetadata(bucket, "guarded", etag, 2, meta));
        BackendReply head = on(() -> store.stat(bucket, "guarded"));
        assertEquals("b", head.headers().get("x-amz-meta-a"), "the metadata was replaced");
        assertEquals("text/plain", head.headers().get("content-type"));

        String upload = on(() -> store.createMultipartUpload(bucket, "mp", MultiMap.caseInsensitiveMultiMap()));
        Object bad = outcome(() -> store.completeMultipartUpload(bucket, "mp", upload,
                List.of(new ObjectStore.CompletedPart(1, "\"0123456789abcdef0123456789abcdef\"")),
                MultiMap.caseInsensitiveMultiMap()));
        assertEquals("InvalidPart", assertInstanceOf(BackendException.Rejected.class, bad).code());
        on(() -> store.abortMultipartUpload(bucket, "mp", upload));
    }

    @Test
    void aDeadBackendIsUnavailable() throws Exception {
        MinioObjectStore dead = new MinioObjectStore(vertx, new BackendKeepAliveIT.Backend("http://127.0.0.1:1", Duration.ofSeconds(15)));
        try {
            assertInstanceOf(BackendException.Unavailable.class, outcome(() -> dead.stat(bucket, "k")));
            assertInstanceOf(BackendException.Unavailable.class, outcome(dead::health));
        } finally {
            dead.close();
        }
    }

    @Test
    void listingsCarryOddKeysAndUserMetadataPageByPage() throws Exception {
        String odd = "list/a\u0001b&c<d>\u00e9 \u4e2d";
        put(odd, "1");
        put("list/plain", "2");
        on(() -> store.exchange(BackendCall.of("PUT", bucket, "list/meta").header("x-amz-meta-sse-proxy-mode", "SSE_S3")
                .withBody(BackendCall.Body.of(Buffer.buffer("3")))));
        BackendXml.ListBucketResult first = on(() -> store.list(new ObjectStore.ListPage(bucket, "list/", null, null, null, 2, true)));
        assertEquals(2, first.contents.size());
        assertTrue(first.truncated);
        assertNotNull(first.nextContinuationToken);
        assertEquals(odd, first.contents.get(0).key, "the key as stored");
        BackendXml.ListBucketResult rest = on(() -> store.list(
                new ObjectStore.ListPage(bucket, "list/", null, first.nextContinuationToken, null, 2, true)));
        assertEquals(List.of("list/plain"), rest.contents.stream().map(c -> c.key).toList());
        assertTrue(first.contents.get(1).userMetadata.keySet().stream()
                .anyMatch(k -> k.equalsIgnoreCase("X-Amz-Meta-Sse-Proxy-Mode")), first.contents.get(1).userMetadata.toString());
        BackendXml.ListBucketResult after = on(() -> store.list(new ObjectStore.ListPage(bucket, "list/", null, null, "list/meta", 10, false)));
        assertEquals(List.of("list/plain"), after.contents.stream().map(c -> c.key).toList());
        BackendXml.ListBucketResult grouped = on(() -> store.list(new ObjectStore.ListPage(bucket, "list/a", "&", null, null, 10, true)));
        assertEquals(List.of("list/a\u0001b&"), grouped.commonPrefixes.stream().map(p -> p.prefix).toList(),
                "common prefixes decoded like keys");
    }

    @Test
    void nonAsciiMetadataTheClientRefusesGoesByTheHandWrittenRequest() throws Exception {
        // raw UTF-8 bytes in a header value, as an S3 client may send them (kept byte for byte)
        String raw = new String("caf\u00e9".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        MultiMap h = MultiMap.caseInsensitiveMultiMap().add("x-amz-meta-name", raw);
        String upload = on(() -> store.createMultipartUpload(bucket, "utf8", h));
        assertNotNull(upload);
        on(() -> store.abortMultipartUpload(bucket, "utf8", upload));
    }

    // ---- helpers ----------------------------------------------------------------------------------

    static String put(String key, String body) throws Exception {
        BackendReply r = on(() -> store.exchange(BackendCall.of("PUT", bucket, key).withBody(BackendCall.Body.of(Buffer.buffer(body)))));
        return r.headers().get("etag");
    }

    static <T> T on(Supplier<Uni<T>> call) throws Exception {
        Object o = outcome(call);
        if (o instanceof Throwable t) {
            throw new AssertionError("failed: " + t, t);
        }
        @SuppressWarnings("unchecked")
        T t = (T) o;
        return t;
    }

    /** Subscribes on the event loop; the item or the failure. */
    static Object outcome(Supplier<? extends Uni<?>> call) throws Exception {
        CompletableFuture<Object> f = new CompletableFuture<>();
        loop.runOnContext(v -> call.get().subscribe().with(i -> f.complete(i == null ? "null" : i), f::complete));
        return f.get(60, TimeUnit.SECONDS);
    }
}
