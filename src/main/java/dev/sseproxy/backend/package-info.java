/**
 * The port to the object store ({@link dev.sseproxy.backend.ObjectStore}) and its adapter for
 * MinIO's S3 API ({@link dev.sseproxy.backend.MinioObjectStore}).
 *
 * <h2>Two clients: the MinIO Java client for control, a hand-written path for bodies</h2>
 * The backend's <b>control operations</b> go through the MinIO Java client's async API
 * ({@code io.minio.MinioAsyncClient}, in {@link dev.sseproxy.backend.MinioControl}): bucket
 * administration (HeadBucket, CreateBucket, DeleteBucket), listings (ListObjectsV2, with MinIO's
 * {@code metadata=true} user-metadata extension: the client-facing ListObjects v1/v2,
 * {@code inventory.ObjectScan}, bucket adoption; plain for the rewrap jobs), stat (HeadObject) for jobs and multipart completion, multipart create,
 * complete and abort, metadata-only copies (CopyObject onto itself, metadata directive REPLACE,
 * {@code x-amz-copy-source-if-match}), and the readiness probe (ListBuckets of one). The client
 * signs, sends and parses the XML once; its {@code CompletableFuture}s complete on OkHttp's
 * threads, and {@code MinioControl} completes each {@code Uni} on the caller's Vert.x context
 * (the context the hand-written client completes on, so no caller changed its threading). Its
 * failures become the same {@link dev.sseproxy.backend.BackendException}s: an S3 error answer is
 * {@code Rejected} with MinIO's status and code (NoSuchKey, NoSuchUpload, PreconditionFailed,
 * BucketAlreadyOwnedByYou, ...), a transport failure {@code Unavailable} (503). Credentials,
 * endpoint, region, timeout and keep-alive come from the same {@code sse-proxy.backend.*}
 * settings; OkHttp's pool retires idle connections after the same keep-alive timeout, and its
 * dispatcher allows {@code max-connections} requests at once (OkHttp's default is 5 per host).
 *
 * <p>The client refuses some requests MinIO accepts, and those go by the hand-written request
 * (the {@code ObjectStore} default methods), byte for byte as before: header values with bytes
 * outside printable ASCII (user metadata sent as raw UTF-8; OkHttp rejects them), names or
 * arguments the client's own checks reject, and metadata copies of objects over 5 GiB or of
 * unknown size (the client would copy those part by part). Listings ask MinIO for URL-encoded
 * keys, so keys XML 1.0 cannot hold ({@code &#x1;}) reach the client's parser intact.
 *
 * <p><b>Object bodies</b> (GET, HEAD and PUT of objects, UploadPart, UploadPartCopy) stay on the
 * hand-written Vert.x path, because the client costs more there; so do the requests that pass
 * an S3 document of the client's through (DeleteObjects, ListParts, ListMultipartUploads, object
 * tagging, the completion of an upload stored without the proxy's encryption). Measured by {@code BodyPathBench} (test sources): the same JVM, the
 * same MinIO, one operation at a time, the two paths interleaved round by round, process CPU per
 * operation after a warm-up (3 passes), five rounds per sitting, two sittings on the shared 2-core
 * machine while other helpers built (load average 14-30): the median of each sitting's rounds,
 * the range over both sittings in brackets.
 * <table>
 *   <caption>CPU per operation, hand-written Vert.x path vs MinIO Java client (sitting 1 / sitting 2)</caption>
 *   <tr><th>operation</th><th>hand-written</th><th>MinIO client</th><th>client / hand</th></tr>
 *   <tr><td>PUT 4 KiB</td><td>0.90 / 0.80 ms [0.50-1.48]</td><td>1.83 / 1.28 ms [1.05-2.38]</td><td>2.0× / 1.6×</td></tr>
 *   <tr><td>GET 4 KiB</td><td>0.70 / 0.68 ms [0.28-1.48]</td><td>0.88 / 1.23 ms [0.50-1.55]</td><td>1.25× / 1.8×</td></tr>
 *   <tr><td>HEAD</td><td>0.45 / 0.38 ms [0.33-0.93]</td><td>0.75 / 0.88 ms [0.53-1.90]</td><td>1.7× / 2.3×</td></tr>
 *   <tr><td>PUT 64 MiB</td><td>105 / 118 ms [88-145]</td><td>328 / 313 ms [305-340]</td><td>3.1× / 2.7×</td></tr>
 *   <tr><td>GET 64 MiB</td><td>48 / 45 ms [30-108]</td><td>35 / 40 ms [35-60]</td><td>0.74× / 0.89×</td></tr>
 * </table>
 * The PUTs decide it: over plain HTTP (the backend link) the client signs the payload, hashing
 * every body byte with SHA-256 (it sends {@code UNSIGNED-PAYLOAD} only over TLS), and needs the
 * body as an {@code InputStream}. The 64 MiB GET is about even, but the client hands the body
 * back as a blocking {@code InputStream}: feeding the proxy's non-blocking decrypt pipeline from
 * it takes a worker thread per concurrent GET and a copy of every piece into a Vert.x buffer,
 * where the hand-written path streams Netty buffers with back-pressure on the request's own
 * event loop. The HEAD that opens every object GET/HEAD, and the per-request HEADs of CopyObject,
 * GetObjectAcl, GetObjectAttributes and the internal writes, stay hand-written too (the HEAD row:
 * 0.3 ms more CPU per request on the hot path), and so does the metadata copy that stamps a
 * checksum or an SSE-S3 MD5 right after a PUT (its size unknown to the copy: the hand-written
 * request). So the split is: hot-path requests and bodies
 * hand-written, everything else the MinIO client.
 *
 * <h2>Connections to the backend</h2>
 * The control operations: OkHttp's pool (the MinIO client's), idle connections retired after
 * {@code sse-proxy.backend.keep-alive-timeout} like the body path's; OkHttp sends a request again
 * by itself when a pooled connection turns out to be stale. The object bodies:
 * Vert.x HTTP/1.1 clients, one per event loop, with keep-alive and without pipelining (one
 * request at a time on a connection), at most {@code sse-proxy.backend.max-connections} pooled
 * connections per loop. The pool hands out its most recently used idle connection, so under a
 * changing load the connections at the bottom of the pool sit idle until the next burst.
 * A streamed answer the caller discards ({@code BackendStream#discard}) closes its connection
 * when body bytes may be left unread (reading them could take long), but an answer without a body
 * (HEAD, 204, 304, {@code Content-Length: 0}) is let end and its connection stays in the pool:
 * every HeadObject and every ranged GET (a HEAD first) used to cost a new connection to MinIO.
 *
 * <p><b>Reads and buffers of object bodies (issue 14).</b> Body connections read 256 KiB at a time
 * (SO_RCVBUF and Vert.x's fixed receive allocator; the HTTP decoder hands on pieces of up to 256 KiB),
 * into a pool of the proxy's own ({@code PooledBodies}: 4 MiB chunks), from which the encrypting and
 * decrypting streams also take their frame buffers. Quarkus starts Netty with
 * {@code io.netty.allocator.maxOrder=3}, which makes the shared pools' chunks 64 KiB: a 64 KiB frame
 * then created and zeroed a chunk of its own and a larger read was not pooled at all (3-5% of the
 * proxy's CPU on 64 MiB GETs, 0.3% after). The numbers of a 64 MiB GET before and after are in the
 * {@code sse} package documentation ("Large GETs").
 *
 * <p><b>Bodies read in place (issue 14).</b> Vert.x's HTTP client copies every piece it reads out of
 * Netty's pooled memory into a new heap array ({@code VertxHandler.safeBuffer}, for any buffer of
 * Netty's {@code PooledByteBufAllocator}); it has no option to keep the pooled buffer. On a 64 MiB GET
 * that is 64 MiB of fresh, zeroed, cache-cold heap per GET: the profile of a warm proxy put 25% of its
 * CPU under {@code safeBuffer}, most of it the JVM zeroing the new arrays (starting the JVM with
 * {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED}, which lets Netty allocate them
 * uninitialized, did not help: at 256 KiB they are allocated outside the TLAB, and zeroed there).
 * GetObject's body therefore comes in place ({@link dev.sseproxy.backend.BackendPieces}): a handler
 * after the connection's HTTP decoder hands each piece on as a view whose allocator is not the pooled
 * one, so Vert.x passes it through, and its consumer releases it (a {@link java.lang.ref.Cleaner}
 * returns a piece Vert.x drops to its pool). The decrypting stream copies each frame into a thread's
 * array before AES-GCM ({@code crypto.FrameDecryptor}): the JDK (17) given a direct input and a direct
 * output in one pool chunk copies the whole input into a new heap buffer first
 * ({@code GCMEngine.overlapDetection}), which alone gave the saving back. Measured with interleaved
 * restarts of the two jars on one MinIO (warp, 64 MiB SSE-S3 GETs at concurrency 2, 60 s warm-up, three
 * 20 s rounds each, twice; proxy CPU per GET from /proc): before 80.3 / 74.1 / 75.8 and 83.6 / 80.4 /
 * 77.3 ms at 691-765 MiB/s; after 64.6 / 62.1 / 65.8 and 71.6 / 68.2 / 65.1 ms at 742-822 MiB/s, so about
 * 15% less CPU and 9% more throughput. In place without the thread's array (direct to direct in
 * AES-GCM) measured 86-109 ms, no better than before. Other callers of {@code open} (copies, batch
 * reads, replication) keep Vert.x's copy: they did not ask, and their consumers do not release.
 * The handler finds Vert.x's decoder by its name in the pipeline ({@code "codec"}, Vert.x 4's
 * {@code Http1xClientConnection}); a Vert.x that renamed it would leave GetObject correct but copying
 * again, so the proxy says so once in its log, and {@code BackendPiecesTest} checks a real Vert.x
 * client connection built as the proxy builds them (the handler sits after the codec, and every
 * piece of a body asked in place arrives uncopied).
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
