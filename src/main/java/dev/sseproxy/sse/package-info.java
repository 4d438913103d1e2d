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
