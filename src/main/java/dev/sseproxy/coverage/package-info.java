/**
 * Encryption coverage (issue 13): per bucket, objects and bytes by encryption status and KMS key,
 * built on the same scan as S3 Inventory ({@link dev.sseproxy.inventory.ObjectScan}), served on the
 * management port as JSON and as Prometheus gauges (refreshed by the scan, never per scrape), and
 * shown by a small read-only web page.
 *
 * <h2>Scans</h2>
 * A scan walks every bucket of the catalog ({@code bucket} table, in name order) with
 * {@link dev.sseproxy.inventory.ObjectScan} (one listing pass with MinIO's metadata extension, 1,000
 * keys a page, no HEAD, no KMS call) and counts each page into a {@link dev.sseproxy.coverage.Tally}
 * as it arrives: memory is one page plus one counter per status and per KMS key in use, whatever the
 * bucket's size; no object list is ever held. Sizes are plaintext sizes (the envelope's). A bucket the
 * backend cannot list is reported with {@code "error"} and zero counts, never left out silently.
 *
 * <p><b>One node at a time.</b> A scan runs only on the node holding the cluster lease
 * {@value dev.sseproxy.coverage.CoverageScanner#LEASE} ({@link dev.sseproxy.cluster.Leases}; renewed by
 * the heartbeat while it runs, released at the end, so another node takes over at once); each page
 * checks the lease, and the snapshot is stored by a fenced insert ({@link
 * dev.sseproxy.cluster.Leases#fence}), so a node that lost its lease mid-scan stores nothing. One
 * node also runs one scan at a time.
 * <ul>
 * <li><b>Periodic</b>: every node checks every {@code sse-proxy.coverage.check-every} (1m) whether
 *     the newest snapshot (its oldest bucket entry) is older than {@code sse-proxy.coverage.interval}
 *     (1h; {@code 0s}: never);
 *     if so it tries the lease, re-reads the newest snapshot (another node may just have made one)
 *     and scans every bucket.</li>
 * <li><b>On demand</b>: root-signed {@code POST /admin/coverage/scan} (every bucket) or with
 *     {@code {"bucket":"b"}} (that bucket's entry is replaced in the newest snapshot, the others kept
 *     with their own {@code scannedAt}; buckets no longer in the catalog are dropped). It waits for a
 *     scan running elsewhere (up to {@code sse-proxy.coverage.scan-wait}, 10m; then 503), and answers
 *     the stored snapshot when its own scan is done.</li>
 * </ul>
 *
 * <h2>Snapshots: every node serves the same numbers</h2>
 * Each scan's result is one row of {@code coverage_snapshot} (V20: the JSON document below, without
 * {@code id}; the newest 10 are kept). Nodes serve the newest they have loaded, from memory (a GET
 * or a scrape costs no query). A new row is announced by a table trigger on the change feed as
 * {@code coverage:<id>} (not by the application, so a row written by any path is announced), and
 * every node loads it within a second ({@link dev.sseproxy.wiring.CacheInvalidation}); a node also
 * loads it at start, when its LISTEN connection is (re-)established, and at every periodic check
 * (the backstop for a missed notification: at most {@code check-every} late). The change feed was
 * chosen over a short poll because it already carries every other cross-node change with sub-second
 * delivery at no cost per node; the poll stays only as the backstop.
 *
 * <h2>JSON</h2>
 * {@code GET /admin/coverage} (root-signed) and {@code GET /coverage/data.json} (the page's data, see
 * below) answer:
 * <pre>
 * {"id":7,"scannedAt":"2026-12-06T15:21:21.33Z","durationMillis":40,
 *  "buckets":[{"bucket":"b","account":"000000000001","scannedAt":"…","objects":4,"bytes":36200,
 *              "encrypted":{"objects":1,"bytes":4096},
 *              "byStatus":{"NOT-SSE":{"objects":3,"bytes":32100},"SSE-S3":{"objects":1,"bytes":4096},
 *                          "SSE-KMS":{…},"SSE-C":{…},"DSSE-KMS":{…}},
 *              "byKmsKey":[{"keyArn":"arn:aws:kms:…","objects":3,"bytes":2103,"bucketKey":true}]}],
 *  "totals":{"buckets":1,"objects":…,"bytes":…,"encrypted":{…},"byStatus":{…},"byKmsKey":[…]}}
 * </pre>
 * Every status is present (zeros included); {@code byKmsKey} has one entry per key ARN and
 * bucket-key flag (SSE-KMS and DSSE-KMS objects), sorted; {@code encrypted} is every status but
 * {@code NOT-SSE}; a bucket's {@code "error"} appears only when it could not be listed. Before the
 * first scan both answer 404.
 *
 * <h2>Metrics</h2>
 * Gauges on {@code /q/metrics}, set when a snapshot is made or loaded (never computed per scrape);
 * the series of a bucket that left the snapshot are removed:
 * {@code sse_proxy_coverage_objects{bucket,status}}, {@code sse_proxy_coverage_bytes{bucket,status}},
 * {@code sse_proxy_coverage_kms_key_objects{bucket,key_arn,bucket_key}},
 * {@code sse_proxy_coverage_kms_key_bytes{bucket,key_arn,bucket_key}},
 * {@code sse_proxy_coverage_scan_timestamp_seconds} (when the served scan ended; NaN before any) and
 * {@code sse_proxy_coverage_scan_duration_seconds}. They are tagged by bucket, against the rule of
 * request metrics, because coverage is a per-bucket question; their number is bounded by the catalog
 * (5 statuses and the keys in use per bucket), not by traffic.
 *
 * <h2>The page</h2>
 * {@code GET /coverage} on the management port ({@code dev.sseproxy.api.CoveragePage}): one
 * self-contained HTML file, no external resource, drawing per bucket a stacked bar (objects and
 * bytes by status, encrypted vs NOT-SSE), the KMS keys in use and the totals as inline SVG and
 * tables; every number is also in a data attribute ({@code data-bucket}, {@code data-status},
 * {@code data-objects}, {@code data-bytes}, {@code data-key-arn}, {@code data-bucket-key}), and
 * {@code <body data-state>} is {@code ready} once drawn. <b>Exposure</b>: the page and its data are
 * unauthenticated, like {@code /q/metrics}, which carries the same numbers as gauges: bucket names,
 * account ids, KMS key ARNs and object counts, no object key, no content, no credential. The
 * management port listens on 127.0.0.1 by default and the Helm chart's NetworkPolicy admits only
 * {@code networkPolicy.managementFrom}; where even that is too much, {@code
 * sse-proxy.coverage.page-enabled=false} removes both routes (404) and leaves the root-signed admin
 * route and the gauges.
 *
 * <h2>Adoption</h2>
 * {@link dev.sseproxy.coverage.BucketAdoption} registers a backend bucket that exists already (existing
 * data) in the catalog for an account, counting its encrypted and not-encrypted objects from the backend's
 * listing; it lives here, beside the coverage it starts (it moved out of {@code sse}, which now holds the
 * encryption pipeline only).
 *
 * <p><b>Dependencies.</b> {@code catalog} (snapshots through {@link dev.sseproxy.catalog.CoverageSnapshots}),
 * {@code cluster} (the scan's lease), {@code inventory} (the object scan), {@code backend}, {@code error},
 * {@code config}.
 */
package dev.sseproxy.coverage;
