/**
 * The one S3 error type at the edge: {@link dev.sseproxy.error.S3ErrorCode} (every error this endpoint
 * can return, with AWS's exact code string, HTTP status and usual message), the immutable
 * {@link dev.sseproxy.error.S3Exception} built by factories named for the situation, and
 * {@link dev.sseproxy.error.ErrorTranslator}, the one place that turns any failure (SSE header checks,
 * KMS and key registry failures, backend answers) into the error the client sees.
 *
 * <p>"spec §N.M" in this package's documentation and comments means section N.M of
 * {@code docs/s3-sse-behaviour.md} in this repository (S3's server-side encryption on the wire).
 */
package dev.sseproxy.error;
