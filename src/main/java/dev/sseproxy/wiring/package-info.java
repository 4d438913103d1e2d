/**
 * The composition root: beans that wire adapters to ports and know many packages at once, kept out of
 * the packages they wire so that those stay free of cycles.
 * {@link dev.sseproxy.wiring.KmsClientProducer} builds the {@code KmsClient} (the local KMS or Vault
 * Transit, metered and rate-limited, locally or cluster-wide) from {@code sse-proxy.kms.*};
 * {@link dev.sseproxy.wiring.CacheInvalidation} implements the change feed's {@code cluster.Caches}
 * port, naming every cache a change makes stale (the table in the {@code cluster} package documentation).
 *
 * <p><b>Dependencies.</b> Any package but {@code api}; nothing but the CDI container depends on it.
 */
package dev.sseproxy.wiring;
