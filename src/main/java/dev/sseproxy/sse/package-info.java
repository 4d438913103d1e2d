/**
 * Which encryption a write gets, and the validation S3 applies to the SSE request headers
 * ({@code docs/s3-sse-behaviour.md} §3.1, §3.8, §3.9). Pure functions over lower-case header maps
 * and the bucket's default configuration; no I/O.
 *
 * <p>The bucket defaults themselves (spec §1) are kept by {@link dev.sseproxy.sse.BucketEncryptionStore},
 * over the {@link dev.sseproxy.catalog.BucketEncryptionRepository} (PostgreSQL in {@code catalog}).
 *
 * <p>Precedence: SSE-C headers (unless the bucket blocks SSE-C), then
 * {@code x-amz-server-side-encryption} (+ key id, context, bucket-key flag), then the bucket default,
 * then SSE-S3. {@code aws:kms} without a key id means the account's AWS managed key {@code aws/s3},
 * even when the bucket default names a customer key (as the PutObject documentation says).
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
