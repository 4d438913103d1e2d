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
 * replica: {@code REPLICA}. A source version's status is one query on the queue (index on bucket, key,
 * version), made only for a bucket whose cached row has a configuration; a replica carries the reserved
 * backend metadata {@code x-amz-meta-sse-proxy-replica-of: <source bucket> <source version>} (never shown to
 * clients, which cannot set it), so its {@code REPLICA} costs nothing. A bucket without replication pays
 * nothing on reads or writes.
 *
 * <p><b>Queue and workers</b> ({@link dev.sseproxy.catalog.ReplicationQueue}, migration V27;
 * {@link dev.sseproxy.replication.ReplicationWorker}). {@code api.ObjectReplications} inserts one row per
 * destination (kind OBJECT or DELETE_MARKER, the rule's id, its {@code ReplicaKmsKeyID} and time threshold as
 * they were when the write was acknowledged) in the step that records event notifications, before the
 * success status is sent: a write the client heard of is queued, durably. Each node runs at most
 * {@code sse-proxy.replication.workers} replications at once: it claims due PENDING rows in one statement
 * ({@code UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED)} setting {@code claimed_by} and
 * {@code claim_until}), renews the claims of the rows it works on every third of
 * {@code sse-proxy.replication.claim-lease}, and settles a row only while it holds the claim. No transaction
 * stays open across a copy. A node that dies leaves its claims to expire; the next claim takes the rows. A
 * replica written just before its node died is recognised when the row is taken again (the destination's
 * current version is already that source version's replica): each row replicates once.
 * Before each row the worker takes a permit from the KMS rate limiter for the source bucket's owner (waiting as
 * a request would; none: the row goes back for a second), so a burst of replications shares the KMS budget
 * instead of starving clients; {@code sse-proxy.replication.max-per-second} paces the starts further. A failed
 * attempt is retried after {@code retry-first} doubled per attempt (at most {@code retry-max}); after
 * {@code max-attempts}, or at once for 403 AccessDenied (the destination's policy) and a source version that is
 * gone, the row is FAILED. Rows stay after they settle (the status header reads them).
 *
 * <p><b>Replicas</b> ({@code api.ReplicaObjectWrites}, one internal request each with its CloudTrail data
 * event, invoked by {@code s3.amazonaws.com}): the source version is read at the backend by version id and
 * decrypted with the source owner's KMS rights, streamed into the write pipeline
 * ({@code sse.SseService#write}) for the destination key, with the destination owner's KMS rights. A delete
 * marker row deletes the destination key without a version id (a delete marker there).
 *
 * <p><b>External destinations</b> ({@code sse-proxy.replication.external.<bucket>.*}): a row whose destination is
 * configured there is written to that S3 endpoint: the decrypted plaintext streamed in one PUT signed with SigV4
 * by the backend's own signer ({@code backend.MinioObjectStore#forEndpoint}, path-style addressing, the
 * configured credentials and region), with the source's content headers, user metadata and tags, and
 * {@code x-amz-server-side-encryption: aws:kms} plus the key id when the rule names {@code ReplicaKmsKeyID} (else
 * the endpoint's default encryption applies). The endpoint's 403 fails the row at once; other refusals are
 * retried. An external replica carries no replica mark (the endpoint would show it as user metadata), so a
 * replication interrupted between the PUT and the row's settlement sends the object again (a second version
 * there); a delete marker row sends a DELETE without a version id.
 *
 * <p><b>Existing objects</b> ({@link dev.sseproxy.replication.ExistingObjects}, migration V28): every node looks
 * every few seconds for buckets whose stored configuration has {@code ExistingObjectReplication} Enabled and no
 * scan for that very configuration; a scan row is made (a changed configuration starts it over), and the node
 * holding the lease {@code replication-scan:<bucket>} lists the bucket's current objects at the backend a page at
 * a time, queuing each object written before the scan started as its write would have (replicas, SSE-C objects
 * and SSE-KMS objects without the opt-in excluded). The last key queued is recorded per page: a scan resumes
 * there on another node. An object queued both by its write and by the scan is written once (the replica mark).
 *
 * <p><b>Metrics</b> ({@link dev.sseproxy.replication.ReplicationMetrics}): {@code sse_proxy_replication_queued_total},
 * {@code _completed_total}, {@code _failed_total}, {@code _retried_total}, {@code _bytes_total},
 * {@code sse_proxy_replication_pending}, {@code sse_proxy_replication_lag_seconds}. <b>Events</b>
 * ({@link dev.sseproxy.replication.ReplicationEvents}): {@code s3:Replication:OperationFailedReplication} when a
 * row fails, {@code s3:Replication:OperationReplicatedAfterThreshold} when a row of a rule with
 * {@code ReplicationTime} / {@code Metrics} completes after its threshold, to the source bucket's notification
 * destinations in S3's message shape (with {@code replicationEventData}).
 */
package dev.sseproxy.replication;
