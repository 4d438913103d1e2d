package dev.sseproxy.wiring;

import dev.sseproxy.config.SseProxyConfig;
import dev.sseproxy.config.SseProxyConfig.TlsEngineChoice;
import io.netty.handler.ssl.OpenSsl;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Chooses the HTTPS listener's TLS engine ({@code sse-proxy.tls-engine}): BoringSSL where its native
 * library loads, else the JDK's. Every SSE-C request travels over TLS; the numbers behind the default
 * are in the package documentation.
 */
@ApplicationScoped
public class TlsEngine implements HttpServerOptionsCustomizer {
    private static final Logger LOG = Logger.getLogger(TlsEngine.class);

    private final TlsEngineChoice choice;

    public TlsEngine(SseProxyConfig config) {
        this.choice = config.tlsEngine();
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        options.setSslEngineOptions(engine(choice, OpenSSLEngineOptions.isAvailable()));
    }

    /** The engine for {@code choice} when BoringSSL {@code loads} (or not), logged once per listener. */
    static io.vertx.core.net.SSLEngineOptions engine(TlsEngineChoice choice, boolean loads) {
        if (choice == TlsEngineChoice.OPENSSL && loads) {
            LOG.info("TLS engine: BoringSSL (netty-tcnative)");
            return new OpenSSLEngineOptions();
        }
        if (choice == TlsEngineChoice.OPENSSL) {
            LOG.infof("TLS engine: the JDK's (BoringSSL did not load: %s)", String.valueOf(OpenSsl.unavailabilityCause()));
        } else {
            LOG.info("TLS engine: the JDK's (sse-proxy.tls-engine=jdk)");
        }
        return new JdkSSLEngineOptions();
    }
}
