package dev.sseproxy.catalog;

import dev.sseproxy.config.SseProxyConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Creates (or updates) the root account and its access key from configuration at start. */
@ApplicationScoped
public class RootBootstrap {
    private static final Logger LOG = Logger.getLogger(RootBootstrap.class);

    void onStart(@Observes StartupEvent ev, AccountService accounts, SseProxyConfig config) throws Throwable {
        SseProxyConfig.Root root = config.root();
        VertxContextSupport.subscribeAndAwait(
                () -> accounts.bootstrapRoot(root.accountId(), root.accessKey(), root.secretKey()));
        LOG.infof("root account %s ready (access key %s)", root.accountId(), root.accessKey());
    }
}
