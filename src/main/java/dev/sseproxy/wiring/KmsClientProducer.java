package dev.sseproxy.wiring;

import dev.sseproxy.catalog.LocalKeystoreRows;
import dev.sseproxy.config.SseProxyConfig;
import dev.sseproxy.kms.KmsCallListener;
import dev.sseproxy.kms.KmsClient;
import dev.sseproxy.kms.KmsPermits;
import dev.sseproxy.kms.KmsRateLimiter;
import dev.sseproxy.kms.MasterKeyProvider;
import dev.sseproxy.kms.MeteredKmsClient;
import dev.sseproxy.kms.RateLimitedKmsClient;
import dev.sseproxy.kms.SharedKmsRateLimiter;
import dev.sseproxy.kms.local.LocalKeystore;
import dev.sseproxy.kms.local.LocalKmsStartup;
import dev.sseproxy.kms.vault.VaultSettings;
import dev.sseproxy.kms.vault.VaultTransitKmsClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.ObserverMethod;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * Provides the one {@link KmsClient} of the application, chosen by {@code sse-proxy.kms.provider}:
 * {@code local} (default) opens the keystore shared through PostgreSQL under the master key (checking
 * the key, and migrating a {@code <data-dir>/kms/keystore} file into it: see {@code kms.local}; its rows are
 * {@link LocalKeystoreRows}'); {@code vault}
 * talks to Vault/OpenBao Transit as configured under {@code sse-proxy.kms.vault}. Built at start
 * ({@link Startup}, before the other start observers) so that another master key, or an incomplete Vault
 * configuration, stops the application before it serves requests, and so that the keystore is read
 * on the main thread rather than on an event loop. Blocking work later runs on Mutiny's default
 * worker pool (Quarkus's worker threads).
 *
 * <p>Whichever adapter is chosen, every caller gets it wrapped: {@link MeteredKmsClient} around
 * {@link RateLimitedKmsClient}, so each call is rate-limited and counted, rejections included; the limiter
 * is the cluster-wide {@link SharedKmsRateLimiter} unless {@code sse-proxy.kms.rate-limit.cluster.enabled}
 * is false, then the node-local {@link KmsRateLimiter}.
 */
@ApplicationScoped
public class KmsClientProducer {
    private static final Logger LOG = Logger.getLogger(KmsClientProducer.class);

    @Produces
    @ApplicationScoped
    @Startup(ObserverMethod.DEFAULT_PRIORITY - 100)
    KmsClient kmsClient(SseProxyConfig config, MasterKeyProvider masterKeys, KmsRateLimiter limiter,
            Instance<SharedKmsRateLimiter> shared, MeterRegistry meters, Instance<KmsCallListener> listeners,
            Instance<LocalKeystoreRows> keystore) {
        KmsPermits permits = config.kms().rateLimit().cluster().enabled() ? shared.get() : limiter;
        return new MeteredKmsClient(new RateLimitedKmsClient(adapter(config, masterKeys, keystore), permits), meters,
                listeners.stream().toList(), null);
    }

    private static KmsClient adapter(SseProxyConfig config, MasterKeyProvider masterKeys, Instance<LocalKeystoreRows> keystore) {
        Executor workers = Infrastructure.getDefaultWorkerPool();
        return switch (config.kms().provider()) {
            case LOCAL -> local(config, masterKeys, keystore.get(), workers);
            case VAULT -> {
                VaultSettings settings = VaultSettings.from(config.kms().vault());
                LOG.infof("KMS: Vault Transit at %s, mount '%s'%s", settings.address(), settings.mount(),
                        settings.namespace().map(ns -> ", namespace '" + ns + "'").orElse(""));
                yield new VaultTransitKmsClient(settings, workers, Clock.systemUTC());
            }
        };
    }

    private static KmsClient local(SseProxyConfig config, MasterKeyProvider masterKeys, LocalKeystoreRows keystore,
            Executor workers) {
        byte[] master = masterKeys.masterKey();
        try {
            return LocalKmsStartup.open(keystore, master, masterKeys.source(), masterKeys.generatedAtThisStart(),
                    LocalKeystore.defaultPath(config.dataDir()), workers, Clock.systemUTC());
        } finally {
            Arrays.fill(master, (byte) 0);
        }
    }
}
