/**
 * Cluster plumbing: what lets N replicas on one PostgreSQL behave as one endpoint.
 *
 * <h2>Change feed: cached state reaches every node within a second</h2>
 * Every node caches catalog state on the request path. A change made through one node drops that
 * node's entry at once (as a single node always did); this feed tells the other nodes, through
 * PostgreSQL {@code LISTEN/NOTIFY}, so they drop theirs within a second. The cache TTLs stay as they
 * were and remain the fallback when a notification is missed (see "Missed notifications").
 *
 * <p><b>Who sends.</b> Table triggers (migration {@code V14__change_feed.sql}), not the application:
 * a row trigger on every cached table calls {@code pg_notify} inside the writing transaction, so a
 * change is announced exactly when it commits (PostgreSQL delivers notifications at commit; a rolled
 * back change announces nothing), whichever code path or tool wrote it (cascaded deletes, the purge
 * of keys past their deletion date, an operator's {@code psql} included). PostgreSQL folds identical
 * notifications of one transaction into one. Changes with no row of their own (a KMS key rotation,
 * which lives in the KMS backend) are sent by the node that made them with
 * {@code SELECT pg_notify('sse_proxy_changes', <payload>)} after the change succeeded ({@link
 * dev.sseproxy.cluster.ChangeFeed#publish}).
 *
 * <p><b>Channel</b> {@code sse_proxy_changes}. <b>Payload</b>: UTF-8 text {@code <kind>:<id>}, at
 * most {@value dev.sseproxy.cluster.Change#MAX_PAYLOAD_BYTES} bytes (PostgreSQL refuses 8000 and
 * more); a trigger whose payload would be longer sends {@code *} instead. Ids are the row's key
 * columns as text, joined by {@code /} when there are two. Kinds, and what a node does on receipt:
 * <table>
 *   <caption>Payloads</caption>
 *   <tr><th>payload</th><th>sent when</th><th>the receiving node drops</th></tr>
 *   <tr><td>{@code bucket:<name>}</td><td>a {@code bucket} row is inserted, updated (ACL, object
 *       ownership) or deleted</td><td>the bucket's catalog entry ({@code BucketCatalog}) and its
 *       encryption configuration entry ({@code BucketEncryptionStore}), as DeleteBucket does locally</td></tr>
 *   <tr><td>{@code bucket-encryption:<bucket>}</td><td>a {@code bucket_encryption} row changes
 *       (Put/DeleteBucketEncryption, cascade of a bucket deletion)</td><td>the bucket's encryption
 *       configuration entry</td></tr>
 *   <tr><td>{@code access-key:<access key id>}</td><td>an {@code access_key} row changes (deleted,
 *       status or secret changed, created)</td><td>the cached credential of that id (unknown ids are
 *       cached as absent, so a creation is announced too)</td></tr>
 *   <tr><td>{@code kms-key:<account>/<key id>}, {@code kms-alias:<account>/<alias name>}</td>
 *       <td>a {@code kms_key} row is updated or deleted (Enable/DisableKey, Schedule/CancelKeyDeletion,
 *       PutKeyPolicy, purge), a {@code kms_alias} row is updated or deleted</td><td>every cached key
 *       resolution and every cached bucket key: what {@code KeyRegistry} does after a change made on
 *       the node itself (so a key disabled on A stops serving SSE-KMS on B, cached bucket keys
 *       included)</td></tr>
 *   <tr><td>{@code kms-key-new:<account>/<key id>}, {@code kms-alias-new:<account>/<alias name>}</td>
 *       <td>a {@code kms_key} or {@code kms_alias} row is inserted (CreateKey, CreateAlias, the first
 *       use of {@code aws/s3})</td><td>every cached key resolution (absent answers are cached too); no
 *       bucket key can depend on a key or alias that did not exist, so bucket keys stay</td></tr>
 *   <tr><td>{@code bucket-keys:*}</td><td>sent by a node after it rotated a KMS key's (or the SSE-S3
 *       key's) backend key</td><td>every cached bucket key, as rotation does locally</td></tr>
 *   <tr><td>{@code *}</td><td>a cached table was truncated, a payload would be too long, or an
 *       operator asked ({@code NOTIFY sse_proxy_changes, '*'})</td><td>every cache listed here</td></tr>
 * </table>
 * A payload of an unknown kind, or one that does not parse, also drops every cache (a newer node may
 * send kinds an older one does not know; the safe reading is "something changed"). Every node also
 * receives its own notifications: it drops again what it already dropped, which is harmless.
 *
 * <p><b>Listening.</b> Each node holds one dedicated connection (not from the pool; application name
 * {@value dev.sseproxy.cluster.ChangeListener#APPLICATION_NAME}), opened at start with the reactive
 * datasource's URL and credentials through Vert.x's {@code PgSubscriber}. When it drops, it is
 * re-opened after 100 ms, doubling up to 5 s between attempts, forever (a failed first connection is
 * retried the same way; the node serves meanwhile, on TTLs). {@code sse-proxy.cluster.change-feed.enabled=false}
 * turns listening off (the node then follows other nodes' changes by TTL only; its own changes still
 * notify the others, since the triggers send).
 *
 * <p><b>Missed notifications.</b> Notifications are not durable: whatever was sent while a node was
 * not listening is lost. So every time the LISTEN is (re-)established, the node drops every cache
 * listed above before it relies on notifications again; between the loss of the connection and that
 * flush, the TTLs bound staleness as they did before this feed ({@code sse-proxy.kms.registry-cache-ttl}
 * 5 s, {@code sse-proxy.s3.bucket-encryption-cache-ttl} 5 s, the bucket catalog 1 min,
 * {@code sse-proxy.credential-cache-ttl} 5 min, {@code sse-proxy.kms.bucket-key-ttl} 10 min).
 *
 * <p><b>Bounded.</b> Notifications are handled as they are read, on the listening connection's event
 * loop, by dropping cache entries (no I/O, no queue): a flood costs CPU, not memory; while the node
 * reads slowly, PostgreSQL holds the backlog in its own bounded notification queue.
 *
 * <p><b>Metrics</b> (Micrometer): {@code sse_proxy_cluster_notifications_received_total{kind}} (every
 * notification read, own ones included), {@code sse_proxy_cluster_notifications_sent_total{kind}}
 * (notifications this node's code sent; those of the triggers are counted where they are received),
 * {@code sse_proxy_cluster_cache_flushes_total{reason="connected|requested|unknown"}} and
 * {@code sse_proxy_cluster_listener_connected} (1 while LISTEN is established, else 0).
 */
package dev.sseproxy.cluster;
