/**
 * The crypto core: JDK only (enforced by an architecture test). This javadoc is the format
 * specification; the code follows it and the known-answer tests pin it. Notation: {@code ||} is
 * concatenation, {@code BE32(x)} / {@code BE64(x)} are big-endian unsigned integers of 4 / 8 bytes,
 * {@code UTF8(s)} is the strict UTF-8 encoding of {@code s} (an unpaired surrogate is an error, never a
 * silent {@code '?'}), {@code b64u(x)} is base64url without padding (RFC 4648 section 5).
 *
 * <h2>Sealed secrets ({@link dev.sseproxy.crypto.SecretSealer})</h2>
 * {@code 0x01 || nonce (12 random bytes) || AES-256-GCM(masterKey, nonce, secret, aad) || tag (16)}
 * with the caller's associated data. Version byte {@code 0x01} is the only one defined; readers
 * reject every other value. It seals the local KMS keystore; access-key secrets sealed this way (with
 * the access key id as associated data) are the legacy form that the catalog re-seals with the KMS at
 * start (see {@code dev.sseproxy.catalog}).
 *
 * <h2>Keys ({@link dev.sseproxy.crypto.KeyMaterial})</h2>
 * Every key here is 32 bytes (AES-256) held in a {@code KeyMaterial}: wiped on {@code close()},
 * printed as {@code [redacted]}, never put in a message. Each object (single PUT) and each multipart
 * upload gets its own fresh random <b>object key</b> from {@code KeyMaterial.random()}; it is stored
 * only wrapped (see Key wrapping) in the envelope.
 *
 * <h2>Object identity ({@link dev.sseproxy.crypto.ObjectIdentity})</h2>
 * {@code identity = BE32(len(UTF8(bucket))) || UTF8(bucket) || BE32(len(UTF8(key))) || UTF8(key)}
 * with the bucket and key exactly as the client named them (no normalisation).
 *
 * <h2>Body: frames ({@link dev.sseproxy.crypto.FrameFormat})</h2>
 * An object is made of one or more <b>parts</b>: a single PUT is one part with part number 1;
 * a multipart object has the parts of its upload. Each part is encrypted on its own: its plaintext of
 * {@code n} bytes is cut into frames of {@code F = 65536} bytes, the last frame holding the rest.
 * <ul>
 *   <li>Frame count {@code k = max(1, ceil(n / F))}. The frame holding the last plaintext byte is the
 *       <b>final frame</b>; when {@code n} is an exact multiple of {@code F} that is the last
 *       <em>full</em> frame (no empty frame follows). Only an empty part ({@code n = 0}) has an empty
 *       frame: its one final frame is just a 16-byte tag.</li>
 *   <li>Frame {@code i} (0-based, counted within the part) is
 *       {@code ciphertext_i || tag_i (16)} with
 *       {@code ciphertext_i, tag_i = AES-256-GCM(objectKey, nonce_i, plaintext_i, aad_i)}, 128-bit tag.</li>
 *   <li>{@code nonce_i = BE32(partNumber) || BE64(i)} (12 bytes). Part numbers are 1 .. 2^31-1.</li>
 *   <li>{@code aad_i = 0x01 (format version) || flags || identity} where {@code flags} is {@code 0x01}
 *       for the final frame of the part and {@code 0x00} otherwise.</li>
 *   <li>Part ciphertext length {@code c = n + 16 k}. The inverse is unambiguous: with
 *       {@code k = ceil(c / (F + 16))} and {@code r = c - (k - 1)(F + 16)} (the final frame's stored
 *       size), {@code c} is valid iff {@code r >= 17}, or {@code c = 16} (the empty part); then
 *       {@code n = c - 16 k}. Every other length (0, 1..15, a final frame of 1..16 bytes) is rejected
 *       as {@code Tampered}.</li>
 *   <li>The stored body is the parts' ciphertexts back to back, in part-table order. Part {@code p}
 *       starts at the sum of the ciphertext lengths of the parts before it; frame {@code i} of a part
 *       starts at {@code i (F + 16)} within it.</li>
 * </ul>
 * <b>Why deterministic nonces are safe.</b> GCM fails only if one key encrypts two different
 * plaintexts under one nonce. The object key is fresh and random per object and per upload
 * (two keys collide with probability 2^-256 per pair), so nonces need only be unique within one object; there
 * the pair (part number, frame index) names each frame exactly once. That is an invariant the caller
 * keeps: <b>one key never encrypts two different plaintexts under one (part number, frame index)</b>.
 * An identical retry of a part is harmless (same key, nonce and plaintext give the same bytes), but
 * an S3 client may legally upload <em>different</em> bytes under a part number it used before; the
 * request path must then encrypt that attempt under a part number not used before in that upload
 * (the part table records the number actually used, see the envelope) or a fresh upload key.
 * Deterministic nonces keep frames addressable by offset, need no stored nonce, and make the
 * ciphertext length a pure function of the plaintext length. Limits: a frame is far below GCM's
 * 2^36-byte per-message limit, and a 5 TiB object is 2^26 frames, far below the 2^32 invocations
 * per key that GCM analyses assume.
 *
 * <p><b>What the binding buys.</b> The nonce binds part and position, so a frame moved, swapped or
 * duplicated within the object fails its tag. The final flag makes a part cut at a frame boundary
 * fail (the new last frame was written non-final) as well as one extended by a frame (the old final
 * frame is no longer the last). The identity makes a blob copied to another bucket or key fail,
 * even with its metadata, so CopyObject to another key must decrypt and re-encrypt. It does not
 * detect a rollback to an older version of the same bucket/key written with its own envelope.
 *
 * <h2>Range reads ({@link dev.sseproxy.crypto.RangeMath})</h2>
 * A plaintext range maps, part by part, to the whole frames it touches. The segments of one range
 * are contiguous in the stored body, so one backend range request fetches them all. Frames are
 * decrypted whole; the first {@code skip} plaintext bytes of a segment are dropped and
 * {@code emit} bytes are returned. Only frames whose tag verified are ever returned. An empty part
 * lying between two bytes of the range is fetched too (its one tag), keeping the run contiguous.
 * A run that stops before a part's final frame cannot detect truncation after it, and need not: a
 * truncated object fails every read that reaches the missing frames.
 *
 * <h2>Key wrapping ({@link dev.sseproxy.crypto.KeyWrap})</h2>
 * {@code wrapped = 0x01 || nonce (12 random bytes) || AES-256-GCM(kek, nonce, key (32), 0x01 || aad) || tag (16)},
 * 61 bytes. The caller's {@code aad} binds the key to its use; for object keys it is
 * {@link dev.sseproxy.crypto.Envelope#keyWrapAad}:
 * {@code BYTE(envelope version) || lp(algorithm id) || lp(SSE mode name) || lp(wrapping scheme name) || identity}
 * where {@code lp(s) = BE16(len(ASCII(s))) || ASCII(s)}; the version byte is the envelope's
 * {@code v} ({@code 0x01} or {@code 0x02}), so a key wrapped for a version-2 envelope does not unwrap
 * under one relabelled as version 1. Readers reject any leading byte other than
 * {@code 0x01} ({@code UnknownFormat}); a wrong length, KEK or aad is {@code Tampered}.
 *
 * <h2>SSE-C customer keys ({@link dev.sseproxy.crypto.CustomerKeys})</h2>
 * The customer key {@code K} (the 32 bytes the client sent, after the caller checked its base64 and
 * MD5) is never stored, in any form that gives it back. Each object written with SSE-C (each single
 * PUT, each copy destination, each multipart upload with all its parts) gets a fresh random
 * {@code salt} of 16 bytes, from which:
 * <ul>
 *   <li>{@code verifier = salt || HMAC-SHA256(K, ASCII("sse-proxy/ssec-verifier/v1") || salt)},
 *       48 bytes, stored as {@code b64u(verifier)} in the envelope's {@code ssec} field;</li>
 *   <li>{@code kek = HMAC-SHA256(K, ASCII("sse-proxy/ssec-kek/v1") || salt)}, 32 bytes, the KEK
 *       that wraps the object key (see Key wrapping; envelope {@code wrap} is {@code SSE_C_DERIVED}).
 *       It is derived again on every read and never stored.</li>
 * </ul>
 * A presented key <b>matches</b> when the verifier recomputed with the stored salt equals all 48
 * stored bytes, compared in constant time ({@code MessageDigest.isEqual}). A stored verifier that is
 * not 48 bytes matches no key (the read then fails as a wrong key, never as a server error).
 * <p><b>Why this is sound.</b> HMAC-SHA256 under a uniformly random 256-bit key is a pseudo-random
 * function, so its outputs on distinct inputs are independent: the two labels differ and neither is
 * a prefix of the other, and each is followed by exactly 16 salt bytes, so no verifier input equals
 * a KEK input and the stored verifier tells nothing about the KEK. The salt makes the verifiers of
 * one key differ between objects, so the stored metadata does not show which objects share a key
 * (the key's MD5, which S3 echoes, is therefore not stored). The KEK also authenticates on its own:
 * a wrong key that somehow passed the verifier fails the unwrap as {@code Tampered}. The verifier is
 * only as strong as the key: a client that derives its SSE-C key from a password exposes that
 * password to offline guessing by whoever reads the backend's metadata, as S3's stored key MD5
 * would. The {@code v1} in the labels names this derivation; another one needs a new envelope version.
 *
 * <h2>Envelope ({@link dev.sseproxy.crypto.Envelope})</h2>
 * Stored as user metadata of the backend object, under the reserved prefix
 * {@code x-amz-meta-sse-proxy-} (clients can neither set nor see it), names lower-case, values
 * printable ASCII without spaces. Absent fields are not written. Two layouts
 * ({@link dev.sseproxy.crypto.EnvelopeLayout}); the cryptography, the fields and the version are the
 * same in both, and both are always read:
 * <ul>
 *   <li><b>Packed</b> (written by default): one entry, {@code x-amz-meta-sse-proxy-envelope}, whose
 *       value is every field as {@code name=value} in the order of the table below, separated by
 *       single spaces (no value holds a space; a value may hold {@code =}, so a token splits at its
 *       first one), e.g. {@code v=2 alg=AES256-GCM-64K mode=SSE_S3 wrap=BUCKET_KEY wk=AQID size=5
 *       parts=1x5 mac=...}. A packed entry beside fields of their own, a second packed entry, an
 *       empty name or value, a token without {@code =}, a doubled or leading or trailing space and an
 *       unknown or repeated field are malformed ({@code UnknownFormat}).
 *   <li><b>Fields</b>: one entry per field, {@code x-amz-meta-sse-proxy-<name>}: every object written
 *       before the packed layout, and every one written with {@code
 *       sse-proxy.encryption.envelope-layout=fields}, which a rolling upgrade from such a version sets
 *       until every replica reads the packed layout ({@code EnvelopeLayoutIT}: two replicas, one in
 *       each layout, read, head and list each other's objects).
 * </ul>
 * Companions stored beside an envelope ({@code etag-ref}, {@code replica-of}: not fields) are
 * entries of their own in both layouts. Code that needs one field of a listed or stat'ed object
 * reads it through {@link dev.sseproxy.crypto.Envelope#storedFields}, which gives both layouts the
 * same shape.
 * <p><b>Why packed: decision and numbers (issue 14).</b> A 4 KiB SSE-S3 object's envelope has 12
 * fields (about 500 bytes), and MinIO pays per metadata entry on every GET and HEAD, not per byte.
 * Measured 2026-12-07 with warp GETs at concurrency 16 directly on MinIO (three interleaved rounds of
 * 15 s, 256 objects of 4112 bytes each): objects with no user metadata 41,500-44,700 GETs per round
 * at 0.39-0.45 ms of MinIO CPU per GET; with the 13 entries of the fields layout 36,500-37,600 at
 * 0.46-0.49; with the same text packed into one entry 40,500-42,000 at 0.42-0.43, as without
 * metadata. Through the proxy (4 KiB GETs at concurrency 16 after a 90 s warm-up, two interleaved
 * pairs of 20 s rounds, the machine drifting between them) the packed layout read 1,610 against
 * 1,575 and 1,490 against 1,381 GETs per second, MinIO 0.485 against 0.494 and 0.513 against 0.551
 * ms per GET, the proxy 0.382 against 0.401 and 0.434 against 0.467 (it parses 12 fewer response
 * headers). An earlier measurement (same day, {@code bench/floor/metadata.sh}, MinIO at a fixed
 * 400 GETs per second) had found at most 0.05 ms per GET and kept one entry per field to avoid a
 * second layout; at a fixed low rate MinIO's per-request overhead hides the difference that a
 * saturated machine, which the benchmark is, shows as throughput. The price is the second layout
 * above and the switch for rolling upgrades.
 * <p>MinIO's CPU per GET rises as the request rate falls (the same plain GET: 0.69 ms at 860 per
 * second, 1.39 at 400; warp on plain objects: 0.65 ms per GET at 1,200 per second, 0.98 at 770, 1.45
 * at 400, 2.2 at 200, 3.9 at 100), so {@code bench/floor/floor.sh} compares the proxy with direct
 * MinIO at the proxy's rate too ({@code direct@rate}). Objects this small are stored inline in
 * {@code xl.meta} in both layouts (no separate part file).
 * <table>
 *   <caption>envelope versions 1 and 2, in either layout (this code writes 2 and reads both)</caption>
 *   <tr><th>name (after the prefix, or in the packed entry)</th><th>value</th><th>required</th></tr>
 *   <tr><td>{@code v}</td><td>{@code 2} ({@code 1}: written by older code)</td><td>yes</td></tr>
 *   <tr><td>{@code alg}</td><td>{@code AES256-GCM-64K} (this frame format) or {@code NONE} (body stored as plaintext)</td><td>yes</td></tr>
 *   <tr><td>{@code mode}</td><td>{@code SSE_S3} | {@code SSE_KMS} | {@code SSE_C} | {@code NONE}</td><td>yes</td></tr>
 *   <tr><td>{@code kms-key}</td><td>KMS key ARN</td><td>no</td></tr>
 *   <tr><td>{@code kms-ver}</td><td>KMS key version, decimal</td><td>no</td></tr>
 *   <tr><td>{@code wrap}</td><td>{@code BUCKET_KEY} | {@code KMS_DATA_KEY} | {@code SSE_C_DERIVED}</td><td>unless alg is NONE</td></tr>
 *   <tr><td>{@code wk}</td><td>{@code b64u(wrapped object key)}</td><td>unless alg is NONE</td></tr>
 *   <tr><td>{@code bk-id}</td><td>bucket-key id (e.g. a hash of the wrapped bucket key)</td><td>no</td></tr>
 *   <tr><td>{@code bk}</td><td>{@code b64u(wrapped bucket key)}</td><td>no</td></tr>
 *   <tr><td>{@code ctx}</td><td>{@code b64u(UTF8(user encryption context as RFC 8785 JSON))}: the
 *       {@code x-amz-server-side-encryption-context} the object was written with, replayed to the KMS
 *       on every read (S3 stores it with the object too); absent when none was given</td><td>no</td></tr>
 *   <tr><td>{@code size}</td><td>plaintext size, decimal</td><td>yes</td></tr>
 *   <tr><td>{@code etag}</td><td>plaintext ETag without quotes</td><td>no (unknown until the body is read)</td></tr>
 *   <tr><td>{@code cks}</td><td>{@code ALGORITHM:value}, e.g. {@code CRC32C:yZRlqg==}</td><td>no</td></tr>
 *   <tr><td>{@code ssec}</td><td>{@code b64u(salted HMAC of the SSE-C key)}</td><td>no</td></tr>
 *   <tr><td>{@code parts}</td><td>part table, or {@code sha256:b64u(SHA-256(ASCII(part table)))} when stored elsewhere</td><td>yes</td></tr>
 *   <tr><td>{@code mac}</td><td>version 2 only: {@code b64u(table MAC)} (see Envelope integrity); absent
 *       only in the provisional envelope of an open multipart upload, which therefore never reads</td><td>no</td></tr>
 * </table>
 * <b>What {@code wk} holds</b>, per {@code wrap}: {@code BUCKET_KEY}: {@code KeyWrap(bucketKey, objectKey,
 * keyWrapAad)}, with {@code bk} the bucket key as the KMS wrapped it (context
 * {@code {"aws:s3:arn":"arn:aws:s3:::<bucket>"}}; for SSE-S3 under the proxy's own SSE-S3 key) and
 * {@code bk-id = b64u(SHA-256(bk))[0..22]}; {@code KMS_DATA_KEY}: the KMS ciphertext of a per-object
 * data key (context {@code {"aws:s3:arn":"arn:aws:s3:::<bucket>/<key>"}} plus the user context),
 * which in version 1 is the object key itself and from version 2 gives it as
 * {@code objectKey = HMAC-SHA256(dataKey, ASCII("sse-proxy/kms-object-key/v2"))}
 * ({@link dev.sseproxy.crypto.Envelope#kmsObjectKey}; a KMS ciphertext cannot carry the envelope
 * version, the derivation makes a version-2 object relabelled as version 1 fail every frame); {@code SSE_C_DERIVED}: {@code KeyWrap(kek, objectKey, keyWrapAad)} with the KEK
 * derived from the customer key and {@code ssec} its salted verifier (see SSE-C keys).
 * <p><b>Multipart uploads</b> are created with a provisional envelope (size 0, table {@code 1x0}, no
 * {@code mac}: it reads as {@code Tampered}, never as data; an upload begun by older code keeps
 * version 1 to its completion) and get their real one when completed, by a
 * metadata-only copy of the object onto itself. An object of more than the buffered size whose ETag
 * is an MD5 (SSE-S3) and whose client sent no {@code Content-MD5} names a random write id beside its
 * envelope ({@code x-amz-meta-sse-proxy-etag-ref}, not an envelope field) and its ETag lives in the
 * catalog (below); with {@code Content-MD5} the ETag is known, checked at the end, and written with the
 * body. A trailer checksum, known only at the end too, is stamped into the envelope by a metadata-only
 * copy after the body has streamed (the MD5 ETag then goes inline with it). In a versioned bucket that
 * copy names the version just written on both sides, so MinIO rewrites that version in place instead of
 * adding one ({@code dev.sseproxy.sse}, "Versions").
 * <p><b>The MD5 ETag of a streamed SSE-S3 PUT: decision and numbers (issue 14).</b> S3's ETag of
 * an SSE-S3 object is the MD5 of its plaintext, known only after the last byte, while the backend
 * takes user metadata only before the body. The MD5 is computed in the same pass as the
 * encryption, on the request's event loop, reading each client buffer once before it is encrypted
 * from where it lies ({@link dev.sseproxy.crypto.FrameEncryptor}); measured on this machine's
 * EPYC (JDK 17 intrinsics, warm) MD5 costs 104 ms of CPU per 64 MiB against 28 ms for AES-GCM.
 * It stays on the event loop: handing it to another core saves no CPU (the figure the benchmark
 * weighs), needs a thread hop and a bounded queue per client buffer, and on two cores under
 * load both are busy already.
 * <p><i>Where the ETag goes.</i> Until 2026-12-07 a second, metadata-only backend request stamped it
 * into the envelope after the body. That request was not cheap: measured directly against MinIO
 * (boto3, 64 MiB, If-Match, medians), MinIO's first metadata-only copy of a freshly written object
 * costs it CPU in proportion to the size (16 MiB 120 ms, 32 MiB 200 ms, 64 MiB 260-560 ms, 128 MiB
 * 730 ms; 0.4-2 s wall), against 560-580 ms for the 64 MiB PUT itself, while a second copy of the same
 * object costs 10-60 ms: MinIO's CopyObject handler opens a full reader of the source
 * ({@code GetObjectNInfo}, cmd/object-handlers.go) before it decides the copy is metadata-only, and no
 * request header avoids it (a {@code sync} between PUT and copy changed nothing). It also left a window
 * (and, after a crash between the two requests, a lasting state) in which the object read with the
 * backend's ETag instead of the MD5. <b>Now</b> the write carries a random 128-bit write id in its
 * metadata, and when the last plaintext byte has passed every check (the MD5 is known) the proxy
 * inserts {@code (bucket, key, write id, etag)} into the catalog ({@code dev.sseproxy.catalog.ObjectEtags},
 * V29) <em>before</em> the final frame goes to the backend, so the object is never complete without
 * its ETag; if the insert fails the final frame is never sent and the PUT fails. HEAD, GET, copies,
 * conditions and GetObjectAttributes take it through {@code dev.sseproxy.sse.StoredEnvelopes#load},
 * listings (ListObjects v1 / v2, ListObjectVersions, inventory) in one query per page for the page's
 * write ids; both through a bounded cache (rows never change). The rows go with the part-table sweeps.
 * A row that is gone (swept in a race, deleted by hand) leaves the object readable with the backend's
 * ETag. A trailing record in the stored body was rejected: HEAD, GET's headers and every listed object
 * would need an extra ranged backend read. Measured: see README, "Performance" (T1).
 * <p><b>Listings</b> (ListObjects v1 / v2 / versions) show the plaintext size and the same ETag as
 * HEAD without an index: the proxy always lists with MinIO's list-with-metadata extension
 * ({@code list-type=2&metadata=true}, which returns each object's user metadata) and takes
 * {@code size} and {@code etag} from the envelope fields there; an object without an envelope
 * (legacy plaintext) shows the backend's own values, and one without an {@code etag} field (an
 * opaque-ETag mode whose envelope needed no stamp) the backend's ETag, which is then also what
 * HEAD reports. v1 markers become {@code start-after}; ListObjectVersions asks MinIO's version listing
 * with the same extension ({@code versions&metadata=true}) and passes key and version-id markers through.
 * <p><b>Part table</b> (plaintext size of each part, run-length encoded): {@code run ("," run)*} with
 * {@code run = [first ":"] count "x" size}; a run is {@code count} parts of {@code size} bytes with
 * consecutive part numbers starting at {@code first}, which defaults to one past the previous run
 * (1 for the first run). Decimal, no leading zeros, no sign. Part numbers are distinct but need not increase (a retried part is encrypted under a fresh, higher number, see above);
 * the encoder always writes the shortest form (adjacent equal runs merged, {@code first} omitted where
 * implied). A single PUT of 5 bytes is {@code 1x5}; 1,000 parts of 8 MiB and a last one of 1234 bytes
 * is {@code 999x8388608,1x1234}; parts 1, 2 and 5 is e.g. {@code 2x100,5:1x300}. Sizes sum to
 * {@code size}.
 * <p><b>Where the table is stored.</b> The backend keeps at most 2 KiB of user metadata per object
 * (S3 and MinIO), which about 45 distinct part sizes or 30 retried parts (each retry has a
 * number of its own, so a run of its own) already exceed. The encoded table is stored inline when it
 * takes at most {@link dev.sseproxy.crypto.Envelope#PART_TABLE_BUDGET} characters, which keeps a
 * whole envelope under about 1.5 KB. Beyond that {@code toMetadata(layout)} throws
 * {@link dev.sseproxy.crypto.Envelope.PartTableTooLarge}; the caller then stores the table <b>out of
 * line, in the PostgreSQL catalog</b> (table {@code sse_part_table}, migration V9: the encoded table
 * keyed by bucket, key and its SHA-256; see {@code dev.sseproxy.catalog.PartTables} for when rows
 * go) and writes {@code toMetadataWithExternalPartTable(layout)}, whose {@code parts} value is
 * {@code sha256:} and the table's digest. A reader (only through
 * {@code dev.sseproxy.sse.StoredEnvelopes#load}) fetches the row and gives it to
 * {@code withPartTable}, which rejects a table that does not match the digest or the {@code size}
 * ({@code Tampered}); a missing row is {@code Tampered} too. The catalog was chosen over a side
 * object in MinIO because MinIO would need a reserved key hidden from every listing, delete, copy
 * and multipart listing, while the catalog is already on the write path of every multipart upload.
 * An out-of-line row holds part sizes only (digits, {@code x}, {@code :} and {@code ,}), never object data.
 * A table of {@link dev.sseproxy.crypto.PartTable#MAX_PARTS} parts of 7-digit sizes takes about 100 KB.
 *
 * <h2>Envelope integrity ({@link dev.sseproxy.crypto.TableMac}, version 2)</h2>
 * The frames authenticate each part's bytes but not which parts make the object, and the key wrap
 * is made before a multipart upload's table is known, so version 2 adds a MAC over size and table
 * under a key that only the object key gives:
 * <ul>
 *   <li>{@code macKey = HMAC-SHA256(objectKey, ASCII("sse-proxy/table-mac-key/v2"))};</li>
 *   <li>{@code tag(p) = HMAC-SHA256(macKey, BE32(p.number) || BE64(p.plaintextLength))} per part;</li>
 *   <li>{@code mac = SHA-256(ASCII("sse-proxy/table-mac/v2") || BE64(size) || BE32(n) || tag(p_1) || ... || tag(p_n))},
 *       the parts in table order, stored as {@code b64u(mac)} in {@code mac}.</li>
 * </ul>
 * A single PUT computes it from the object key it has just made. A multipart upload computes each
 * part's tag at UploadPart, where the upload key is at hand in every mode (an SSE-C part carries the
 * customer key), keeps it in the catalog with the part attempt, and combines the chosen parts' tags
 * at completion, where an SSE-C upload's key need not be sent. The tags never reach MinIO, so whoever
 * can edit only MinIO cannot combine them anew. Every read of content unwraps the object key (whose
 * wrap binds the identity, mode, scheme and version) and checks the MAC ({@code Envelope.verifyTable})
 * before a byte or a header goes out: an edited {@code size} (inline: it must equal the table's sum,
 * else {@code UnknownFormat}), an edited table (inline or out of line, with or without its digest
 * edited to match), a removed MAC, or a relabelling as version 1 (the wrap's version byte, or for
 * {@code KMS_DATA_KEY} the object-key derivation, no longer matches) all fail as
 * {@code Tampered}/{@code UnknownFormat}, which the proxy answers with 500 {@code InternalError} like
 * any other tamper failure. HEAD and listings report the stored size without unwrapping the key (a
 * KMS call for {@code KMS_DATA_KEY}), so they show an edited size; GET never serves it. Version 1
 * objects have no MAC and read as before; their frames still catch every edit but the loss of
 * whole trailing parts.
 * <p><b>Reading.</b> A metadata map with no name under the prefix is a legacy plaintext object,
 * served unchanged ({@code fromMetadata} returns empty), or refused with 403 {@code AccessDenied} when
 * {@code sse-proxy.encryption.legacy-plaintext=refuse}. A map with any name under the prefix is an
 * envelope: a version other than {@code 1} or {@code 2}, an unknown algorithm, mode or scheme, an
 * unknown or duplicated name under the prefix (version 1 has no {@code mac}), a missing required
 * field, or a malformed value is {@code UnknownFormat}: never served as plaintext. Any new field
 * needs a new version. Names are matched case-insensitively (backends canonicalise header case).
 */
package dev.sseproxy.crypto;
