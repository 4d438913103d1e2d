/**
 * Bucket replication: S3's {@code ReplicationConfiguration}, a durable queue in PostgreSQL, and workers that
 * decrypt each new object version and write it, encrypted again, to its destination bucket.
 *
 * <p><b>Configuration</b> ({@code api.BucketReplicationOperation}, {@code api.ReplicationCodec}; stored as
 * {@link dev.sseproxy.catalog.BucketReplication} on the bucket row, migration V26, so the cached bucket carries
 * it). PutBucketReplication replaces the whole configuration after S3's checks; GetBucketReplication answers
 * it (or 404 {@code ReplicationConfigurationNotFoundError}); DeleteBucketReplication removes it. The source
 * bucket must have versioning Enabled, and so must a destination behind this proxy. Both schemas are
 * accepted: V1 (a rule-level {@code Prefix}, no priority, delete markers replicate) and V2 ({@code Filter}
 * with {@code Prefix}, {@code Tag} or {@code And}, {@code Priority}, {@code DeleteMarkerReplication}).
 *
 * <p><b>Destinations.</b> A destination {@code arn:aws:s3:::name} is a bucket behind this proxy, of the same
 * account or of another one; or, when the administrator configured {@code name} as an external bucket
 * ({@code sse-proxy.replication.external.<name>.*}: endpoint, region, access key), a bucket on that S3
 * endpoint. Replication acts as the source bucket's owner: a destination owned by another account must allow
 * {@code s3:ReplicateObject} (and {@code s3:ReplicateDelete} for delete markers) to that owner in its bucket
 * policy, checked when each object replicates (a refusal makes the object FAILED, as on S3).
 *
 * <p><b>What replicates</b> (decided when the write is acknowledged, from {@link
 * dev.sseproxy.catalog.BucketReplication#rulesFor}): every new object version a PutObject, PostObject,
 * CopyObject or CompleteMultipartUpload creates in a bucket with a configuration, once per destination;
 * SSE-KMS (and DSSE-KMS) objects only when the rule enables {@code SseKmsEncryptedObjects}; SSE-C objects
 * never (the proxy does not hold their key); replicas themselves never (no chains back). A DeleteObject
 * without a version id (a delete marker) replicates as a delete marker when the rule enables
 * {@code DeleteMarkerReplication} and does not filter by tags; deleting a specific version never replicates.
 * With {@code ExistingObjectReplication} Enabled, objects already in the bucket when the rule is put are
 * queued too.
 *
 * <p><b>Encryption of replicas</b> (the rule, which differs from S3's own, see
 * {@code docs/s3-sse-behaviour.md} §7.3): the replica is decrypted and encrypted again, with SSE-KMS under
 * {@code ReplicaKmsKeyID} when the rule names one, otherwise as the destination bucket's default encryption
 * says (SSE-S3 when it has none). It keeps the source's user metadata, content headers, tags and
 * last-modified order; its bytes and client ETag equal the source's plaintext ones.
 *
 * <p><b>Status</b>: {@code x-amz-replication-status} on GET and HEAD of a source version: {@code PENDING}
 * until every destination has it, then {@code COMPLETED}, or {@code FAILED} once a destination gave up; on a
 * replica: {@code REPLICA}.
 */
package dev.sseproxy.replication;
