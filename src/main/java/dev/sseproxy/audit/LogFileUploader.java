package dev.sseproxy.audit;

import dev.sseproxy.auth.SigV4Signer;
import dev.sseproxy.backend.S3Paths;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;

/**
 * PutObject of a log file through the proxy's own S3 port, as any client would send it: SigV4-signed
 * (signed payload) with the root account's key, {@code x-amz-server-side-encryption: AES256}, so the
 * file is admitted, authorised, encrypted and audited like every other object.
 */
final class LogFileUploader implements AutoCloseable {
    /** The user agent of delivery uploads: their own audit events carry it. */
    static final String USER_AGENT = "sse-proxy-log-delivery";

    /** Where the proxy's S3 port listens, and whether it speaks TLS. */
    record Endpoint(String host, int port, boolean tls) {
        String hostHeader() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** The root account's credentials and the proxy's region (the SigV4 scope). */
    record Signing(String accessKey, String secretKey, String region) {
    }

    private final Endpoint endpoint;
    private final Signing signing;
    private final HttpClient client;
    private final Clock clock;

    LogFileUploader(Vertx vertx, Endpoint endpoint, Signing signing, Clock clock) {
        this.endpoint = endpoint;
        this.signing = signing;
        this.clock = clock;
        // TLS only when the plain port is off: the peer is this process's own listener, whose
        // certificate may be self-signed and name another host, so it is not verified
        this.client = vertx.createHttpClient(new HttpClientOptions().setSsl(endpoint.tls()).setTrustAll(endpoint.tls())
                .setVerifyHost(false).setConnectTimeout(10_000).setKeepAlive(true));
    }

    /** Stores {@code body} (whose SHA-256 is {@code sha256Hex}) at {@code bucket/key}; fails unless S3 answers 200. */
    Uni<Void> put(String bucket, String key, byte[] body, String sha256Hex) {
        String path = S3Paths.path(bucket, key);
        Map<String, String> headers = new TreeMap<>();
        headers.put("host", endpoint.hostHeader());
        headers.put("content-type", LogFiles.CONTENT_TYPE);
        headers.put("content-encoding", LogFiles.CONTENT_ENCODING);
        headers.put("content-length", Integer.toString(body.length));
        headers.put("x-amz-server-side-encryption", "AES256");
        headers.putAll(SigV4Signer.sign("PUT", path, null, headers, sha256Hex, signing.accessKey(),
                signing.secretKey(), signing.region(), clock.instant()));
        MultiMap wire = MultiMap.caseInsensitiveMultiMap().addAll(headers).set("user-agent", USER_AGENT);
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.PUT).setHost(endpoint.host())
                .setPort(endpoint.port()).setURI(path).setHeaders(wire).setIdleTimeout(60_000);
        return Uni.createFrom().completionStage(() -> client.request(request)
                .compose(req -> req.send(Buffer.buffer(body)))
                .compose(resp -> resp.body().compose(answer -> resp.statusCode() == 200 ? Future.<Void>succeededFuture()
                        : Future.failedFuture(new IllegalStateException("PutObject " + bucket + "/" + key + " answered "
                                + resp.statusCode() + ": " + excerpt(answer)))))
                .toCompletionStage());
    }

    private static String excerpt(Buffer body) {
        String s = body.toString(StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    @Override
    public void close() {
        client.close();
    }
}
