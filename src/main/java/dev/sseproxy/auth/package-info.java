/**
 * Authentication and request integrity, as pure functions over values: SigV4 header and presigned-URL
 * verification ({@link dev.sseproxy.auth.SigV4Verifier}, with {@link dev.sseproxy.auth.AwsUriEncoding}
 * for the canonical request), the signing of the proxy's own backend requests
 * ({@link dev.sseproxy.auth.SigV4Signer}), {@code aws-chunked} bodies ({@link dev.sseproxy.auth.AwsChunkedDecoder},
 * {@link dev.sseproxy.auth.ChunkVerifier}), flexible checksums ({@link dev.sseproxy.auth.ChecksumAlgorithm},
 * {@link dev.sseproxy.auth.RequestChecksums}) and browser POST policies ({@link dev.sseproxy.auth.PostPolicy}).
 * A failure is an {@link dev.sseproxy.auth.AuthException} naming its kind; the HTTP layer renders it.
 *
 * <p><b>Dependencies.</b> The JDK and Jackson's streaming parser only: no framework, no other package
 * of the proxy ({@code ArchitectureTest.authImportsNoFrameworks}). Secrets arrive as arguments (the
 * caller looks the access key up).
 */
package dev.sseproxy.auth;
