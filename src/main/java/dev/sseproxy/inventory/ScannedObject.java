package dev.sseproxy.inventory;

import java.time.Instant;
import java.util.Optional;

/**
 * One object as a scan sees it, in client terms (what a GET or an S3 Inventory row would say), read
 * from the backend's listing alone (no HEAD, no KMS call).
 *
 * @param size              the plaintext size (the envelope's, not the ciphertext's)
 * @param etag              the ETag clients see, unquoted (the envelope's; the backend's for NOT-SSE)
 * @param backendEtag       the backend's ETag of the stored bytes, unquoted: what a conditional
 *                          rewrite compares to detect a concurrent writer
 * @param multipartUploaded whether the object was stored by a multipart upload (its ETag ends {@code -N})
 * @param bucketKeyEnabled  whether it is an SSE-KMS object under an S3 Bucket Key (S3 reports none for
 *                          SSE-S3, although the proxy wraps SSE-S3 keys under an internal bucket key)
 * @param kmsKeyArn         the KMS key ARN for SSE-KMS / DSSE-KMS objects
 */
public record ScannedObject(String bucket, String key, long size, Instant lastModified, String etag,
        String backendEtag, boolean multipartUploaded, EncryptionStatus encryption, boolean bucketKeyEnabled,
        Optional<String> kmsKeyArn, String storageClass) {
}
