/**
 * S3 Bucket Keys in memory ({@link dev.sseproxy.bucketkey.BucketKeyCache}): the data key a bucket's
 * SSE-KMS objects are wrapped under, per bucket and KMS key, single-flight and for a bounded lifetime,
 * so a thousand writes to a cold bucket make one KMS call. What a bucket key is and how objects are
 * wrapped under it is DESIGN's "Key hierarchy" and the {@code crypto} package documentation.
 *
 * <p><b>Dependencies.</b> {@code config}, {@code crypto} (key material) and {@code reactive} (results
 * back on the caller's context). It does not know the change feed that drops its entries on other nodes
 * ({@code ArchitectureTest.theCachesTheChangeFeedKeepsInLineDoNotKnowIt}).
 */
package dev.sseproxy.bucketkey;
