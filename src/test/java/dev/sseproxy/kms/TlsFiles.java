package dev.sseproxy.kms;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed certificates for TLS tests, made with the JDK's keytool: a server certificate for
 * 127.0.0.1 and a client certificate, each as a PKCS#12 store plus PEM files (certificate, and the
 * client's PKCS#8 RSA key, the only key format the Vault driver reads).
 */
final class TlsFiles {
    static final char[] PASSWORD = "changeit".toCharArray();

    final Path serverStore;
    final Path serverCertPem;
    final Path clientStore;
    final Path clientCertPem;
    final Path clientKeyPem;

    TlsFiles(Path dir) throws IOException, InterruptedException, GeneralSecurityException {
        serverStore = dir.resolve("server.p12");
        clientStore = dir.resolve("client.p12");
        keytool("-genkeypair", "-alias", "vault", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", serverStore.toString(), "-storepass", new String(PASSWORD));
        keytool("-genkeypair", "-alias", "client", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=sse-proxy", "-storetype", "PKCS12",
                "-keystore", clientStore.toString(), "-storepass", new String(PASSWORD));
        serverCertPem = writePem(dir.resolve("vault-ca.pem"), "CERTIFICATE", load(serverStore).getCertificate("vault").getEncoded());
        KeyStore client = load(clientStore);
        clientCertPem = writePem(dir.resolve("client.pem"), "CERTIFICATE", client.getCertificate("client").getEncoded());
        clientKeyPem = writePem(dir.resolve("client-key.pem"), "PRIVATE KEY", client.getKey("client", PASSWORD).getEncoded());
    }

    /** The server's TLS context; when {@code trustClient}, it trusts the client certificate. */
    SSLContext serverContext(boolean trustClient) throws IOException, GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(serverStore), PASSWORD);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        if (trustClient) {
            Certificate c = load(clientStore).getCertificate("client");
            trust.setCertificateEntry("client", c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    private static KeyStore load(Path store) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }

    private static Path writePem(Path file, String type, byte[] der) throws IOException {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return Files.writeString(file, "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n");
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> cmd = new java.util.ArrayList<>(List.of(keytool.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("keytool failed: " + out);
        }
    }
}
