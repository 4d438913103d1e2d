package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The {@code sidecar} profile ({@code QUARKUS_PROFILE=sidecar}, as the Helm chart's sidecar mode
 * sets it): S3 listens on loopback only even when the image's {@code SSE_PROXY_HOST=0.0.0.0} is in
 * the environment, the small pools and bounds are in force, and the endpoint still encrypts what
 * it stores.
 */
class SidecarProfileIT {
    private static final int PORT_OFFSET = 850;
    private static ProxyProcess proxy;

    @BeforeAll
    static void start() {
        proxy = ProxyProcess.startDedicated("sidecar", PORT_OFFSET,
                Map.of("QUARKUS_PROFILE", "sidecar", "SSE_PROXY_HOST", "0.0.0.0"));
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.stop();
        }
    }

    @Test
    void s3ListensOnLoopbackOnlyAndStillEncrypts() throws Exception {
        S3Client s3 = Clients.sdk(proxy.endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
        String bucket = Clients.newBucket(s3, "sidecar");
        byte[] body = "sidecar round trip: plaintext that must not reach the backend".getBytes(StandardCharsets.UTF_8);
        var put = s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromBytes(body));
        assertEquals(ServerSideEncryption.AES256, put.serverSideEncryption());
        assertArrayEquals(body, s3.getObjectAsBytes(b -> b.bucket(bucket).key("k")).asByteArray());

        MinioClient backend = MinioClient.builder().endpoint(proxy.minioEndpoint().toString())
                .credentials(ProxyProcess.MINIO_USER, ProxyProcess.MINIO_PASSWORD).region("us-east-1").build();
        try (InputStream in = backend.getObject(GetObjectArgs.builder().bucket(bucket).object("k").build())) {
            String stored = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertFalse(stored.contains("plaintext that must not reach"), "the backend holds ciphertext only");
        }

        Optional<InetAddress> external = nonLoopbackAddress();
        assumeTrue(external.isPresent(), "this machine has no non-loopback IPv4 address to try");
        int port = proxy.endpoint().getPort();
        assertThrows(IOException.class, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(external.get(), port), 2000);
            }
        }, "S3 must not be reachable on " + external.get() + ":" + port + " in the sidecar profile");
    }

    @Test
    void smallPoolsAndBoundsAreInForce() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(
                URI.create(proxy.managementEndpoint() + "/q/health/ready")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ready.statusCode(), ready.body());
        // Quarkus logs its "Profile ... activated" line after the listeners are up: readiness can answer first
        Path logFile = Path.of(System.getProperty("project.root", "."), "target/it-proxy-sidecar.log");
        String log = Files.readString(logFile);
        for (int i = 0; i < 100 && !log.contains("Profile sidecar activated"); i++) {
            Thread.sleep(100);
            log = Files.readString(logFile);
        }
        assertTrue(log.contains("Profile sidecar activated"), "profile not active");
        // AuditWriter logs its bounds at start; the sidecar's are a tenth of the default's
        assertTrue(log.contains("audit trail: queue 2000, batches of up to 200"), "sidecar audit bounds not in force");
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        for (NetworkInterface ni : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp() || ni.isLoopback()) {
                continue;
            }
            for (InetAddress a : java.util.Collections.list(ni.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }
}
