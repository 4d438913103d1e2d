/**
 * The port to the object store ({@link dev.sseproxy.backend.ObjectStore}) and its adapter for
 * MinIO's S3 API ({@link dev.sseproxy.backend.MinioObjectStore}).
 *
 * <h2>Connections to the backend</h2>
 * Vert.x HTTP/1.1 clients, one per event loop, with keep-alive and without pipelining (one
 * request at a time on a connection), at most {@code sse-proxy.backend.max-connections} pooled
 * connections per loop. The pool hands out its most recently used idle connection, so under a
 * changing load the connections at the bottom of the pool sit idle until the next burst.
 *
 * <h2>The stale keep-alive race, and what the adapter does about it</h2>
 * MinIO's HTTP server (Go {@code net/http}, {@code cmd/server-main.go} and
 * {@code internal/http/server.go} of the pinned MinIO) closes a keep-alive connection that waits
 * for its next request longer than its idle timeout: 30 s by default
 * ({@code DefaultIdleTimeout}; hidden flag {@code --idle-timeout}, env
 * {@code MINIO_IDLE_TIMEOUT}); its {@code deadlineconn} wrapper makes that 30 s + 250 ms. The
 * same 30 s is its per-read/per-write deadline while a request is open. Vert.x's default client
 * keep-alive timeout is 60 s, so the proxy used to keep connections that MinIO closes after
 * 30 s. Normally the proxy reads MinIO's FIN first and drops the connection from the pool; but
 * when an event loop is busy (KmsAtScaleIT, KmsRateLimitIT on a loaded machine: many requests
 * in one event-loop turn) the pool can hand out a connection whose FIN is already waiting, or
 * MinIO closes it while the request is on its way. The request then fails with
 * {@code HttpClosedException: Connection was closed} (or "Connection reset by peer") before any
 * answer byte, and the client saw 503 ServiceUnavailable, after the proxy had already spent a
 * KMS data-key call on the PUT. The connections that went idle together at the end of a burst
 * are closed together 30 s later, so the failures come in clusters: KmsRateLimitIT's proxy log
 * had six within 230 ms on one event loop.
 * <ul>
 *   <li><b>Keep-alive timeout below the server's idle timeout.</b> The pool closes a connection
 *       idle for {@code sse-proxy.backend.keep-alive-timeout} (default 15 s, half of MinIO's
 *       30 s; Vert.x checks every second), so it never offers one MinIO is about to close. The
 *       15 s margin absorbs a stalled event loop and suits backends with a 20 s idle timeout too.
 *       A reconnect costs a TCP handshake on the backend link, once per 15 s of idleness.</li>
 *   <li><b>One retry on a fresh connection.</b> A request whose connection closes (or is reset)
 *       after it went out and before any byte of the answer is sent once more, on a connection
 *       opened for it alone (a client without keep-alive: another pooled connection may be just
 *       as stale), when that cannot change the outcome: GET, HEAD, PUT or DELETE, with no body or
 *       a body held in memory (the small PUTs, parts, configuration documents). The retry is
 *       re-signed. Its failure, like any connection failure, is
 *       {@link dev.sseproxy.backend.BackendException.Unavailable}: 503 ServiceUnavailable with
 *       {@code Retry-After: 1}. Timeouts and failed connects are not retried (no stale
 *       connection is involved, and a retry would only double the wait).</li>
 *   <li><b>Not retried:</b> a streamed body (part of it has been read into the failed connection
 *       and cannot be read again) and POSTs (CreateMultipartUpload, CompleteMultipartUpload,
 *       DeleteObjects). They fail with 503 and the client's SDK retries. A streamed PUT whose
 *       connection closes never leaves an object: MinIO commits an object only after its whole
 *       body arrived, and a body that fails on the proxy's side resets the connection.</li>
 * </ul>
 */
package dev.sseproxy.backend;
