/**
 * The composition root: beans that wire adapters to ports and know many packages at once, kept out of
 * the packages they wire so that those stay free of cycles.
 * {@link dev.sseproxy.wiring.KmsClientProducer} builds the {@code KmsClient} (the local KMS or Vault
 * Transit, metered and rate-limited, locally or cluster-wide) from {@code sse-proxy.kms.*};
 * {@link dev.sseproxy.wiring.CacheInvalidation} implements the change feed's {@code cluster.Caches}
 * port, naming every cache a change makes stale (the table in the {@code cluster} package documentation);
 * {@link dev.sseproxy.wiring.TlsEngine} gives the HTTPS listener its TLS engine.
 *
 * <p><b>TLS engine.</b> The HTTPS listener runs BoringSSL (netty-tcnative, its Linux x86-64 build is a
 * dependency) unless {@code sse-proxy.tls-engine=jdk} or the library does not load. Measured on 2 cores
 * (Intel Xeon), one proxy after the other, SSE-C GETs of 64 MiB objects over TLS at concurrency 2 (warp
 * {@code --encrypt}), two 15 s rounds each after a warm-up round: the JDK's engine 428 and 442 MiB/s,
 * BoringSSL 545 and 560 MiB/s (+27%). With the JDK's engine TLS cost the proxy about as much CPU per
 * SSE-C GET as everything else together (119 ms per 64 MiB GET against 61 ms for SSE-S3 in the full
 * benchmark run of 0798049). The backend client keeps the JDK's engine for an {@code https} backend
 * (not measured: the benchmark's backend is plain HTTP).
 *
 * <p><b>Dependencies.</b> Any package but {@code api}; nothing but the CDI container depends on it.
 */
package dev.sseproxy.wiring;
