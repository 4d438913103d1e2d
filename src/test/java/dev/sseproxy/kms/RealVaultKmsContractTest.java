package dev.sseproxy.kms;

import dev.sseproxy.kms.vault.VaultSettings;
import dev.sseproxy.kms.vault.VaultTransitKmsClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The contract suite against a real Vault or OpenBao: runs only when {@code VAULT_ADDR} and
 * {@code VAULT_TOKEN} are set (see {@code vault-dev/start.sh}). Optional: {@code VAULT_TRANSIT_MOUNT}
 * (default {@code transit}), {@code VAULT_NAMESPACE}. The token must be allowed to create keys; each
 * test creates its own {@code sse-proxy-contract-<uuid>} keys (left behind: Transit keys can only be
 * deleted after setting {@code deletion_allowed}).
 */
@EnabledIfEnvironmentVariable(named = "VAULT_ADDR", matches = ".+")
@EnabledIfEnvironmentVariable(named = "VAULT_TOKEN", matches = ".+")
class RealVaultKmsContractTest extends KmsContractTest {
    private ExecutorService workers;
    private KmsClient kms;

    @BeforeEach
    void connect() {
        workers = Executors.newCachedThreadPool();
        VaultSettings s = new VaultSettings(URI.create(System.getenv("VAULT_ADDR")),
                Optional.ofNullable(System.getenv("VAULT_NAMESPACE")),
                Optional.ofNullable(System.getenv("VAULT_TRANSIT_MOUNT")).orElse("transit"),
                Duration.ofSeconds(10), Duration.ofSeconds(3), true,
                new VaultSettings.Token(System.getenv("VAULT_TOKEN")), VaultSettings.Tls.NONE);
        kms = new VaultTransitKmsClient(s, workers, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        workers.shutdownNow();
    }

    @Override
    protected KmsClient kms() {
        return kms;
    }

    @Override
    protected String freshKeyName() {
        return "sse-proxy-contract-" + UUID.randomUUID();
    }
}
