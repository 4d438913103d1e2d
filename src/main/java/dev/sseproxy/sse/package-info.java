/**
 * Server-side encryption of objects: which encryption a write gets, its keys, and the pipeline that
 * turns a plaintext into the stored ciphertext and back. {@link dev.sseproxy.sse.SseService} is the
 * entry point of the object operations; everything else here serves it.
 *
 * <h2>The path of a request, in five files</h2>
 * A PutObject crosses these, in this order:
 * <ol>
 *   <li>{@code api/S3Router} - the edge: request id, path- or virtual-hosted-style addressing, then
 *       the route to the operation (via {@code api/Dispatcher}, which also authorizes);</li>
 *   <li>{@code api/RequestAuthenticator} - the SigV4 signature, over the request's headers read once
 *       ({@link dev.sseproxy.auth.RequestHeaders}, kept by the exchange and read by everything below);</li>
 *   <li>{@code api/ObjectOperations} ({@code PutObject}) - the S3 operation: the write headers checked,
 *       the headers the backend stores, the body opened as a {@link dev.sseproxy.sse.VerifyingBody};</li>
 *   <li>{@link dev.sseproxy.sse.SseService} - <b>decide</b> ({@link dev.sseproxy.sse.SseService#decide}: the
 *       request's SSE headers, then the bucket default, by {@link dev.sseproxy.sse.EncryptionPolicy}),
 *       <b>keys</b> ({@link dev.sseproxy.sse.SseService#keysFor}: the object key and the envelope fields,
 *       by {@link dev.sseproxy.sse.ObjectKeys} over the KMS, bucket keys or the customer's key),
 *       <b>encrypt</b> and <b>store</b> ({@link dev.sseproxy.sse.SseService#write}: the frames of
 *       {@link dev.sseproxy.sse.EncryptingBody}, the envelope in the object's metadata);</li>
 *   <li>{@code backend/ObjectStore} ({@code MinioObjectStore}) - the backend request.</li>
 * </ol>
 * A GetObject crosses the same five: the operation ({@code GetObject}) reads the backend's answer,
 * {@link dev.sseproxy.sse.SseService#envelope} gives the stored envelope (its part table from the catalog
 * when stored out of line, {@link dev.sseproxy.sse.StoredEnvelopes}),
 * {@link dev.sseproxy.sse.SseService#keysForRead} the object key, and a
 * {@link dev.sseproxy.sse.DecryptingBody} the plaintext of the requested range, frame by verified frame.
 * Multipart uploads use {@link dev.sseproxy.sse.MultipartEncryption} instead of {@code write} (one object
 * key per upload, each part's frames under the nonce its part number was claimed with, the part table
 * assembled at completion); copies read their source as a {@link dev.sseproxy.sse.Plaintext} through a
 * {@code DecryptingBody} and write it like a PUT.
 *
 * <h2>The pipeline</h2>
 * The streams are Vert.x {@code ReadStream}s of {@code Buffer}s ({@link dev.sseproxy.sse.TransformingStream}):
 * back-pressure goes straight to the client's (or the backend's) socket and each buffer in yields a bounded
 * amount out, so memory per request is bounded whatever the object size. The client's body is verified
 * first ({@code VerifyingBody}: aws-chunked framing and chunk signatures, payload SHA-256, Content-MD5,
 * checksum, length); its last buffer is held back until every check passed, and the final frame is emitted
 * only then, so the backend never receives a complete object from a bad body. A small plaintext (up to
 * {@code sse-proxy.encryption.buffer-limit}, within the global buffered-body budget, the
 * {@link dev.sseproxy.sse.BufferBudget} port) is encrypted in memory and stored with its complete envelope
 * in one request; a larger one streams. What is only known at the end: the MD5 ETag of SSE-S3 goes into
 * the catalog under the write's id before the final frame is emitted ({@code EncryptingBody#beforeFinalFrame},
 * {@code catalog.ObjectEtags}), and a trailer checksum is stamped afterwards by a metadata-only copy.
 * Nothing in clear reaches the backend.
 *
 * <h2>Large GETs (issue 14)</h2>
 * Profiled with async-profiler on a warmed proxy under 64 MiB GETs (plain, SSE-KMS with a bucket key,
 * SSE-C over TLS; about 79 ms of proxy CPU per plain GET, 1.2 ms per MiB, in that run), the proxy's CPU
 * went to: Vert.x and Netty stream handling 17%, kernel socket writes to the client (with the loopback
 * delivery to it) 14%, AES-GCM 13%, kernel socket reads from MinIO 13%, Vert.x's copy of every backend
 * piece into a new heap array (and the zeroing of that array) 15%, the JIT 9%, TLS records (SSE-C) 4%,
 * creating and zeroing Netty pool chunks 3%, the kernel's other work 7%; the gather of a frame split across
 * pieces under 2%. What changed, every guarantee kept (a frame's plaintext goes on only after its tag verified, a failing frame
 * fails the body, memory per request bounded, back-pressure from the client's socket):
 * <ul>
 *   <li><b>256 KiB reads</b> from MinIO instead of at most 64 KiB ({@code backend.MinioObjectStore#MAX_CHUNK}):
 *       a quarter of the reads, pieces and stream events, and three of every four frames arrive whole.</li>
 *   <li><b>One write per piece</b>: {@link dev.sseproxy.sse.DecryptingBody} hands on the frames a piece
 *       completes (at most four) as one composite buffer, no copy, so the client's socket takes one
 *       gathering write instead of one write and flush per frame. A frame that fails discards the ones
 *       held with it.</li>
 *   <li><b>AES-GCM array to array</b>: the ciphertext is in Vert.x's heap copy and the plaintext goes to
 *       a pooled direct buffer; JDK 17 decrypts that pair through temporary arrays, so
 *       {@link dev.sseproxy.crypto.FrameDecryptor} decrypts into the thread's array and copies once
 *       (0.21 against 0.25-0.32 ms per MiB, thread CPU).</li>
 *   <li><b>A pool of their own</b> for body buffers ({@code backend.PooledBodies}): Quarkus's Netty pools
 *       have 64 KiB chunks, so every frame created and destroyed one.</li>
 * </ul>
 * Measured by {@code bench/run.sh --workloads put-64m,get-64m,put-1g,get-1g --modes plain,sse-kms-bk,sse-c
 * --rounds 3}, the two jars back to back on a machine where other processes used 22% of the two cores
 * (ratio to direct MinIO, MinIO over TLS for SSE-C; proxy CPU per GET in brackets), before and after:
 * 64 MiB GET plain 0.62 (73.5 ms) and 0.65 (72.7 ms); SSE-KMS with a bucket key 0.62 (66.7 ms) and 0.64
 * (69.0 ms); SSE-C 0.45 (127 ms) and 0.55 (125 ms); 1 GiB GET 0.45 (1.10 s) and 0.41 (1.06 s, one slow
 * round of three). Interleaved A/Bs of proxies on one database (curl at concurrency 2, five rounds of 16
 * GETs of one 64 MiB object; medians of /proc CPU per GET, async-profiler samples over the same windows):
 * before 78 ms, after 74 (2,070 and 2,047 samples); after with 128 KiB pieces 72 (1,971), with 64 KiB
 * pieces 76 (2,012); in another sitting, after without the one write per piece 80 against 75, after
 * without the pool 81 (samples 2,041 and 2,162 against 1,928). So the CPU per byte moved by about 5%,
 * near this machine's noise: the costs cut (pool chunks, temporary arrays in AES-GCM, reads, writes)
 * are partly given back by Vert.x's heap copy, whose zeroing and cache misses grow with the piece
 * (its samples: 248 with 64 KiB pieces, 447 with 128 KiB, 396 with 256 KiB). What is left is mostly
 * not the proxy's own: kernel socket I/O (about a third), that copy ({@code VertxHandler.safeBuffer}:
 * its HTTP client offers no way to keep Netty's buffer; 20% of the proxy's CPU with 256 KiB pieces, half
 * of it the JVM zeroing each new array), AES-GCM (14%), TLS for SSE-C. <b>Later:</b> GetObject now reads
 * its body in place, without that copy (the {@code backend} package documentation, "Bodies read in
 * place": about 15% less proxy CPU per 64 MiB GET).
 *
 * <h2>Versions (issue 15)</h2>
 * In a versioned bucket (versioning Enabled or Suspended, on the bucket row: V22) MinIO versions the
 * ciphertext: every version is its own encrypted object with its own envelope and its own key. Nothing
 * binds a version id (MinIO assigns it after the write): the frames and the table MAC bind bucket and key
 * ({@code crypto.ObjectKeyBinding}), the SSE-KMS context names {@code arn:aws:s3:::bucket/key}, the
 * out-of-line part tables are keyed by bucket, key and the table's digest; so a version reads back under
 * its own envelope whatever id it got, and an older version copied over its key (a restore) is decrypted
 * and re-encrypted like any copy.
 * <p><b>One write, one version.</b> A self-copy in a versioning-enabled MinIO bucket normally makes a new
 * version (measured against the pinned MinIO: REPLACE copy of {@code k?versionId=V} onto {@code k} added a
 * version). The stamp after a streamed write ({@link dev.sseproxy.sse.SseService#write}, and the one after
 * CompleteMultipartUpload) therefore names the version the write made on both sides, source
 * ({@code x-amz-copy-source: /b/k?versionId=V}) and destination ({@code PUT /b/k?versionId=V}, MinIO's
 * extension): MinIO then rewrites that version's metadata in place (cmd/erasure-server-pool.go,
 * {@code CopyObject}: "source == destination version ID"), still guarded by the write's backend ETag. In a
 * suspended (or never-versioned) bucket the write made the {@code null} version, which a plain self-copy
 * rewrites in place already. <b>Crash story:</b> the stamp is one request; a crash before it leaves the one
 * version with its first envelope (readable, reporting the backend's ETag instead of the MD5, as in an
 * unversioned bucket), never two versions. <b>Concurrency:</b> the in-place rewrite sets the version's
 * modification time to the stamp's, so of two writes racing on one key the one whose stamp lands last is
 * the latest, which may be the one that started first (S3 itself promises no order between concurrent
 * writes of a key).
 * <p><b>What a version needs stays.</b> Sweeps of out-of-line part tables ({@code catalog.PartTables})
 * leave versioned buckets alone (an overwrite or a delete marker must leave older multipart versions
 * readable; a permanent delete of one version does not know which rows the others use): such rows stay
 * behind (part sizes and digests only). A key's owner and ACL ({@code object_acl}) are kept per key,
 * shared by its versions, and are not dropped by a delete in a versioned bucket.
 *
 * <h2>The decision</h2>
 * Which encryption a write gets, and the validation S3 applies to the SSE request headers
 * ({@code docs/s3-sse-behaviour.md} §3.1, §3.8, §3.9): pure functions over the request's header view and
 * the bucket's default configuration, no I/O. The one enum of the modes is {@link dev.sseproxy.crypto.SseMode}.
 * The bucket defaults themselves (spec §1) are kept by {@link dev.sseproxy.sse.BucketEncryptionStore},
 * over the {@link dev.sseproxy.catalog.BucketEncryptionRepository} (PostgreSQL in {@code catalog}).
 *
 * <p>Precedence: SSE-C headers (unless the bucket blocks SSE-C), then
 * {@code x-amz-server-side-encryption} (+ key id, context, bucket-key flag), then the bucket default,
 * then SSE-S3. {@code aws:kms} without a key id means the account's AWS managed key {@code aws/s3},
 * even when the bucket default names a customer key (as the PutObject documentation says).
 *
 * <p>What stays in {@code api}: the rules that depend on the HTTP exchange rather than the object
 * ({@code api/SseChecks}: TLS for SSE-C, the headers an operation may carry, anonymous SSE-KMS, the SSE
 * response headers) and the S3 operations themselves. This package may use Vert.x core types
 * ({@code Buffer}, {@code ReadStream}, {@code MultiMap}) but never Vert.x web or JAX-RS ({@code ArchitectureTest}).
 *
 * <p><b>Dependencies.</b> {@code sse} sits above {@code catalog} (bucket defaults, part tables, multipart
 * uploads are its repositories) and {@code kms}, {@code bucketkey}, {@code crypto}, {@code auth},
 * {@code authz}, {@code backend}, {@code cluster}, {@code error}, {@code reactive} and {@code config}; the
 * catalog knows nothing of it.
 *
 * <p>"spec §N.M" in this package's documentation and comments means section N.M of
 * {@code docs/s3-sse-behaviour.md} in this repository (S3's server-side encryption on the wire).
 */
package dev.sseproxy.sse;
