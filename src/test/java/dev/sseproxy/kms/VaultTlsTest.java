package dev.sseproxy.kms;

import static dev.sseproxy.kms.KmsContractTest.await;
import static dev.sseproxy.kms.KmsContractTest.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sseproxy.kms.TransitTestAuth.Policy;
import dev.sseproxy.kms.vault.VaultSettings;
import dev.sseproxy.kms.vault.VaultTransitKmsClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Vault adapter over HTTPS: the CA file, and a client certificate for mutual TLS (the driver's SslConfig). */
class VaultTlsTest {
    @TempDir
    static Path dir;

    private static TlsFiles files;
    private static ExecutorService workers;

    @BeforeAll
    static void makeCertificates() throws Exception {
        files = new TlsFiles(dir);
        workers = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stop() {
        workers.shutdownNow();
    }

    private static KmsClient client(TransitTestServer vault, VaultSettings.Tls tls) {
        String token = vault.issueToken(Policy.proxy("transit"), Duration.ofHours(1));
        VaultSettings s = VaultSettings.of(URI.create(vault.address()), new VaultSettings.Token(token)).withTls(tls);
        return new VaultTransitKmsClient(s, workers, Clock.systemUTC());
    }

    @Test
    void theConfiguredCaFileIsTrusted() throws Exception {
        try (TransitTestServer vault = new TransitTestServer("transit", "", Clock.systemUTC(), files.serverContext(false), false)) {
            KmsClient kms = client(vault, new VaultSettings.Tls(Optional.of(files.serverCertPem), Optional.empty(), Optional.empty()));
            assertEquals(1, await(kms.createKey("tls-key")).latestVersion());
        }
    }

    @Test
    void withoutTheCaTheServerIsNotTrustedAndVaultIsUnavailable() throws Exception {
        try (TransitTestServer vault = new TransitTestServer("transit", "", Clock.systemUTC(), files.serverContext(false), false)) {
            fails(KmsException.Unavailable.class, client(vault, VaultSettings.Tls.NONE).createKey("tls-key"));
        }
    }

    @Test
    void aClientCertificateIsPresentedForMutualTls() throws Exception {
        try (TransitTestServer vault = new TransitTestServer("transit", "", Clock.systemUTC(), files.serverContext(true), true)) {
            KmsClient withCert = client(vault, new VaultSettings.Tls(Optional.of(files.serverCertPem),
                    Optional.of(files.clientCertPem), Optional.of(files.clientKeyPem)));
            assertEquals(1, await(withCert.createKey("mtls-key")).latestVersion());
            KmsClient withoutCert = client(vault, new VaultSettings.Tls(Optional.of(files.serverCertPem),
                    Optional.empty(), Optional.empty()));
            fails(KmsException.Unavailable.class, withoutCert.keyInfo("mtls-key"));
        }
    }
}
