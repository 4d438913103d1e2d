package dev.sseproxy.kms.vault;

import io.github.jopenlibs.vault.EnvironmentLoader;
import io.github.jopenlibs.vault.SslConfig;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.VaultException;
import java.net.http.HttpClient;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * Builds vault-java-driver instances the way this adapter needs them. Three driver defaults are
 * overridden on purpose:
 * <ul>
 * <li>The driver reads {@code VAULT_ADDR}, {@code VAULT_TOKEN}, {@code VAULT_SSL_*} ... from the
 *     environment when a setting is missing; here only sse-proxy's configuration counts.</li>
 * <li>Without an {@link HttpClient} of its own the driver builds a new one for every request (a new
 *     connection and TLS handshake per KMS call); here one client is shared.</li>
 * <li>{@code Vault.create(config)} assumes KV version 2 and rewrites {@code transit/encrypt/k} into
 *     {@code transit/data/encrypt/k} with a {@code {"data":...}} body; here engine version 1 (paths
 *     and bodies as given) is set.</li>
 * </ul>
 * The driver's retries stay off (0): retry, back-off and circuit breaking belong to the callers.
 */
final class VaultDrivers {
    private static final EnvironmentLoader NO_ENVIRONMENT = new EnvironmentLoader() {
        @Override
        public String loadVariable(String name) {
            return null;
        }
    };

    private final VaultSettings settings;
    private final HttpClient http;
    private final SslConfig sslConfig;
    private final int readTimeoutSeconds;

    VaultDrivers(VaultSettings settings) {
        this.settings = settings;
        this.sslConfig = sslConfig(settings.tls());
        this.http = httpClient(settings, sslConfig.getSslContext());
        this.readTimeoutSeconds = (int) Math.max(1, (settings.timeout().toMillis() + 999) / 1000);
    }

    /** A driver that sends {@code token} (none for logins). */
    Vault withToken(String token) {
        try {
            VaultConfig config = new VaultConfig()
                    .environmentLoader(NO_ENVIRONMENT)
                    .address(settings.address().toString().replaceAll("/+$", ""))
                    .httpClient(http)
                    .sslConfig(sslConfig)
                    .openTimeout(readTimeoutSeconds)
                    .readTimeout(readTimeoutSeconds)
                    .engineVersion(1);
            if (token != null) {
                config.token(token);
            }
            if (settings.namespace().isPresent()) {
                config.nameSpace(settings.namespace().get());
            }
            return Vault.create(config.build(), 1);
        } catch (VaultException e) {
            throw new IllegalArgumentException("invalid Vault settings", e);
        }
    }

    private static SslConfig sslConfig(VaultSettings.Tls tls) {
        try {
            SslConfig ssl = new NoEnvironmentSslConfig();
            if (tls.caFile().isPresent()) {
                ssl.pemFile(tls.caFile().get().toFile());
            }
            if (tls.clientCertFile().isPresent()) {
                ssl.clientPemFile(tls.clientCertFile().get().toFile());
                ssl.clientKeyPemFile(tls.clientKeyFile().orElseThrow().toFile());
            }
            return ssl.build();
        } catch (VaultException e) {
            throw new IllegalArgumentException("cannot load the Vault TLS files " + tls, e);
        }
    }

    private static HttpClient httpClient(VaultSettings settings, SSLContext sslContext) {
        HttpClient.Builder b = HttpClient.newBuilder()
                // Vault Agent and some proxies mishandle h2c upgrades; the driver sticks to 1.1 too
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.connectTimeout());
        if (sslContext != null) {
            // the driver's PEM context is created as "TLSv1.2"; allow TLS 1.3 as well
            SSLParameters params = sslContext.getDefaultSSLParameters();
            params.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            b.sslContext(sslContext).sslParameters(params);
        }
        return b.build();
    }

    /** The driver's SslConfig, minus its reading of {@code VAULT_SSL_VERIFY} / {@code VAULT_SSL_CERT}. */
    private static final class NoEnvironmentSslConfig extends SslConfig {
        NoEnvironmentSslConfig() {
            environmentLoader(NO_ENVIRONMENT);
        }
    }
}
