package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar, started with {@code SSE_PROXY_HOST=0.0.0.0} and every secret at its well-known
 * default, exits non-zero naming each offending setting, and never listens on any address: no
 * connection to its S3 or management port succeeds while it runs (a wildcard bind would accept them on
 * 127.0.0.1 too), and its log has no "Listening on" line. Nothing binds a public interface.
 */
class ExposedDefaultSecretsIT {
    /** This test's ports: the shared proxy's + 849 (h-helm's offsets are 840..849). */
    static final int OFFSET = 849;

    @Test
    void aWildcardListenerWithTheDefaultSecretsIsRefusedBeforeItListens() throws Exception {
        Path root = Path.of(System.getProperty("project.root", ".")).toAbsolutePath();
        int s3 = Integer.getInteger("it.s3.port", 18080) + OFFSET;
        int management = Integer.getInteger("it.management.port", 19090) + OFFSET;
        String db = "sseproxy_it_exposed_" + s3;
        run(root, "scripts/postgres.sh", "recreatedb", db);
        run(root, "minio-dev/minio.sh", "start");
        Path data = Files.createDirectories(root.resolve("target/it-data-exposed"));
        Path log = root.resolve("target/it-proxy-exposed.log");
        String jar = System.getProperty("proxy.jar", root.resolve("target/quarkus-app/quarkus-run.jar").toString());
        ProcessBuilder pb = new ProcessBuilder("java", "-Xmx256m", "-Dquarkus.http.port=" + s3,
                "-Dquarkus.http.ssl-port=" + (s3 + 363), "-Dquarkus.management.port=" + management, "-jar", jar);
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", System.getenv("PATH"));
        // the defaults for every secret (root, MinIO, database password), a wildcard S3 listener,
        // its own database so that the migrations Quarkus runs before the start event touch nothing else
        env.put("SSE_PROXY_HOST", "0.0.0.0");
        env.put("DB_URL", "postgresql://127.0.0.1:5432/" + db);
        env.put("DB_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/" + db);
        env.put("SSE_PROXY_DATA_DIR", data.toString());
        Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean connected = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (p.isAlive() && System.nanoTime() < deadline) {
            connected |= accepts(s3) || accepts(management);
            Thread.sleep(50);
        }
        if (p.isAlive()) {
            p.destroyForcibly().waitFor();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertFalse(connected, "nothing may listen while the start is refused:\n" + out);
        assertNotEquals(0, p.exitValue(), out);
        assertFalse(out.contains("Listening on"), out);
        for (String s : List.of("quarkus.http.host=0.0.0.0", "sse-proxy.root.secret-key (SSE_PROXY_ROOT_SECRET_KEY)",
                "sse-proxy.backend.secret-key (SSE_PROXY_BACKEND_SECRET_KEY)", "quarkus.datasource.password (DB_PASSWORD)",
                "sse-proxy refuses to start")) {
            assertTrue(out.contains(s), s + " in:\n" + out);
        }
        assertFalse(out.contains("quarkus.management.host="), "the management listener stayed on 127.0.0.1:\n" + out);
    }

    static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 100);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void run(Path root, String script, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", root.resolve(script).toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        assertTrue(p.waitFor(15, TimeUnit.MINUTES) && p.exitValue() == 0, String.join(" ", cmd) + " failed");
    }
}
