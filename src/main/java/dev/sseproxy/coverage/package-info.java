/**
 * Encryption coverage (issue 13): per bucket, objects and bytes by encryption status and KMS key,
 * built on the same scan as S3 Inventory ({@link dev.sseproxy.inventory.ObjectScan}), served on the
 * management port as JSON and as Prometheus gauges (refreshed by the scan, never per scrape), and
 * shown by a small read-only web page.
 */
package dev.sseproxy.coverage;
