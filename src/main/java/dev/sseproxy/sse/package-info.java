/**
 * Which encryption a write gets, and the validation S3 applies to the SSE request headers
 * ({@code docs/s3-sse-behaviour.md} §3.1, §3.8, §3.9). Pure functions over lower-case header maps
 * and the bucket's default configuration; no I/O.
 *
 * <p>The bucket defaults themselves (spec §1) are kept by {@link dev.sseproxy.sse.BucketEncryptionStore},
 * over the {@link dev.sseproxy.sse.BucketEncryptionRepository} port (PostgreSQL in {@code catalog}).
 *
 * <p>Precedence: SSE-C headers (unless the bucket blocks SSE-C), then
 * {@code x-amz-server-side-encryption} (+ key id, context, bucket-key flag), then the bucket default,
 * then SSE-S3. {@code aws:kms} without a key id means the account's AWS managed key {@code aws/s3},
 * even when the bucket default names a customer key (as the PutObject documentation says).
 *
 * <p>"spec §N.M" in this package's documentation and comments means section N.M of
 * {@code docs/s3-sse-behaviour.md} in this repository (S3's server-side encryption on the wire).
 */
package dev.sseproxy.sse;
