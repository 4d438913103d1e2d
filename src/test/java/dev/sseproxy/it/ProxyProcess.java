package dev.sseproxy.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sseproxy.auth.SigV4Signer;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The packaged sse-proxy, started once per test JVM as its own process (heap per
 * {@code proxy.heap}, default 256m) against the real PostgreSQL and MinIO that the project's
 * scripts start when they are not already running. Ports default to 18080 (S3) and 19090
 * (management) so a developer's own instance on 8080 is left alone.
 */
public final class ProxyProcess {
    public static final String ROOT_ACCESS_KEY = "it-root";
    public static final String ROOT_SECRET_KEY = "it-root-secret-0123456789";
    public static final String MINIO_USER = "sseproxy-minio";
    public static final String MINIO_PASSWORD = "sseproxy-minio-secret";
    private static ProxyProcess instance;

    private final Path root = Path.of(System.getProperty("project.root", ".")).toAbsolutePath();
    private final int s3Port;
    private final int managementPort;
    private final int tlsPort;
    private final String name;
    private final Map<String, String> extraEnv;
    private Path certificate;
    /**
     * Each instance gets its own database, except the nodes of a cluster ({@link #startCluster}): the
     * local KMS keystore lives in the database, sealed under the master key, and an instance with
     * another master key (e.g. its own data dir's {@code master.key}) refuses to start on it.
     */
    private final String database;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;

    /** False for the second and later nodes of a cluster: they join the database node 0 made. */
    private final boolean freshDatabase;

    private ProxyProcess(String name, int s3Port, int managementPort, int tlsPort, Map<String, String> extraEnv) {
        this(name, s3Port, managementPort, tlsPort, extraEnv, null, true);
    }

    private ProxyProcess(String name, int s3Port, int managementPort, int tlsPort, Map<String, String> extraEnv,
            String sharedDatabase, boolean freshDatabase) {
        this.name = name;
        this.s3Port = s3Port;
        this.managementPort = managementPort;
        this.tlsPort = tlsPort;
        this.extraEnv = Map.copyOf(extraEnv);
        this.freshDatabase = freshDatabase;
        this.database = sharedDatabase != null ? sharedDatabase
                : name == null ? System.getProperty("it.db.name", s3Port == 18080 ? "sseproxy_it" : "sseproxy_it_" + s3Port)
                : "sseproxy_it_" + name + "_" + s3Port;
    }

    /** The shared proxy of the test run (default configuration). */
    public static synchronized ProxyProcess get() {
        if (instance == null) {
            int s3 = Integer.getInteger("it.s3.port", 18080);
            ProxyProcess p = new ProxyProcess(null, s3, Integer.getInteger("it.management.port", 19090),
                    Integer.getInteger("it.tls.port", s3 + 363), Map.of());
            p.start();
            instance = p;
        }
        return instance;
    }

    /**
     * A proxy of its own, for tests that need another configuration (environment variables such as
     * {@code SSE_PROXY_KMS_PROVIDER}): S3 on the shared proxy's port + {@code portOffset}, management
     * and TLS likewise, its own data dir ({@code target/it-data-<name>}), database and log
     * ({@code target/it-proxy-<name>.log}). The caller stops it.
     */
    public static ProxyProcess startDedicated(String name, int portOffset, Map<String, String> env) {
        int s3 = Integer.getInteger("it.s3.port", 18080) + portOffset;
        ProxyProcess p = new ProxyProcess(name, s3, Integer.getInteger("it.management.port", 19090) + portOffset,
                s3 + 363, env);
        p.start();
        return p;
    }

    /**
     * {@code nodes} proxies that form one cluster, as N replicas behind one Service would: one
     * PostgreSQL database (made fresh by node 0, joined by the others), the shared MinIO, the same
     * master key ({@code SSE_PROXY_MASTER_KEY}, fresh per call) and root credentials, but each its own
     * data dir ({@code target/it-data-<cluster>-<i>}), log ({@code target/it-proxy-<cluster>-<i>.log})
     * and ports: node {@code i} listens on the shared proxy's ports + {@code portOffset + i}. Nodes
     * start one after another (node 0 runs the migrations first). The caller stops them.
     *
     * @param env extra environment for every node (it may override the master key)
     */
    public static List<ProxyProcess> startCluster(String cluster, int portOffset, int nodes, Map<String, String> env) {
        byte[] master = new byte[32];
        new java.security.SecureRandom().nextBytes(master);
        Map<String, String> shared = new TreeMap<>();
        shared.put("SSE_PROXY_MASTER_KEY", java.util.Base64.getEncoder().encodeToString(master));
        shared.putAll(env);
        int baseS3 = Integer.getInteger("it.s3.port", 18080) + portOffset;
        int baseManagement = Integer.getInteger("it.management.port", 19090) + portOffset;
        String database = "sseproxy_it_" + cluster + "_" + baseS3;
        List<ProxyProcess> started = new java.util.ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            ProxyProcess p = new ProxyProcess(cluster + "-" + i, baseS3 + i, baseManagement + i, baseS3 + i + 363,
                    shared, database, i == 0);
            started.add(p);
            p.start();
        }
        return List.copyOf(started);
    }

    /** Starts another node of this proxy's cluster (same database and environment) on the given port offset. */
    public ProxyProcess startPeer(String peerName, int portOffset) {
        int s3 = Integer.getInteger("it.s3.port", 18080) + portOffset;
        ProxyProcess p = new ProxyProcess(peerName, s3, Integer.getInteger("it.management.port", 19090) + portOffset,
                s3 + 363, extraEnv, database, false);
        p.start();
        return p;
    }

    /**
     * Starts another node of this proxy's cluster with its environment changed by {@code envChanges} (a
     * null value removes the variable, e.g. {@code SSE_PROXY_MASTER_KEY}). Its log is
     * {@link #logFile(String) logFile(peerName)}, emptied first.
     *
     * @throws IllegalStateException when the node exits (or is not ready in time) instead of starting
     */
    public ProxyProcess startPeer(String peerName, int portOffset, Map<String, String> envChanges) {
        Map<String, String> env = new TreeMap<>(extraEnv);
        envChanges.forEach((k, v) -> {
            if (v == null) {
                env.remove(k);
            } else {
                env.put(k, v);
            }
        });
        try {
            Files.deleteIfExists(logFile(peerName));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        int s3 = Integer.getInteger("it.s3.port", 18080) + portOffset;
        ProxyProcess p = new ProxyProcess(peerName, s3, Integer.getInteger("it.management.port", 19090) + portOffset,
                s3 + 363, env, database, false);
        p.start();
        return p;
    }

    /** The log file of the named proxy ({@code target/it-proxy-<name>.log}). */
    public static Path logFile(String name) {
        return Path.of(System.getProperty("project.root", ".")).toAbsolutePath().resolve("target/it-proxy-" + name + ".log");
    }

    /** The exit code of the process, once it has ended. */
    /** The process's name (its log is target/it-proxy-<name>.log); null for the shared proxy. */
    public String name() {
        return name;
    }

    public int exitValue() {
        return process.exitValue();
    }

    /** Stops this proxy (TERM, then KILL after 20 s). */
    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills this proxy at once (SIGKILL), as a crash would. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts this proxy again with the same configuration, data dir and database. */
    public void restart() {
        start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + s3Port);
    }

    /** The S3-over-TLS endpoint (self-signed certificate, see {@link #certificate()}). */
    public URI tlsEndpoint() {
        return URI.create("https://localhost:" + tlsPort);
    }

    /** The PEM certificate the TLS port presents. */
    public Path certificate() {
        return certificate;
    }

    public URI managementEndpoint() {
        return URI.create("http://127.0.0.1:" + managementPort);
    }

    public URI minioEndpoint() {
        return URI.create("http://127.0.0.1:9000");
    }

    public long pid() {
        return process.pid();
    }

    public Path projectRoot() {
        return root;
    }

    private void start() {
        try {
            script("scripts/postgres.sh", "ensure");
            if (process == null && freshDatabase) {
                // a fresh database per run: the KMS keystore in target/ is fresh after a clean too,
                // and a catalog naming keys the keystore no longer has would fail every KMS write
                script("scripts/postgres.sh", "recreatedb", database);
            }
            script("minio-dev/minio.sh", "start");
            Path target = root.resolve("target");
            Path data = Files.createDirectories(target.resolve(name == null ? "it-data" : "it-data-" + name));
            if (process == null && extraEnv.containsKey("SSE_PROXY_MASTER_KEY")) {
                // a keystore file left by an earlier run under another master key (clusters get a fresh one)
                // would stop the start: it is migrated into the database only when it opens
                Files.deleteIfExists(data.resolve("kms/keystore"));
            }
            String jar = System.getProperty("proxy.jar", target.resolve("quarkus-app/quarkus-run.jar").toString());
            ProcessBuilder pb = new ProcessBuilder("java", "-Xmx" + System.getProperty("proxy.heap", "256m"),
                    "-XX:+UseG1GC", "-Dquarkus.http.port=" + s3Port, "-Dquarkus.management.port=" + managementPort,
                    "-Dquarkus.http.ssl-port=" + tlsPort,
                    "-jar", jar);
            Map<String, String> env = pb.environment();
            env.put("DB_URL", "postgresql://127.0.0.1:5432/" + database);
            env.put("DB_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/" + database);
            env.put("DB_USER", "sseproxy");
            env.put("DB_PASSWORD", "sseproxy");
            env.put("SSE_PROXY_ROOT_ACCESS_KEY", ROOT_ACCESS_KEY);
            env.put("SSE_PROXY_ROOT_SECRET_KEY", ROOT_SECRET_KEY);
            env.put("SSE_PROXY_BACKEND_ENDPOINT", minioEndpoint().toString());
            env.put("SSE_PROXY_BACKEND_ACCESS_KEY", MINIO_USER);
            env.put("SSE_PROXY_BACKEND_SECRET_KEY", MINIO_PASSWORD);
            env.put("SSE_PROXY_DATA_DIR", data.toString());
            script("scripts/tls-cert.sh", data.toString());
            certificate = data.resolve("tls/cert.pem");
            env.put("SSE_PROXY_TLS_CERT", certificate.toString());
            env.put("SSE_PROXY_TLS_KEY", data.resolve("tls/key.pem").toString());
            env.putAll(extraEnv);
            pb.redirectErrorStream(true).redirectOutput(name == null ? ProcessBuilder.Redirect.to(
                    target.resolve("it-proxy.log").toFile()) : ProcessBuilder.Redirect.appendTo(
                    target.resolve("it-proxy-" + name + ".log").toFile()));
            process = pb.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> process.destroy()));
            awaitReady();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start sse-proxy for the tests", e);
        }
    }

    private void script(String... cmd) throws IOException {
        String[] full = new String[cmd.length + 1];
        full[0] = "bash";
        full[1] = root.resolve(cmd[0]).toString();
        System.arraycopy(cmd, 1, full, 2, cmd.length - 1);
        Process p = new ProcessBuilder(full).inheritIO().start();
        try {
            if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("sse-proxy exited with " + process.exitValue() + "; see target/it-proxy"
                        + (name == null ? "" : "-" + name) + ".log");
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(managementEndpoint().resolve("/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(250);
        }
        throw new IllegalStateException("sse-proxy not ready after 90 s; see target/it-proxy.log");
    }

    /** This proxy's PostgreSQL database (each proxy has its own). */
    public String database() {
        return database;
    }

    /**
     * Runs SQL with psql on this proxy's database; returns its unaligned output (rows only, no command
     * tags). The SQL goes through psql's standard input, not its argument list: one argument is limited
     * to 128 KiB (Linux's MAX_ARG_STRLEN), which a statement listing a few thousand event ids exceeds.
     */
    public String sql(String statement) {
        try {
            Process p = new ProcessBuilder("psql", "postgresql://sseproxy:sseproxy@127.0.0.1:5432/" + database, "-tAXq",
                    "-v", "ON_ERROR_STOP=1", "-f", "-").redirectErrorStream(true).start();
            try (var in = p.getOutputStream()) {
                in.write(statement.getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("psql failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The sum of a Prometheus metric's samples on /q/metrics whose line contains every one of
     * {@code labels} (e.g. {@code outcome="success"}); 0 when it has none.
     */
    public double metric(String name, String... labels) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(managementEndpoint().resolve("/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            double sum = 0;
            for (String line : r.body().split("\n")) {
                if ((line.startsWith(name + "{") || line.startsWith(name + " "))
                        && java.util.Arrays.stream(labels).allMatch(line::contains)) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return sum;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A new account with one access key: {accountId, accessKeyId, secretAccessKey}. */
    public String[] newAccount(String name) {
        JsonNode account = admin("POST", "/admin/accounts", "{\"name\":\"" + name + "\"}");
        JsonNode key = admin("POST", "/admin/accounts/" + account.get("id").asText() + "/keys", "");
        return new String[] {account.get("id").asText(), key.get("accessKeyId").asText(),
            key.get("secretAccessKey").asText()};
    }

    /** A signed call to the admin API as the root account. */
    public JsonNode admin(String method, String path, String body) {
        try {
            HttpResponse<String> r = http.send(signed(method, managementEndpoint(), path, null, body,
                    ROOT_ACCESS_KEY, ROOT_SECRET_KEY), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300) {
                throw new IllegalStateException("admin " + method + " " + path + " -> " + r.statusCode() + " " + r.body());
            }
            return new ObjectMapper().readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Builds a SigV4-signed request (signed payload) for raw HTTP tests. */
    public static HttpRequest signed(String method, URI base, String rawPath, String rawQuery, String body,
            String accessKey, String secretKey) {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new TreeMap<>();
        headers.put("host", base.getHost() + ":" + base.getPort());
        String hash = sha256Hex(bytes);
        Map<String, String> auth = SigV4Signer.sign(method, rawPath, rawQuery, headers, hash, accessKey, secretKey,
                "us-east-1", Instant.now());
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + rawPath + (rawQuery == null ? "" : "?" + rawQuery)))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes)).timeout(Duration.ofSeconds(30));
        auth.forEach((k, v) -> {
            if (!k.equalsIgnoreCase("host")) {
                b.header(k, v);
            }
        });
        return b.build();
    }

    public static String sha256Hex(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Heap in use after a full GC of the proxy process, in bytes (via jcmd). */
    public long heapAfterGc() {
        try {
            run("jcmd", Long.toString(pid()), "GC.run");
            String info = run("jcmd", Long.toString(pid()), "GC.heap_info");
            // "garbage-first heap   total 262144K, used 23456K [..."
            for (String line : info.split("\n")) {
                int i = line.indexOf("used ");
                if (line.contains("heap") && line.contains("total") && i > 0) {
                    String n = line.substring(i + 5).split("[K ,]")[0];
                    return Long.parseLong(n) * 1024;
                }
            }
            throw new IllegalStateException("cannot read heap from: " + info);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String run(String... cmd) throws IOException {
        Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            p.waitFor(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static File tempFile(String prefix) throws IOException {
        File f = File.createTempFile(prefix, ".bin");
        f.deleteOnExit();
        return f;
    }
}
