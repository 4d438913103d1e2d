/**
 * What is stored, and how it is encrypted: the scan every coverage figure, inventory report and
 * generated batch manifest is built on, and S3 Inventory (issue 13).
 *
 * <h2>The scan</h2>
 * {@link dev.sseproxy.inventory.ObjectScan} walks a bucket at the backend with one v2 listing with
 * MinIO's {@code metadata=true} extension (1,000 keys a page, one page in memory), so each object's
 * envelope headers come with the listing: no HEAD, no KMS call, no decryption. Each entry becomes a
 * {@link dev.sseproxy.inventory.ScannedObject} in client terms: the plaintext size and the client
 * ETag from the envelope, the backend ETag beside it (what a conditional rewrite compares), and the
 * {@link dev.sseproxy.inventory.EncryptionStatus}: {@code NOT-SSE} for an object without envelope
 * (written to MinIO before the proxy, or in an adopted bucket: served as stored, never reported as
 * encrypted), else the envelope's mode. An object whose envelope headers are present but unreadable
 * is reported as encrypted (its bytes at rest are ciphertext), never as NOT-SSE. {@code
 * BucketKeyStatus} is {@code ENABLED} only for SSE-KMS objects under an S3 Bucket Key, as S3 reports
 * it (the proxy also wraps SSE-S3 keys under an internal bucket key; S3 reports none for SSE-S3).
 * The KMS key ARN of SSE-KMS / DSSE-KMS objects is kept: S3 Inventory has no such field, so inventory
 * reports carry it only as the optional extra field documented below.
 */
package dev.sseproxy.inventory;
