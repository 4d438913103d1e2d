import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * The floor of any proxy on this machine: an HTTP/1.1 pass-through on the same Vert.x and Netty as
 * sse-proxy that does nothing but forward. It parses each request, opens (or reuses) a pooled
 * connection to MinIO, forwards method, URI and headers unchanged (the client's SigV4 signature names
 * the Host it sent, which MinIO checks as received, so no re-signing is needed), and streams both
 * bodies through. No authentication, no crypto, no audit, no metrics.
 *
 * <p>The benchmark's {@code floor} mode runs warp through it; its ratio to direct MinIO is the best any
 * proxy written this way can reach when the client, the proxy and MinIO share the machine's cores.
 * Run from source (Java 11+ single-file launch) on the jar's own class path:
 * <pre>java -cp 'target/quarkus-app/lib/boot/*:target/quarkus-app/lib/main/*' bench/floor/Passthrough.java PORT BACKEND_HOST BACKEND_PORT [EVENT_LOOPS]</pre>
 */
public final class Passthrough {
    /** How many requests to print (method, URI, headers, and the response's), from {@code -Dpassthrough.log=N}. */
    private static final int LOG = Integer.getInteger("passthrough.log", 0);
    private static final java.util.concurrent.atomic.AtomicInteger LOGGED = new java.util.concurrent.atomic.AtomicInteger();

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        String backendHost = args[1];
        int backendPort = Integer.parseInt(args[2]);
        int loops = args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
        for (int i = 0; i < loops; i++) {
            HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                    new PoolOptions().setHttp1MaxSize(64));
            vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true))
                    .requestHandler(req -> {
                        req.pause();
                        if (LOGGED.getAndIncrement() < LOG) {
                            System.out.println(">> " + req.method() + " " + req.uri() + "\n" + req.headers());
                        }
                        RequestOptions o = new RequestOptions().setHost(backendHost).setPort(backendPort)
                                .setMethod(req.method()).setURI(req.uri()).setHeaders(req.headers());
                        client.request(o).onComplete(ar -> {
                            if (ar.failed()) {
                                req.response().setStatusCode(502).end();
                                return;
                            }
                            var back = ar.result();
                            back.send(req).onComplete(rr -> {
                                if (rr.failed()) {
                                    req.response().setStatusCode(502).end();
                                    return;
                                }
                                var resp = rr.result();
                                var out = req.response().setStatusCode(resp.statusCode());
                                out.headers().setAll(resp.headers());
                                if (LOGGED.get() <= LOG) {
                                    System.out.println("<< " + resp.statusCode() + "\n" + resp.headers());
                                }
                                resp.pipeTo(out);
                            });
                        });
                    })
                    .listen().toCompletionStage().toCompletableFuture().join();
        }
        System.out.println("passthrough listening on 127.0.0.1:" + port + " -> " + backendHost + ":" + backendPort);
    }
}
