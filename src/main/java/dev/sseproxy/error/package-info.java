/**
 * The one S3 error type at the edge: {@link dev.sseproxy.error.S3ErrorCode} (AWS's exact code string,
 * HTTP status and usual message), the immutable {@link dev.sseproxy.error.S3Exception} with factories
 * named for the situation, and {@link dev.sseproxy.error.ErrorTranslator}, the one place that maps the
 * inner layers' own exceptions ({@code KmsException}, {@code CatalogException}, {@code SseException},
 * {@code AuthException}, {@code BackendException}, …) to the S3 error a client sees.
 *
 * <p><b>Dependencies.</b> The packages whose exceptions it translates: {@code auth}, {@code backend},
 * {@code catalog}, {@code crypto}, {@code kms}, {@code sse}. Packages below those (e.g. {@code kms},
 * {@code catalog}) therefore throw their own exceptions rather than {@code S3Exception}; the services
 * above them ({@code coverage}, {@code inventory}, {@code batch}, …) may throw {@code S3Exception}
 * directly. {@code ArchitectureTest.topLevelPackagesAreFreeOfCycles} keeps it that way.
 *
 * <p>"spec §N.M" in this package's documentation and comments means section N.M of
 * {@code docs/s3-sse-behaviour.md} in this repository (S3's server-side encryption on the wire).
 */
package dev.sseproxy.error;
