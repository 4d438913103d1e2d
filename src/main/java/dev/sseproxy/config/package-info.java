/**
 * Typed configuration: {@link dev.sseproxy.config.SseProxyConfig} maps every {@code sse-proxy.*}
 * property (defaults and documentation on each one), and {@link dev.sseproxy.config.ExposedDefaultSecrets}
 * refuses to start when a non-loopback listener would run with a secret that still has its shipped
 * default value.
 *
 * <p>"spec §N.M" in this package's documentation and comments means section N.M of
 * {@code docs/s3-sse-behaviour.md} in this repository (S3's server-side encryption on the wire).
 */
package dev.sseproxy.config;
