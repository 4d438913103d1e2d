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
 *
 * <h2>Configurations</h2>
 * S3's {@code PutBucketInventoryConfiguration} / {@code Get…} / {@code List…} / {@code Delete…}
 * ({@code api.InventoryConfigurationOperation}, IAM actions {@code s3:PutInventoryConfiguration} for put
 * and delete, {@code s3:GetInventoryConfiguration} for get and list), stored by
 * {@link dev.sseproxy.inventory.InventoryConfigurations} (PostgreSQL, V19; a bucket's configurations go
 * with it). Up to 1,000 a bucket. What is accepted beyond what the proxy does: {@code Format} is CSV only
 * (ORC and Parquet are 501 NotImplemented); {@code IncludedObjectVersions All} is accepted and adds S3's
 * version columns, but the proxy keeps one version per key, so each row has an empty {@code VersionId},
 * {@code IsLatest true}, {@code IsDeleteMarker false}; every documented {@code OptionalFields} value is
 * accepted, and the fields without data here ({@link dev.sseproxy.inventory.InventoryField#filled()} false:
 * replication, Object Lock, Intelligent-Tiering, checksum algorithm, ACL, owner, lifecycle expiration) are
 * present as empty columns.
 *
 * <h2>Reports</h2>
 * {@link dev.sseproxy.inventory.InventoryReports} writes one report per run in S3's layout, in the
 * destination bucket:
 * <pre>
 * destination-prefix/source-bucket/config-ID/YYYY-MM-DDTHH-MMZ/manifest.json
 * destination-prefix/source-bucket/config-ID/YYYY-MM-DDTHH-MMZ/manifest.checksum   (MD5 hex of manifest.json)
 * destination-prefix/source-bucket/config-ID/hive/dt=YYYY-MM-DD-HH-MM/symlink.txt  (s3://dest/key of each data file)
 * destination-prefix/source-bucket/config-ID/data/&lt;uuid&gt;.csv.gz
 * </pre>
 * (no prefix: the keys start at {@code source-bucket/}; the timestamp is the minute the scan began,
 * UTC). Data files are gzipped CSV without header row ({@link dev.sseproxy.inventory.InventoryCsv}):
 * every field double-quoted, columns {@code Bucket, Key} (the key URL-encoded in UTF-8, form style: a
 * space is {@code +}, a slash {@code %2F}), then the optional fields in S3's column order whatever
 * order the configuration lists them in. Values: {@code Size} the plaintext size, {@code
 * LastModifiedDate} ISO-8601 UTC with milliseconds ({@code 2026-12-06T15:30:00.000Z}), {@code ETag}
 * unquoted (the client ETag), {@code StorageClass}, {@code IsMultipartUploaded true|false}, {@code
 * EncryptionStatus NOT-SSE|SSE-S3|SSE-KMS|SSE-C|DSSE-KMS}, {@code BucketKeyStatus ENABLED|DISABLED}.
 * A data file is cut at {@code sse-proxy.inventory.max-rows-per-file} rows or {@code max-file-size}
 * bytes of CSV, so one data file at most is in memory whatever the bucket's size. {@code manifest.json}
 * is S3's: {@code sourceBucket}, {@code destinationBucket} (its ARN), {@code version "2016-11-30"},
 * {@code creationTimestamp} (epoch milliseconds, as a string), {@code fileFormat "CSV"}, {@code
 * fileSchema} ("Bucket, Key, Size, ..."), {@code files[{key, size, MD5checksum}]} (the size and MD5 of
 * each gzip file). It is written after every data file, so a manifest only ever names files that exist.
 *
 * <p><b>The KMS key ARN column, not an S3 field</b>: S3 Inventory has no column for an object's KMS
 * key. The extra OptionalFields value {@code KMSKeyArn} adds one, last, with the key ARN of SSE-KMS and
 * DSSE-KMS objects (empty for the others); it appears in {@code fileSchema} as {@code KMSKeyArn}.
 *
 * <p><b>Delivery, encrypted and as S3 asks</b>: every report object is written through
 * {@code sse.InternalWrites#putServiceObject} as the service principal {@code s3.amazonaws.com}, with
 * {@code aws:SourceAccount} the source bucket's owner and {@code aws:SourceArn} the source bucket's ARN:
 * the destination bucket's policy must allow that principal {@code s3:PutObject} (S3's documented
 * inventory destination policy works unchanged), or the delivery is refused. Each object is encrypted
 * like any write: under the configuration's Destination Encryption (SSE-S3, or SSE-KMS with its key),
 * else the destination's default encryption. When the configuration names an {@code AccountId}, a
 * destination owned by another account is refused too. A refused or failed run is recorded on the
 * configuration ({@code lastStatus FAILED} with the S3 error code, admin API {@code GET
 * /admin/inventory}), counted by {@code sse_proxy_inventory_reports_total{outcome="failed",reason=...}},
 * and retried at the next check; nothing else stops.
 *
 * <h2>Schedule</h2>
 * {@link dev.sseproxy.inventory.InventoryScheduler}: every {@code sse-proxy.inventory.check-interval}
 * (10 minutes), the node that holds the cluster lease {@code inventory-reports} runs, one after the
 * other, the reports of enabled configurations that are due (Daily: never run or last run a day ago;
 * Weekly: a week; a failed run: at the next check). A node that dies mid-report leaves its configuration due, and
 * the next lease holder runs it again (a report is then written twice, never half: the manifest comes
 * last). On demand: {@code POST /admin/inventory/run} on the management port ({@code api.InventoryAdminRoutes}).
 */
package dev.sseproxy.inventory;
