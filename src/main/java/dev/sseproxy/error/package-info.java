/**
 * The one S3 error type at the edge: {@link dev.sseproxy.error.S3ErrorCode} (AWS's exact code string,
 * HTTP status and usual message) and the immutable {@link dev.sseproxy.error.S3Exception} with factories
 * named for the situation. The inner layers' own exceptions ({@code KmsException}, {@code CatalogException},
 * {@code SseException}, {@code AuthException}, {@code BackendException}, ...) are mapped to the S3 error a
 * client sees by {@code dev.sseproxy.api.ErrorTranslator}, at the edge.
 *
 * <p><b>Dependencies.</b> None of the proxy's packages: every layer may throw {@code S3Exception}
 * ({@code ArchitectureTest.topLevelPackagesAreFreeOfCycles} keeps it at the bottom; the translator
 * moved to {@code api} because it knows every layer).
 *
 * <p>"spec §N.M" in this package's documentation and comments means section N.M of
 * {@code docs/s3-sse-behaviour.md} in this repository (S3's server-side encryption on the wire).
 */
package dev.sseproxy.error;
