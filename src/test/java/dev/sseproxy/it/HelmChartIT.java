package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The Helm chart ({@code helm/sse-proxy}), without a cluster: {@code helm lint --strict}; {@code helm
 * template} for the default values, the sidecar, the production-like and the Vault values files (and a
 * parent chart that includes the {@code sse-proxy.sidecar} template), each manifest validated offline
 * against the Kubernetes OpenAPI schemas of {@link #KUBERNETES_VERSIONS} by {@code kubernetes-validate
 * --strict}; the security context of every sse-proxy container; production values that would carry a
 * plaintext or generated secret fail the render; and the packaged jar started with exactly the
 * environment, arguments and ports the rendered Deployment gives its container answers UP on the
 * rendered probes' paths and ports and round-trips an encrypted object.
 *
 * <p>Tools: {@code scripts/helm-tools.sh} builds Helm ({@code go install helm.sh/helm/v4/cmd/helm})
 * and installs {@code kubernetes-validate} once into {@code ~/.cache/sse-proxy}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HelmChartIT {
    /** The Kubernetes versions the manifests are validated against: the oldest the chart supports, and a current one. */
    static final List<String> KUBERNETES_VERSIONS = List.of("1.30.0", "1.33.0");
    /** h-helm's port offsets (840..849) over the shared proxy's ports. */
    static final int DEFAULT_OFFSET = 840;
    static final int SIDECAR_OFFSET = 843;
    static final int PRODUCTION_OFFSET = 846;

    static final ObjectMapper YAML = new YAMLMapper();
    static final ObjectMapper JSON = new ObjectMapper();

    final Path root = Path.of(System.getProperty("project.root", ".")).toAbsolutePath();
    final Path chart = root.resolve("helm/sse-proxy");
    final Path work = root.resolve("target/helm-it");
    final int s3Base = Integer.getInteger("it.s3.port", 18080);
    final int managementBase = Integer.getInteger("it.management.port", 19090);
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    String helm;
    String kubernetesValidate;

    /** The contents of the existing Secrets the production-like values name (what an operator creates). */
    final Map<String, Map<String, String>> existingSecrets = new HashMap<>();

    @BeforeAll
    void tools() throws Exception {
        Files.createDirectories(work);
        long t0 = System.nanoTime();
        Result r = exec(root, List.of("bash", root.resolve("scripts/helm-tools.sh").toString(), "ensure"), Map.of());
        assertEquals(0, r.exit, r.out);
        for (String line : r.out.split("\n")) {
            if (line.startsWith("helm=")) {
                helm = line.substring(5);
            } else if (line.startsWith("kubernetes-validate=")) {
                kubernetesValidate = line.substring(20);
            }
        }
        assertNotNull(helm, r.out);
        assertNotNull(kubernetesValidate, r.out);
        System.out.printf("HelmChartIT: helm-tools.sh ensure took %d ms%n", (System.nanoTime() - t0) / 1_000_000);

        byte[] master = new byte[32];
        new SecureRandom().nextBytes(master);
        existingSecrets.put("sse-proxy-root", Map.of("secret-key", "helm-it-root-" + Long.toHexString(new SecureRandom().nextLong())));
        existingSecrets.put("sse-proxy-master-key", Map.of("master-key", Base64.getEncoder().encodeToString(master)));
        // the real local PostgreSQL and MinIO of this machine (loopback): their development credentials
        existingSecrets.put("sse-proxy-db", Map.of("password", "sseproxy"));
        existingSecrets.put("sse-proxy-minio", Map.of("access-key", ProxyProcess.MINIO_USER, "secret-key",
                ProxyProcess.MINIO_PASSWORD));
    }

    // ---- lint, render, validate ------------------------------------------------------------------

    @Test
    void lintIsCleanForEveryValuesFile() throws Exception {
        assertHelm(List.of("lint", "--strict", chart.toString()));
        for (String values : List.of("sidecar-values.yaml", "production-values.yaml", "vault-values.yaml")) {
            assertHelm(List.of("lint", "--strict", chart.toString(), "-f", chart.resolve("ci/" + values).toString()));
        }
    }

    @Test
    void everyRenderedManifestValidatesAgainstTheKubernetesSchemas() throws Exception {
        Map<String, List<JsonNode>> renders = new LinkedHashMap<>();
        renders.put("default", render("default"));
        renders.put("sidecar", render("sidecar", "-f", chart.resolve("ci/sidecar-values.yaml")));
        renders.put("production", render("production", "-f", chart.resolve("ci/production-values.yaml")));
        renders.put("vault", render("vault", "-f", chart.resolve("ci/vault-values.yaml")));
        renders.put("config-only", render("config-only", "--set", "mode=config-only"));
        renders.put("parent", renderParentChart());
        for (Map.Entry<String, List<JsonNode>> e : renders.entrySet()) {
            validate(e.getKey(), e.getValue());
        }

        // what each render holds
        Set<String> defaults = kinds(renders.get("default"));
        assertEquals(Set.of("ConfigMap", "Secret", "ServiceAccount", "Deployment", "Service", "Pod"), defaults);
        Set<String> production = kinds(renders.get("production"));
        assertTrue(production.containsAll(Set.of("ConfigMap", "ServiceAccount", "Deployment", "Service",
                "PodDisruptionBudget", "HorizontalPodAutoscaler", "NetworkPolicy", "ServiceMonitor", "Pod")), production.toString());
        assertFalse(production.contains("Secret"), "production values generate no Secret: " + production);
        assertEquals(Set.of("ConfigMap", "Secret", "ServiceAccount"), kinds(renders.get("config-only")));

        // services: S3 (HTTP, and TLS when a TLS secret is given) and a separate ClusterIP management Service
        JsonNode s3 = named(renders.get("production"), "Service", "rel-sse-proxy");
        assertEquals(List.of("http:8080", "https:8443"), servicePorts(s3));
        JsonNode mgmt = named(renders.get("production"), "Service", "rel-sse-proxy-management");
        assertEquals("ClusterIP", mgmt.at("/spec/type").asText());
        assertEquals(List.of("management:9090"), servicePorts(mgmt));
        assertEquals(List.of("http:8080"), servicePorts(named(renders.get("default"), "Service", "rel-sse-proxy")));

        // the production NetworkPolicy lets the management port be reached only from the monitoring namespace
        JsonNode np = named(renders.get("production"), "NetworkPolicy", "rel-sse-proxy");
        JsonNode mgmtRule = null;
        for (JsonNode rule : np.at("/spec/ingress")) {
            if ("management".equals(rule.at("/ports/0/port").asText())) {
                mgmtRule = rule;
            }
        }
        assertNotNull(mgmtRule, np.toString());
        assertEquals("monitoring", mgmtRule.at("/from/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText());

        // security context and probes of every sse-proxy container, in every render that has one
        for (Map.Entry<String, List<JsonNode>> e : renders.entrySet()) {
            for (JsonNode workload : e.getValue()) {
                if (!"Deployment".equals(workload.path("kind").asText())) {
                    continue;
                }
                JsonNode pod = workload.at("/spec/template/spec");
                JsonNode c = sseProxyContainer(pod);
                String where = e.getKey() + ": " + c;
                assertEquals(true, pod.at("/securityContext/runAsNonRoot").asBoolean(), where);
                assertEquals(185, pod.at("/securityContext/runAsUser").asInt(), where);
                assertEquals("RuntimeDefault", pod.at("/securityContext/seccompProfile/type").asText(), where);
                assertEquals(true, c.at("/securityContext/runAsNonRoot").asBoolean(), where);
                assertEquals(185, c.at("/securityContext/runAsUser").asInt(), where);
                assertEquals(false, c.at("/securityContext/allowPrivilegeEscalation").asBoolean(true), where);
                assertEquals(true, c.at("/securityContext/readOnlyRootFilesystem").asBoolean(), where);
                assertEquals("[\"ALL\"]", c.at("/securityContext/capabilities/drop").toString(), where);
                assertEquals("RuntimeDefault", c.at("/securityContext/seccompProfile/type").asText(), where);
                Map<String, String> mounts = new HashMap<>();
                c.path("volumeMounts").forEach(m -> mounts.put(m.get("mountPath").asText(), m.get("name").asText()));
                for (String dir : List.of("/tmp", "/var/lib/sse-proxy")) {
                    String volume = mounts.get(dir);
                    assertNotNull(volume, dir + " mounted: " + where);
                    assertTrue(volume(pod, volume).has("emptyDir"), dir + " is an emptyDir: " + where);
                }
                assertEquals("/q/health/started", c.at("/startupProbe/httpGet/path").asText(), where);
                assertEquals("/q/health/ready", c.at("/readinessProbe/httpGet/path").asText(), where);
                assertEquals("/q/health/live", c.at("/livenessProbe/httpGet/path").asText(), where);
                assertEquals("management", c.at("/readinessProbe/httpGet/port").asText(), where);
                assertTrue(c.at("/resources/requests").has("memory"), where);
            }
        }

        // sidecar: native form (restartable init container), S3 on 127.0.0.1 inside the pod, the
        // application pointed at it, the sidecar profile, no S3 Service
        JsonNode sidecarPod = named(renders.get("sidecar"), "Deployment", "rel-sse-proxy").at("/spec/template/spec");
        JsonNode sidecar = sidecarPod.at("/initContainers/0");
        assertEquals("sse-proxy", sidecar.path("name").asText());
        assertEquals("Always", sidecar.path("restartPolicy").asText());
        Map<String, String> sidecarEnv = plainEnv(sidecar);
        assertEquals("127.0.0.1", sidecarEnv.get("SSE_PROXY_HOST"));
        assertEquals("0.0.0.0", sidecarEnv.get("SSE_PROXY_MANAGEMENT_HOST"));
        assertEquals("sidecar", sidecarEnv.get("QUARKUS_PROFILE"));
        assertEquals("127.0.0.1", sidecarEnv.get("SSE_PROXY_SIDECAR_HOST"));
        assertTrue(sidecarEnv.get("JAVA_OPTS_APPEND").contains("-Xmx128m"), sidecarEnv.toString());
        assertEquals("512Mi", sidecar.at("/resources/limits/memory").asText());
        assertEquals("http://127.0.0.1:8080", plainEnv(sidecarPod.at("/containers/0")).get("AWS_ENDPOINT_URL"));
        assertFalse(kinds(render("sidecar-netpol", "-f", chart.resolve("ci/sidecar-values.yaml"), "--set",
                "networkPolicy.enabled=true")).contains("NetworkPolicy"), "the application's pod gets no NetworkPolicy");
        assertFalse(renders.get("sidecar").stream().anyMatch(d -> "Service".equals(d.path("kind").asText())
                && "rel-sse-proxy".equals(d.at("/metadata/name").asText())), "no S3 Service in sidecar mode");
        // the parent chart's pod gets the same container, reading the subchart's ConfigMap and Secret
        JsonNode parentPod = named(renders.get("parent"), "Deployment", "rel-parent-app").at("/spec/template/spec");
        JsonNode included = sseProxyContainer(parentPod);
        assertEquals("rel-sse-proxy", included.at("/envFrom/0/configMapRef/name").asText(), included.toString());
        assertEquals("sse-proxy:0.1.0", included.path("image").asText(), "the subchart's appVersion, not the parent's");
        assertEquals("Always", included.path("restartPolicy").asText(), included.toString());
        named(renders.get("parent"), "ConfigMap", "rel-sse-proxy");
        named(renders.get("parent"), "Secret", "rel-sse-proxy");
        assertTrue(parentPod.path("volumes").toString().contains("sse-proxy-data"), parentPod.toString());

        // Vault: Kubernetes auth with a projected token, the CA mounted, no master key anywhere
        JsonNode vaultDeployment = named(renders.get("vault"), "Deployment", "rel-sse-proxy");
        JsonNode vaultContainer = sseProxyContainer(vaultDeployment.at("/spec/template/spec"));
        JsonNode vaultConfig = named(renders.get("vault"), "ConfigMap", "rel-sse-proxy").path("data");
        assertEquals("kubernetes", vaultConfig.path("SSE_PROXY_KMS_VAULT_AUTH_METHOD").asText());
        assertEquals("sse-proxy", vaultConfig.path("SSE_PROXY_KMS_VAULT_AUTH_KUBERNETES_ROLE").asText());
        assertEquals("/var/run/secrets/sse-proxy/vault/token", plainEnv(vaultContainer).get("SSE_PROXY_KMS_VAULT_AUTH_JWT_FILE"));
        assertEquals("/etc/sse-proxy/vault-ca/ca.crt", plainEnv(vaultContainer).get("SSE_PROXY_KMS_VAULT_TLS_CA_FILE"));
        assertFalse(vaultContainer.toString().contains("SSE_PROXY_MASTER_KEY"), vaultContainer.toString());
        assertEquals("sse-proxy", vaultDeployment.at("/spec/template/spec/serviceAccountName").asText());
    }

    @Test
    void productionValuesWithoutExistingSecretsOrWithPlaintextOnesFailTheRender() throws Exception {
        Result missing = helm(List.of("template", "rel", chart.toString(), "--set", "production=true"));
        assertNotEquals(0, missing.exit, missing.out);
        for (String s : List.of("production: true needs every secret from an existing Secret", "root.existingSecret",
                "masterKey.existingSecret", "database.existingSecret", "backend.existingSecret")) {
            assertTrue(missing.out.contains(s), s + " in: " + missing.out);
        }
        Result plaintext = helm(List.of("template", "rel", chart.toString(), "-f",
                chart.resolve("ci/production-values.yaml").toString(), "--set", "database.password=hunter2"));
        assertNotEquals(0, plaintext.exit, plaintext.out);
        assertTrue(plaintext.out.contains("production: true refuses plaintext secrets in values: database.password"),
                plaintext.out);
        Result vaultToken = helm(List.of("template", "rel", chart.toString(), "-f",
                chart.resolve("ci/vault-values.yaml").toString(), "--set", "kms.vault.auth.method=token"));
        assertNotEquals(0, vaultToken.exit, vaultToken.out);
        assertTrue(vaultToken.out.contains("kms.vault.auth.existingSecret (the Vault token)"), vaultToken.out);
        Result replicas = helm(List.of("template", "rel", chart.toString(), "--set", "replicaCount=2"));
        assertNotEquals(0, replicas.exit, replicas.out);
        assertTrue(replicas.out.contains("needs one master key shared by every replica"), replicas.out);
        Result badMode = helm(List.of("template", "rel", chart.toString(), "--set", "mode=daemon"));
        assertNotEquals(0, badMode.exit, badMode.out);
        assertTrue(badMode.out.contains("mode"), badMode.out);
    }

    /**
     * Every SSE_PROXY_* and DB_* variable any render gives the container (its own env and the ConfigMap's
     * keys), with every {@code config.*} key of values.yaml set, is one the application reads: a property of
     * {@code SseProxyConfig} in its environment-variable form, or a variable application.properties names.
     */
    @Test
    void everyVariableTheChartSetsIsOneTheApplicationReads() throws Exception {
        Set<String> known = new java.util.TreeSet<>();
        collectEnvNames(dev.sseproxy.config.SseProxyConfig.class, "sse-proxy", known);
        collectEnvNames(dev.sseproxy.notify.NotificationsConfig.class, "sse-proxy.notifications", known);
        collectEnvNames(dev.sseproxy.accesslog.AccessLogConfig.class, "sse-proxy.access-log", known);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]")
                .matcher(Files.readString(root.resolve("src/main/resources/application.properties")));
        while (m.find()) {
            known.add(m.group(1));
        }
        // read by the sidecar profile's quarkus.http.host (h-native's application.properties); listed here
        // until that profile is on this branch, then found by the scan above as well
        known.add("SSE_PROXY_SIDECAR_HOST");
        ObjectNode all = JSON.createObjectNode();
        ObjectNode config = all.putObject("config");
        YAML.readTree(chart.resolve("values.yaml").toFile()).path("config").fieldNames()
                .forEachRemaining(k -> config.put(k, "1"));
        assertTrue(config.size() > 20, config.toString());
        Path allConfig = work.resolve("all-config.yaml");
        Files.writeString(allConfig, YAML.writeValueAsString(all));
        Map<String, List<JsonNode>> renders = new LinkedHashMap<>();
        renders.put("all-config", render("all-config", "-f", allConfig));
        renders.put("vault", render("vault", "-f", chart.resolve("ci/vault-values.yaml")));
        renders.put("vault-approle", render("vault-approle", "-f", chart.resolve("ci/vault-values.yaml"), "--set",
                "kms.vault.auth.method=approle,kms.vault.auth.roleId=r,kms.vault.auth.existingSecret=v,kms.vault.namespace=ns"));
        renders.put("vault-token", render("vault-token", "-f", chart.resolve("ci/vault-values.yaml"), "--set",
                "kms.vault.auth.method=token,kms.vault.auth.existingSecret=v"));
        renders.put("production", render("production", "-f", chart.resolve("ci/production-values.yaml"),
                "--set", "database.existingSecretUserKey=user"));
        renders.put("sidecar", render("sidecar", "-f", chart.resolve("ci/sidecar-values.yaml")));
        Set<String> checked = new java.util.TreeSet<>();
        for (Map.Entry<String, List<JsonNode>> e : renders.entrySet()) {
            List<String> names = new ArrayList<>();
            for (JsonNode d : e.getValue()) {
                if ("ConfigMap".equals(d.path("kind").asText())) {
                    d.path("data").fieldNames().forEachRemaining(names::add);
                } else if ("Deployment".equals(d.path("kind").asText())) {
                    sseProxyContainer(d.at("/spec/template/spec")).path("env").forEach(v -> names.add(v.get("name").asText()));
                }
            }
            for (String n : names) {
                if (n.startsWith("SSE_PROXY_") || n.startsWith("DB_")) {
                    assertTrue(known.contains(n), e.getKey() + ": " + n + " is read by nothing; known: " + known);
                    checked.add(n);
                }
            }
        }
        assertTrue(checked.containsAll(List.of("SSE_PROXY_KMS_VAULT_AUTH_JWT_FILE", "SSE_PROXY_KMS_VAULT_AUTH_KUBERNETES_PATH","SSE_PROXY_KMS_RATE_LIMIT_GLOBAL_RATE", "SSE_PROXY_S3_ERA",
                "SSE_PROXY_KMS_VAULT_AUTH_KUBERNETES_ROLE", "SSE_PROXY_KMS_VAULT_AUTH_SECRET_ID", "SSE_PROXY_KMS_VAULT_AUTH_TOKEN",
                "SSE_PROXY_KMS_VAULT_NAMESPACE", "SSE_PROXY_TLS_CERT", "DB_USER", "DB_PASSWORD",
                "SSE_PROXY_NOTIFICATIONS_TARGETS", "SSE_PROXY_ACCESS_LOG_FLUSH_INTERVAL")), checked.toString());
        System.out.printf("HelmChartIT: %d variables the chart sets, each read by the application%n", checked.size());
    }

    /** The environment-variable names of every property of a config mapping interface, recursively. */
    static void collectEnvNames(Class<?> mapping, String prefix, Set<String> out) {
        for (java.lang.reflect.Method method : mapping.getMethods()) {
            if (method.getParameterCount() > 0 || method.isDefault() || java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            String path = prefix + "." + method.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
            Class<?> type = method.getReturnType();
            if (type.isInterface() && type.getName().startsWith("dev.sseproxy.config.") && !type.getName().endsWith("$Converter")) {
                collectEnvNames(type, path, out);
            } else {
                out.add(path.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'));
            }
        }
    }

    // ---- the rendered container, started ---------------------------------------------------------

    @Test
    void theDefaultRenderStartsAndAnswersItsProbes() throws Exception {
        startRendered("default", DEFAULT_OFFSET, null);
    }

    @Test
    void theSidecarRenderStartsAndAnswersItsProbes() throws Exception {
        startRendered("sidecar", SIDECAR_OFFSET, chart.resolve("ci/sidecar-values.yaml"));
    }

    @Test
    void theProductionRenderStartsAndAnswersItsProbes() throws Exception {
        startRendered("production", PRODUCTION_OFFSET, chart.resolve("ci/production-values.yaml"));
    }

    /**
     * Renders the chart with {@code valuesFile} plus a local overlay (this machine's PostgreSQL, a
     * database of the test's own, MinIO on 127.0.0.1:9000, ports of this test's own), then starts the
     * packaged jar as the image's entrypoint would (java $JAVA_OPTS_APPEND -jar ... args) with exactly the
     * container's environment (env and envFrom, secretKeyRef and configMapKeyRef resolved from the rendered
     * Secret and ConfigMap or from the existing Secrets an operator would create) and nothing else but PATH.
     * The only changes: this machine is loopback-only, so a 0.0.0.0 bind address becomes 127.0.0.1; each
     * volume mount path is a local directory (an empty one for an emptyDir, the Secret's files for a
     * secret volume); the container's memory limit is given to the JVM as -XX:MaxRAM (a container's
     * cgroup tells the JVM the same).
     */
    void startRendered(String name, int offset, Path valuesFile) throws Exception {
        int httpPort = s3Base + offset;
        int httpsPort = s3Base + offset + 1;
        int managementPort = managementBase + offset;
        String database = "sseproxy_it_helm_" + name + "_" + httpPort;
        exec(root, List.of("bash", root.resolve("scripts/postgres.sh").toString(), "recreatedb", database), Map.of());
        exec(root, List.of("bash", root.resolve("minio-dev/minio.sh").toString(), "start"), Map.of());

        Path overlay = work.resolve("local-" + name + ".yaml");
        boolean production = valuesFile != null && Files.readString(valuesFile).contains("production: true");
        ObjectNode o = JSON.createObjectNode();
        o.putObject("ports").put("http", httpPort).put("https", httpsPort).put("management", managementPort);
        ObjectNode db = o.putObject("database").put("url", "postgresql://127.0.0.1:5432/" + database)
                .put("jdbcUrl", "jdbc:postgresql://127.0.0.1:5432/" + database);
        ObjectNode backend = o.putObject("backend").put("endpoint", "http://127.0.0.1:9000");
        if (!production) {
            // inline credentials (allowed outside production): this machine's PostgreSQL and MinIO
            db.put("password", "sseproxy");
            backend.put("accessKey", ProxyProcess.MINIO_USER).put("secretKey", ProxyProcess.MINIO_PASSWORD);
        }
        Files.writeString(overlay, YAML.writeValueAsString(o));
        List<String> args = new ArrayList<>();
        if (valuesFile != null) {
            args.addAll(List.of("-f", valuesFile.toString()));
        }
        args.addAll(List.of("-f", overlay.toString()));
        List<JsonNode> docs = render(name + "-local", (Object[]) args.toArray(String[]::new));

        JsonNode deployment = docs.stream().filter(d -> "Deployment".equals(d.path("kind").asText())).findFirst()
                .orElseThrow();
        JsonNode pod = deployment.at("/spec/template/spec");
        JsonNode c = sseProxyContainer(pod);
        Path dir = Files.createDirectories(work.resolve("run-" + name));

        // the volumes, as local directories
        Map<String, Path> mountDirs = new LinkedHashMap<>();
        for (JsonNode m : c.path("volumeMounts")) {
            String mountPath = m.get("mountPath").asText();
            if ("/tmp".equals(mountPath)) {
                continue; // the JVM's temp dir: /tmp here too
            }
            Path local = dir.resolve(m.get("name").asText());
            deleteTree(local);
            Files.createDirectories(local);
            JsonNode v = volume(pod, m.get("name").asText());
            if (v.has("secret")) {
                materializeSecret(v.at("/secret/secretName").asText(), local);
            }
            mountDirs.put(mountPath, local);
        }

        // the environment: envFrom first, env over it (as the kubelet does)
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode from : c.path("envFrom")) {
            if (from.has("configMapRef")) {
                named(docs, "ConfigMap", from.at("/configMapRef/name").asText()).path("data")
                        .properties().forEach(f -> env.put(f.getKey(), f.getValue().asText()));
            }
            if (from.has("secretRef")) {
                secretData(docs, from.at("/secretRef/name").asText()).forEach(env::put);
            }
        }
        for (JsonNode e : c.path("env")) {
            String value;
            if (e.has("value")) {
                value = e.get("value").asText();
            } else if (e.at("/valueFrom/secretKeyRef").isObject()) {
                JsonNode ref = e.at("/valueFrom/secretKeyRef");
                value = secretData(docs, ref.get("name").asText()).get(ref.get("key").asText());
            } else if (e.at("/valueFrom/configMapKeyRef").isObject()) {
                JsonNode ref = e.at("/valueFrom/configMapKeyRef");
                value = named(docs, "ConfigMap", ref.get("name").asText()).at("/data/" + ref.get("key").asText()).asText();
            } else {
                throw new AssertionError("an env var the test cannot resolve: " + e);
            }
            assertNotNull(value, "unresolved " + e);
            env.put(e.get("name").asText(), value);
        }
        assertEquals("0.0.0.0", env.get("SSE_PROXY_MANAGEMENT_HOST"), "the container binds all interfaces");
        // loopback-only machine: the one deviation in the environment (see above)
        env.replaceAll((k, v) -> "0.0.0.0".equals(v) ? "127.0.0.1" : v);
        env.replaceAll((k, v) -> {
            for (Map.Entry<String, Path> m : mountDirs.entrySet()) {
                if (v.equals(m.getKey()) || v.startsWith(m.getKey() + "/")) {
                    return m.getValue() + v.substring(m.getKey().length());
                }
            }
            return v;
        });

        // the ports the probes use, from the rendered container
        Map<String, Integer> ports = new HashMap<>();
        c.path("ports").forEach(p -> ports.put(p.get("name").asText(), p.get("containerPort").asInt()));
        assertEquals(managementPort, ports.get("management"));

        List<String> cmd = new ArrayList<>(List.of("java"));
        String limit = c.at("/resources/limits/memory").asText("");
        if (!limit.isEmpty()) {
            cmd.add("-XX:MaxRAM=" + bytes(limit));
        }
        if (env.containsKey("JAVA_OPTS_APPEND")) {
            cmd.addAll(List.of(env.get("JAVA_OPTS_APPEND").trim().split("\\s+")));
        }
        cmd.addAll(List.of("-jar", System.getProperty("proxy.jar", root.resolve("target/quarkus-app/quarkus-run.jar").toString())));
        c.path("command").forEach(a -> fail("the image's entrypoint starts the jar; the chart sets no command: " + c));
        c.path("args").forEach(a -> cmd.add(a.asText()));

        Path log = root.resolve("target/it-proxy-helm-" + name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv("PATH"));
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        Process process = pb.start();
        try {
            // the startup probe first, as the kubelet does, then readiness and liveness
            String startup = probeUrl(c, "startupProbe", ports);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            int status = 0;
            while (status != 200 && System.nanoTime() < deadline) {
                assertTrue(process.isAlive(), "sse-proxy exited with " + (process.isAlive() ? "" : process.exitValue())
                        + ":\n" + Files.readString(log));
                status = get(startup).statusCode();
                if (status != 200) {
                    Thread.sleep(250);
                }
            }
            System.out.printf("HelmChartIT %s: startup probe UP after %d ms%n", name, (System.nanoTime() - t0) / 1_000_000);
            for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                String url = probeUrl(c, probe, ports);
                HttpResponse<String> r = awaitUp(url, process, log);
                assertEquals(200, r.statusCode(), probe + " " + url + ": " + r.body());
                assertEquals("UP", JSON.readTree(r.body()).path("status").asText(), probe + " " + url + ": " + r.body());
            }

            // the S3 endpoint the Services (or the application in the pod) use, with the rendered credentials
            String region = env.getOrDefault("SSE_PROXY_REGION", "us-east-1");
            String host = env.getOrDefault("SSE_PROXY_HOST", "127.0.0.1");
            try (S3Client s3 = S3Client.builder().endpointOverride(URI.create("http://" + host + ":" + httpPort))
                    .region(Region.of(region)).credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(env.get("SSE_PROXY_ROOT_ACCESS_KEY"), env.get("SSE_PROXY_ROOT_SECRET_KEY"))))
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                    .httpClient(UrlConnectionHttpClient.create()).build()) {
                String bucket = "helm-it-" + name + "-" + Long.toHexString(System.nanoTime());
                s3.createBucket(b -> b.bucket(bucket));
                s3.putObject(b -> b.bucket(bucket).key("probe.txt"), RequestBody.fromString("rendered " + name));
                HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("probe.txt"));
                assertEquals(ServerSideEncryption.AES256, head.serverSideEncryption());
                assertEquals("rendered " + name, s3.getObjectAsBytes(b -> b.bucket(bucket).key("probe.txt")).asUtf8String());
                s3.deleteObject(b -> b.bucket(bucket).key("probe.txt"));
                s3.deleteBucket(b -> b.bucket(bucket));
            }
            runHelmTestPod(name, docs, httpPort);
            if (ports.containsKey("https")) {
                assertEquals(ports.get("https"), Integer.valueOf(env.get("QUARKUS_HTTP_SSL_PORT")));
                assertTrue(Files.readString(log).contains(":" + ports.get("https")), "TLS listener on the rendered port");
            }
        } finally {
            process.destroy();
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /**
     * The rendered {@code helm test} pod's script, run here with the AWS CLI v2 (/usr/bin/aws) and the
     * pod's environment (its secretKeyRef resolved), against the started proxy: the S3 Service's address
     * ({@code http://<fullname>:<service port>}) becomes 127.0.0.1 and the container port the Service
     * targets, and the pod's /tmp emptyDir a local directory.
     */
    void runHelmTestPod(String name, List<JsonNode> docs, int httpPort) throws Exception {
        JsonNode pod = docs.stream().filter(d -> "Pod".equals(d.path("kind").asText())
                && "test".equals(d.at("/metadata/annotations/helm.sh~1hook").asText())).findFirst().orElse(null);
        if (pod == null) {
            assertEquals("sidecar", name, "only the sidecar mode has no S3 Service to test");
            return;
        }
        JsonNode c = pod.at("/spec/containers/0");
        Path tmp = work.resolve("helm-test-" + name);
        deleteTree(tmp);
        Files.createDirectories(tmp);
        JsonNode service = named(docs, "Service", "rel-sse-proxy");
        String serviceUrl = "http://rel-sse-proxy:" + service.at("/spec/ports/0/port").asInt();
        List<String> cmd = new ArrayList<>();
        c.path("command").forEach(a -> cmd.add(a.asText()));
        c.path("args").forEach(a -> cmd.add(a.asText().replace(serviceUrl, "http://127.0.0.1:" + httpPort)
                .replace("/tmp/", tmp + "/")));
        assertTrue(cmd.size() == 3 && cmd.get(2).contains("http://127.0.0.1:" + httpPort), cmd.toString());
        Map<String, String> env = new HashMap<>();
        for (JsonNode e : c.path("env")) {
            JsonNode ref = e.at("/valueFrom/secretKeyRef");
            env.put(e.get("name").asText(), e.has("value") ? e.get("value").asText().replace("/tmp", tmp.toString())
                    : secretData(docs, ref.get("name").asText()).get(ref.get("key").asText()));
        }
        env.put("PATH", System.getenv("PATH"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        System.out.printf("HelmChartIT %s: helm test pod script:%n%s", name, out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("round trip OK, ServerSideEncryption=AES256"), out);
    }

    HttpResponse<String> awaitUp(String url, Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        HttpResponse<String> r = get(url);
        while (r.statusCode() != 200 && System.nanoTime() < deadline) {
            assertTrue(process.isAlive(), Files.readString(log));
            Thread.sleep(250);
            r = get(url);
        }
        return r;
    }

    HttpResponse<String> get(String url) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new NoAnswer(url);
        }
    }

    /** The URL a probe's httpGet names, against 127.0.0.1 (the pod IP's stand-in here). */
    static String probeUrl(JsonNode container, String probe, Map<String, Integer> ports) {
        JsonNode g = container.path(probe).path("httpGet");
        assertTrue(g.isObject(), probe + " is an httpGet probe: " + container);
        JsonNode port = g.get("port");
        int p = port.isInt() ? port.asInt() : ports.get(port.asText());
        return "http://127.0.0.1:" + p + g.get("path").asText();
    }

    Map<String, String> secretData(List<JsonNode> docs, String name) {
        for (JsonNode d : docs) {
            if ("Secret".equals(d.path("kind").asText()) && name.equals(d.at("/metadata/name").asText())) {
                Map<String, String> m = new HashMap<>();
                d.path("data").properties().forEach(f -> m.put(f.getKey(),
                        new String(Base64.getDecoder().decode(f.getValue().asText()), StandardCharsets.UTF_8)));
                d.path("stringData").properties().forEach(f -> m.put(f.getKey(), f.getValue().asText()));
                return m;
            }
        }
        Map<String, String> existing = existingSecrets.get(name);
        assertNotNull(existing, "no rendered or existing Secret " + name);
        return existing;
    }

    void materializeSecret(String secretName, Path dir) throws Exception {
        if (!existingSecrets.containsKey(secretName) && secretName.contains("tls")) {
            // a kubernetes.io/tls Secret, as cert-manager would make it: a self-signed one here
            Path tmp = Files.createDirectories(work.resolve("tls-" + secretName));
            Result r = exec(root, List.of("bash", root.resolve("scripts/tls-cert.sh").toString(), tmp.toString()), Map.of());
            assertEquals(0, r.exit, r.out);
            existingSecrets.put(secretName, Map.of("tls.crt", Files.readString(tmp.resolve("tls/cert.pem")),
                    "tls.key", Files.readString(tmp.resolve("tls/key.pem"))));
        }
        Map<String, String> data = existingSecrets.get(secretName);
        assertNotNull(data, "secret volume " + secretName);
        for (Map.Entry<String, String> e : data.entrySet()) {
            Files.writeString(dir.resolve(e.getKey()), e.getValue());
        }
    }

    static JsonNode sseProxyContainer(JsonNode podSpec) {
        for (String list : List.of("containers", "initContainers")) {
            for (JsonNode c : podSpec.path(list)) {
                if ("sse-proxy".equals(c.path("name").asText())) {
                    return c;
                }
            }
        }
        throw new AssertionError("no sse-proxy container in " + podSpec);
    }

    static JsonNode volume(JsonNode podSpec, String name) {
        for (JsonNode v : podSpec.path("volumes")) {
            if (name.equals(v.path("name").asText())) {
                return v;
            }
        }
        throw new AssertionError("no volume " + name + " in " + podSpec);
    }

    static Map<String, String> plainEnv(JsonNode container) {
        Map<String, String> m = new HashMap<>();
        container.path("env").forEach(e -> {
            if (e.has("value")) {
                m.put(e.get("name").asText(), e.get("value").asText());
            }
        });
        return m;
    }

    static JsonNode named(List<JsonNode> docs, String kind, String name) {
        return docs.stream().filter(d -> kind.equals(d.path("kind").asText()) && name.equals(d.at("/metadata/name").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + kinds(docs)));
    }

    static Set<String> kinds(List<JsonNode> docs) {
        Set<String> s = new java.util.TreeSet<>();
        docs.forEach(d -> s.add(d.path("kind").asText()));
        return s;
    }

    static List<String> servicePorts(JsonNode service) {
        List<String> l = new ArrayList<>();
        service.at("/spec/ports").forEach(p -> l.add(p.get("name").asText() + ":" + p.get("port").asInt()));
        return l;
    }

    static long bytes(String quantity) {
        Map<String, Long> units = Map.of("Ki", 1L << 10, "Mi", 1L << 20, "Gi", 1L << 30, "Ti", 1L << 40,
                "K", 1000L, "M", 1000_000L, "G", 1000_000_000L);
        for (Map.Entry<String, Long> u : units.entrySet()) {
            if (quantity.endsWith(u.getKey()) && Character.isDigit(quantity.charAt(quantity.length() - u.getKey().length() - 1))) {
                return Long.parseLong(quantity.substring(0, quantity.length() - u.getKey().length())) * u.getValue();
            }
        }
        return Long.parseLong(quantity);
    }

    /** helm template rel <chart> --namespace helm-it [args]; the documents, also saved under target/helm-it. */
    List<JsonNode> render(String name, Object... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("template", "rel", chart.toString(), "--namespace", "helm-it"));
        for (Object a : args) {
            cmd.add(a.toString());
        }
        return parse(name, assertHelm(cmd));
    }

    List<JsonNode> parse(String name, String manifests) throws IOException {
        Files.writeString(work.resolve(name + ".yaml"), manifests);
        List<JsonNode> docs = new ArrayList<>();
        try (var it = YAML.readerFor(JsonNode.class).readValues(new YAMLFactory().createParser(manifests))) {
            while (it.hasNext()) {
                JsonNode d = (JsonNode) it.next();
                if (d != null && d.isObject() && d.size() > 0) {
                    docs.add(d);
                }
            }
        }
        assertFalse(docs.isEmpty(), name);
        return docs;
    }

    /**
     * kubernetes-validate --strict against the pinned Kubernetes version, every document on its own. The
     * ServiceMonitor is a CRD (monitoring.coreos.com) that kubernetes-validate has no schema for: it is
     * checked here against the few fields the Prometheus operator needs instead.
     */
    void validate(String name, List<JsonNode> docs) throws Exception {
        Path dir = Files.createDirectories(work.resolve("validate-" + name));
        try (Stream<Path> old = Files.list(dir)) {
            old.forEach(p -> p.toFile().delete());
        }
        List<Path> files = new ArrayList<>();
        int i = 0;
        for (JsonNode d : docs) {
            if ("monitoring.coreos.com/v1".equals(d.path("apiVersion").asText())) {
                assertEquals("ServiceMonitor", d.path("kind").asText());
                assertFalse(d.at("/spec/selector/matchLabels").isEmpty(), d.toString());
                JsonNode ep = d.at("/spec/endpoints/0");
                assertEquals("management", ep.path("port").asText(), d.toString());
                assertEquals("/q/metrics", ep.path("path").asText(), d.toString());
                assertTrue(ep.path("interval").asText().matches("[0-9]+[smh]"), d.toString());
                continue;
            }
            Path f = dir.resolve(String.format("%02d-%s-%s.yaml", i++, d.path("kind").asText(), d.at("/metadata/name").asText()));
            Files.writeString(f, YAML.writeValueAsString(d));
            files.add(f);
        }
        for (String version : KUBERNETES_VERSIONS) {
            List<String> cmd = new ArrayList<>(List.of(kubernetesValidate, "--strict", "--kubernetes-version", version));
            files.forEach(f -> cmd.add(f.toString()));
            Result r = exec(root, cmd, Map.of());
            System.out.printf("HelmChartIT validate %s (%d documents, Kubernetes %s):%n%s", name, files.size(), version, r.out);
            assertEquals(0, r.exit, name + ": " + r.out);
            assertFalse(r.out.contains("ERROR") || r.out.contains("WARN"), name + ": " + r.out);
            assertEquals(files.size(), r.out.lines().filter(l -> l.startsWith("INFO") && l.contains(" passed ")).count(), r.out);
        }
    }

    String assertHelm(List<String> args) throws Exception {
        Result r = helm(args);
        assertEquals(0, r.exit, "helm " + String.join(" ", args) + ":\n" + r.out);
        return r.out;
    }

    Result helm(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(helm));
        cmd.addAll(args);
        // helm's own state stays out of the user's home
        return exec(root, cmd, Map.of("HELM_CACHE_HOME", work.resolve("helm-cache").toString(), "HELM_CONFIG_HOME",
                work.resolve("helm-config").toString(), "HELM_DATA_HOME", work.resolve("helm-data").toString()));
    }

    /**
     * A parent chart (target/helm-it/parent) with this chart as a dependency in mode config-only, whose own
     * Deployment includes the "sse-proxy.sidecar" and "sse-proxy.sidecar.volumes" templates, rendered.
     */
    List<JsonNode> renderParentChart() throws Exception {
        Path parent = work.resolve("parent");
        deleteTree(parent);
        Path sub = Files.createDirectories(parent.resolve("charts/sse-proxy"));
        FileTrees.copyTree(chart, sub);
        Files.createDirectories(parent.resolve("templates"));
        Files.writeString(parent.resolve("Chart.yaml"), """
                apiVersion: v2
                name: parent-app
                version: 1.0.0
                appVersion: "1.0.0"
                dependencies:
                  - name: sse-proxy
                    version: 0.1.0
                """);
        Files.writeString(parent.resolve("values.yaml"), """
                sse-proxy:
                  mode: config-only
                  sidecar:
                    native: true
                  root:
                    secretKey: parent-root-secret-0123456789
                  database:
                    password: parent-db-password
                  backend:
                    accessKey: parent-minio
                    secretKey: parent-minio-secret-0123456789
                """);
        Files.writeString(parent.resolve("templates/deployment.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: {{ .Release.Name }}-parent-app
                spec:
                  replicas: 1
                  selector:
                    matchLabels: {app: parent-app}
                  template:
                    metadata:
                      labels: {app: parent-app}
                    spec:
                      securityContext:
                        runAsNonRoot: true
                        runAsUser: 185
                        seccompProfile: {type: RuntimeDefault}
                      initContainers:
                        {{- include "sse-proxy.sidecar" . | nindent 8 }}
                      containers:
                        - name: app
                          image: registry.example.com/parent/app:1.0.0
                          env:
                            - name: AWS_ENDPOINT_URL
                              value: http://127.0.0.1:8080
                      volumes:
                        {{- include "sse-proxy.sidecar.volumes" . | nindent 8 }}
                """);
        List<String> cmd = new ArrayList<>(List.of("template", "rel", parent.toString(), "--namespace", "helm-it"));
        return parse("parent", assertHelm(cmd));
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        }
    }

    record Result(int exit, String out) {
    }

    static Result exec(Path dir, List<String> cmd, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail(String.join(" ", cmd) + " did not finish");
        }
        return new Result(p.exitValue(), out);
    }

    /** A connection that was refused: status 0. */
    record NoAnswer(String url) implements HttpResponse<String> {
        @Override
        public int statusCode() {
            return 0;
        }

        @Override
        public HttpRequest request() {
            return HttpRequest.newBuilder(URI.create(url)).build();
        }

        @Override
        public java.util.Optional<HttpResponse<String>> previousResponse() {
            return java.util.Optional.empty();
        }

        @Override
        public java.net.http.HttpHeaders headers() {
            return java.net.http.HttpHeaders.of(Map.of(), (a, b) -> true);
        }

        @Override
        public String body() {
            return "(no answer)";
        }

        @Override
        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
            return java.util.Optional.empty();
        }

        @Override
        public URI uri() {
            return URI.create(url);
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
