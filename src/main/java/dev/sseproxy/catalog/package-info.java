/**
 * The catalog in PostgreSQL: accounts, access keys, buckets and the KMS key registry's rows.
 *
 * <h2>Access-key secrets ({@link dev.sseproxy.catalog.AccessKeySecrets})</h2>
 * Column {@code access_key.secret_sealed} never holds a secret in clear. Its first byte says how it
 * was sealed:
 * <ul>
 *   <li>{@code 0x02 || ciphertext}: sealed by the KMS port. {@code ciphertext} is what
 *       {@code KmsClient.encrypt} returned (opaque, self-describing, with its key version:
 *       {@code local:v<N>:...} or {@code vault:v<N>:...}) for {@code UTF8(secret)} under the proxy-owned
 *       KMS key {@code sse-proxy.kms.secrets-key-name} (default {@code sse-proxy-secrets}), with the
 *       encryption context
 *       {@code {"access-key-id": <access key id>, "account-id": <account id>, "sse-proxy:use": "access-key-secret"}},
 *       so a value copied to another key's or another account's row does not open. The KMS key is
 *       created at start when missing ({@code createKey} is idempotent); renaming the setting makes
 *       stored secrets unreadable. Rotating the KMS key leaves existing rows readable; they are
 *       re-sealed under the newest version whenever they are written again. The root key is written at start
 *       only when it differs from the configuration (account, status, or a secret that opens to another
 *       value); one that does not open at all stops the start rather than being overwritten, since the
 *       node that sealed it may still use it (re-sealing it at every start of every node broke clusters).</li>
 *   <li>{@code 0x01 || ...}: <b>legacy</b>, sealed by {@link dev.sseproxy.crypto.SecretSealer} under the
 *       master key with the access key id as associated data (crypto package documentation, "Sealed
 *       secrets").</li>
 * </ul>
 * Every other first byte is refused ({@code UnknownFormat}).
 *
 * <p><b>Legacy rows are migrated at start, not read on the request path.</b> At every start, before
 * the root key is brought in line with the configuration, every {@code 0x01} row is opened with the
 * master key, sealed by the KMS and written back ({@code AccountService.prepareSecrets}); a row that
 * does not open under this master key is left as it is, with a warning. Request authentication opens
 * only {@code 0x02} rows, so with Vault the master key no longer opens any stored secret once the
 * migration ran; a legacy row written later by an older node fails to authenticate until the next start.
 *
 * <p><b>Caching.</b> Credentials are looked up per request; {@code AccountService} keeps the opened
 * credential in memory (bounded in bytes, see {@code LookupCaches}; each for {@code sse-proxy.credential-cache-ttl}, default 5
 * minutes, after it was loaded, dropped when the key is deleted or re-sealed, on every node through the
 * change feed of {@code dev.sseproxy.cluster}), so PostgreSQL and the KMS
 * see one call per access key in use per lifetime, not one per request. Unknown and inactive keys are
 * cached as absent the same way and never reach the KMS.
 *
 * <p><b>The reload is the proxy's own KMS call.</b> When a cached credential has expired, the next
 * request with that access key waits for a KMS {@code Decrypt} under the secrets key (encryption context
 * {@code sse-proxy:use=access-key-secret}, {@code access-key-id}, {@code account-id}), counted in
 * {@code sse_proxy_kms_requests_total{operation="decrypt"}} and audited as a KMS event naming the
 * secrets key, whatever that request is: a GET of an object under a cached S3 Bucket Key, which makes
 * no KMS call of its own, is then preceded by this one. A test or a dashboard that wants "the KMS calls
 * of reads" counts the KMS events of the object's key (or bucket), not every decrypt of the process.
 *
 * <h2>ACLs and object ownership (V12, {@link dev.sseproxy.catalog.ObjectAcls})</h2>
 * {@code bucket.object_ownership} (null: no ownership controls, which acts as ObjectWriter) and
 * {@code bucket.acl} (null: the owner's full control) ride on the bucket row, so the cached
 * {@link dev.sseproxy.catalog.BucketCatalog#find} answers them (other nodes drop their entry when the
 * change feed of {@code dev.sseproxy.cluster} tells them, at the latest when it expires after a minute). {@code object_acl} holds an object's owner and grants only where they differ from
 * the default and only while the bucket's ACLs are enabled; so a bucket in the default era
 * ({@code BucketOwnerEnforced}) costs no extra read, and an ACL-enabled bucket one indexed read per
 * GetObject / HeadObject / object-ACL call. A write forgets the old row before it stores the object
 * (fail closed) and records the new one before it answers; {@code upload_acl} carries a multipart
 * upload's ACL to its first successful Complete. Grants are stored in
 * {@link dev.sseproxy.authz.AccessControlList#encode}'s text form; the decision itself is
 * {@code dev.sseproxy.authz}'s.
 *
 * <h2>Repositories and dependencies</h2>
 * The catalog is where SQL lives. Besides the Panache entities and the services above (accounts, buckets,
 * IAM, ACLs), it holds repositories named for what they answer, each over the reactive pool:
 * {@link dev.sseproxy.catalog.PartTables} (out-of-line part tables), {@link dev.sseproxy.catalog.ObjectEtags} (the
 * MD5 ETags of streamed SSE-S3 writes), {@link dev.sseproxy.catalog.CoverageSnapshots}
 * (coverage snapshots and the bucket list a scan walks), {@link dev.sseproxy.catalog.InventoryConfigurationRows}
 * (S3 Inventory configurations), {@link dev.sseproxy.catalog.AuditEventRows} (the audit trail's inserts, one
 * statement per batch), {@link dev.sseproxy.catalog.AuditEventPages} (LookupEvents' pages of the
 * audit trail), {@link dev.sseproxy.catalog.BackendKeyArns} (the registry ARN an audited KMS call names),
 * {@link dev.sseproxy.catalog.AuditLogFiles} (the audit trail's log files, planned and marked under the
 * delivery lease), {@link dev.sseproxy.catalog.AuditEventPurge} (audit retention),
 * {@link dev.sseproxy.catalog.RewrapJobRows} (rewrap jobs and their fenced checkpoints),
 * {@link dev.sseproxy.catalog.BatchJobRows} (S3 Batch Operations jobs and tasks, fenced by the job's lease),
 * {@link dev.sseproxy.catalog.TokenBucketRows} (the cluster's shared token buckets) and
 * {@link dev.sseproxy.catalog.DatabasePing} (readiness). Where a lower package needs storage, it names a port
 * and the catalog implements it ({@code kms.registry.KeyRepository}, {@code cluster.SharedTokenBuckets},
 * {@code kms.local.KeystoreStorage} by {@link dev.sseproxy.catalog.LocalKeystoreRows}, the local KMS's sealed
 * keystore; {@code cluster.LeaseStorage} by {@link dev.sseproxy.catalog.LeaseRows}, the cluster's leases;
 * {@code cluster.ChangeChannel} by {@link dev.sseproxy.catalog.ChangeNotifications}, the change feed's
 * {@code pg_notify});
 * packages above the catalog ({@code sse}, {@code coverage}, {@code inventory}, {@code audit},
 * {@code observability}, ...) call its repositories directly ({@link dev.sseproxy.catalog.BucketEncryptionRepository}
 * with {@link dev.sseproxy.catalog.StoredConfig}, {@link dev.sseproxy.catalog.PartTables}, {@link dev.sseproxy.catalog.MultipartUploads}, ...),
 * with rows of plain values. So {@code catalog} may depend on {@code authz}, {@code config}, {@code crypto},
 * {@code reactive}, {@code cluster} and {@code kms} (ports and their values), never on the packages that
 * use it; {@code ArchitectureTest.topLevelPackagesAreFreeOfCycles} holds that.
 */
package dev.sseproxy.catalog;
