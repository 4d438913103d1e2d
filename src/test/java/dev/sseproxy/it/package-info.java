/**
 * End-to-end tests: the packaged proxy as its own process ({@code ProxyProcess}) in front of the real
 * PostgreSQL and MinIO, driven by real S3 clients (AWS SDK for Java v2, the AWS CLI, raw HTTP where a
 * client cannot send the case).
 *
 * <p>"spec §N.M" in this package means section N.M of {@code docs/s3-sse-behaviour.md} in this
 * repository; test methods named {@code bNN_…} check item NN of its §12 list.
 */
package dev.sseproxy.it;
