/**
 * Typed configuration: {@link dev.sseproxy.config.SseProxyConfig} is the one {@code @ConfigMapping} root
 * under the prefix {@code sse-proxy.}, each group of settings its own interface in this package
 * (defaults in code, javadoc on every property; README's configuration table lists them), and
 * {@link dev.sseproxy.config.ExposedDefaultSecrets} refuses to start a node that listens beyond
 * loopback with a secret still at its shipped default.
 *
 * <p><b>Dependencies.</b> None of the proxy's packages (the javadoc points at the packages each group
 * configures); every other package may read it.
 *
 * <p>"spec §N.M" in this package's documentation and comments means section N.M of
 * {@code docs/s3-sse-behaviour.md} in this repository (S3's server-side encryption on the wire).
 */
package dev.sseproxy.config;
