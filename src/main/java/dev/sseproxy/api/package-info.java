/**
 * The S3 endpoint's HTTP edge, and the only package that imports JAX-RS / Vert.x web types: routing
 * ({@code S3Router}, {@code Dispatcher}), request authentication
 * ({@code RequestAuthenticator}), one operation class per family of S3 operations
 * (objects, multipart, copy, POST forms, bucket configuration such as
 * {@code BucketEncryptionOperation}), request bodies, and the documents S3 exchanges.
 *
 * <p>"spec §N.M" in this package's documentation and comments means section N.M of
 * {@code docs/s3-sse-behaviour.md} in this repository (S3's server-side encryption on the wire).
 */
package dev.sseproxy.api;
