package dev.sseproxy.catalog;

import dev.sseproxy.config.RootConfig;
import dev.sseproxy.config.SseProxyConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * At start: creates the KMS key that seals access-key secrets when missing, re-seals secrets still
 * sealed the old way (under the master key, a one-time migration), then creates the root account and its
 * access key from configuration, or updates them when they differ from it. A root key that is already as
 * configured is not written (its secret is not sealed again): nodes starting one after another never
 * rewrite what the others use.
 */
@ApplicationScoped
public class RootBootstrap {
    private static final Logger LOG = Logger.getLogger(RootBootstrap.class);

    void onStart(@Observes StartupEvent ev, AccountService accounts, SseProxyConfig config) throws Throwable {
        RootConfig root = config.root();
        int resealed = VertxContextSupport.subscribeAndAwait(accounts::prepareSecrets);
        if (resealed > 0) {
            LOG.infof("re-sealed %d access-key secrets with the KMS (key %s)", resealed, config.kms().secretsKeyName());
        }
        VertxContextSupport.subscribeAndAwait(
                () -> accounts.bootstrapRoot(root.accountId(), root.accessKey(), root.secretKey()));
        LOG.infof("root account %s ready (access key %s)", root.accountId(), root.accessKey());
    }
}
