package dev.sseproxy.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.sseproxy.kms.TransitTestAuth.Policy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * An in-process HTTP server that answers the part of Vault's HTTP API the Vault adapter uses, as
 * Vault documents it (website/content/api-docs/secret/transit.mdx, api-docs/auth/approle.mdx,
 * api-docs/auth/kubernetes.mdx in hashicorp/vault) and as Vault's handlers behave:
 * <ul>
 * <li>{@code /v1/<mount>/datakey/{plaintext|wrapped}/:name}, {@code encrypt/:name}, {@code decrypt/:name},
 *     {@code rewrap/:name} (POST), {@code keys/:name} (GET, POST), {@code keys/:name/rotate} and
 *     {@code keys/:name/config} (POST), with the semantics of {@link TransitTestKeys};</li>
 * <li>{@code /v1/auth/approle/login} ({@code role_id}, {@code secret_id}) and {@code /v1/auth/kubernetes/login}
 *     ({@code role}, {@code jwt}) answering the documented {@code auth} envelope with {@code client_token};
 *     a bad AppRole secret is 400 {@code invalid role or secret ID}, a bad JWT 403 {@code permission denied};</li>
 * <li>success bodies in Vault's envelope ({@code request_id, lease_id, renewable, lease_duration, data,
 *     wrap_info, warnings, auth}), {@code Content-Type: application/json}; errors as
 *     {@code {"errors":[...]}}; 204 without body where {@link #legacyNoContent(boolean) older Vaults} answer so;
 *     a missing key on GET is 404 {@code {"errors":[]}}; an unknown route 404;</li>
 * <li>{@code auth/token/lookup-self} (GET: {@code ttl}, {@code renewable}) and {@code auth/token/renew-self}
 *     (POST: extends the token by its TTL, answers the {@code auth} envelope), allowed to any live token as
 *     Vault's {@code default} policy allows them; the root token has TTL 0 and is not renewable;</li>
 * <li>{@code X-Vault-Token} checked: unknown, revoked or expired (by the injected clock) → 403
 *     {@code {"errors":["permission denied"]}}; a token whose policy lacks the capability (POST needs
 *     {@code update}, or {@code create} on a key that does not exist yet; GET needs {@code read}) → 403;
 *     no upsert on encrypt (the proxy's policy has no {@code create} there);</li>
 * <li>{@code X-Vault-Namespace}: tokens and roles belong to the server's namespace; a request from another
 *     namespace gets 403 (logins: 400);</li>
 * <li>a rate-limit quota (requests per second of the clock, before authentication, as Vault applies quotas)
 *     answering 429 {@code request path "<path>": rate limit quota exceeded} with {@code Retry-After};</li>
 * <li>outages: {@link Outage#SEALED} (503 {@code Vault is sealed}), {@link Outage#REFUSE_CONNECTIONS}
 *     (the listener is closed) and {@link Outage#STALL} (answers only after a delay);</li>
 * <li>scripted failures: the next n requests answer a given status ({@link #failNext}), e.g. one 429 or 502;</li>
 * <li>a counter of calls per {@link Endpoint}, and the namespace header of every request;</li>
 * <li>optionally HTTPS, with or without a required client certificate.</li>
 * </ul>
 */
public final class TransitTestServer implements AutoCloseable {
    /** What a request was for (counted even when refused). */
    public enum Endpoint { DATAKEY, ENCRYPT, DECRYPT, REWRAP, READ_KEY, WRITE_KEY, ROTATE_KEY, CONFIGURE_KEY,
        APPROLE_LOGIN, KUBERNETES_LOGIN, TOKEN_LOOKUP_SELF, TOKEN_RENEW_SELF, OTHER }

    /** Simulated failures. */
    public enum Outage { NONE, SEALED, REFUSE_CONNECTIONS, STALL }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String mount;
    private final String namespace;
    private final Clock clock;
    private final TransitTestKeys keys;
    private final TransitTestAuth auth;
    private final Map<Endpoint, AtomicInteger> calls = new EnumMap<>(Endpoint.class);
    private final List<String> namespaceHeaders = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "transit-test-server");
        t.setDaemon(true);
        return t;
    });
    private final SSLContext tls;
    private final boolean requireClientCertificate;
    private volatile HttpServer server;
    private volatile int port;
    private volatile Outage outage = Outage.NONE;
    private volatile Duration stall = Duration.ofSeconds(3);
    private volatile boolean legacyNoContent;
    private final Queue<Integer> scriptedFailures = new ConcurrentLinkedQueue<>();
    private volatile int quotaPerSecond;
    private long quotaWindow = -1;
    private int quotaUsed;

    /** A server with Transit at {@code mount} in {@code namespace} (empty for none), on 127.0.0.1 and a free port. */
    public TransitTestServer(String mount, String namespace, Clock clock) {
        this(mount, namespace, clock, null, false);
    }

    /** The same over HTTPS with {@code tls}, optionally demanding a client certificate (mutual TLS). */
    public TransitTestServer(String mount, String namespace, Clock clock, SSLContext tls, boolean requireClientCertificate) {
        this.tls = tls;
        this.requireClientCertificate = requireClientCertificate;
        this.mount = mount;
        this.namespace = trim(namespace);
        this.clock = clock;
        this.keys = new TransitTestKeys(clock);
        for (Endpoint e : Endpoint.values()) {
            calls.put(e, new AtomicInteger());
        }
        this.auth = new TransitTestAuth(clock, this.namespace);
        listen(0);
    }

    public TransitTestServer() {
        this("transit", "", Clock.systemUTC());
    }

    public String address() {
        return (tls == null ? "http" : "https") + "://127.0.0.1:" + port;
    }

    public String rootToken() {
        return auth.rootToken();
    }

    /** A new token with {@code policy}, valid for {@code ttl} of the server's clock. */
    public String issueToken(Policy policy, Duration ttl) {
        return auth.issue(policy, ttl);
    }

    /** A new token with the least-privilege policy that vault-dev/start.sh writes for sse-proxy on this mount. */
    public String issueProxyToken(Duration ttl) {
        return auth.issue(Policy.proxy(mount), ttl);
    }

    public void revoke(String token) {
        auth.revoke(token);
    }

    public void revokeAllButRoot() {
        auth.revokeAllButRoot();
    }

    /** Every token but root expires at once (Vault: 403 permission denied from now on). */
    public void expireAllButRoot() {
        auth.expireAllButRoot();
    }

    public void addAppRole(String roleId, String secretId, Policy policy, Duration ttl) {
        auth.addAppRole(roleId, secretId, policy, ttl);
    }

    public void addKubernetesRole(String role, String jwt, Policy policy, Duration ttl) {
        auth.addKubernetesRole(role, jwt, policy, ttl);
    }

    /** Creates a key directly (no HTTP, not counted), e.g. a non-derived one as an operator might. */
    public void createKey(String name, boolean derived) {
        keys.create(name, TransitTestKeys.TYPE, derived);
    }

    /** Requests per second of the clock before answering 429; 0 turns the quota off. */
    public synchronized void quota(int requestsPerSecond) {
        this.quotaPerSecond = requestsPerSecond;
        this.quotaWindow = -1;
    }

    /**
     * The next {@code times} requests (of any endpoint, logins included) answer {@code status} with a
     * Vault-like error body (429 with {@code Retry-After}, as a quota does) instead of being served.
     */
    public void failNext(int status, int times) {
        for (int i = 0; i < times; i++) {
            scriptedFailures.add(status);
        }
    }

    /** Answer create/rotate/config with 204 and no body, as Vault before 1.12 did. */
    public void legacyNoContent(boolean on) {
        this.legacyNoContent = on;
    }

    public void stallFor(Duration d) {
        this.stall = d;
    }

    public synchronized void outage(Outage o) {
        Outage before = this.outage;
        this.outage = o;
        if (o == Outage.REFUSE_CONNECTIONS && before != Outage.REFUSE_CONNECTIONS) {
            server.stop(0);
        } else if (o != Outage.REFUSE_CONNECTIONS && before == Outage.REFUSE_CONNECTIONS) {
            listen(port);
        }
    }

    public int calls(Endpoint e) {
        return calls.get(e).get();
    }

    public void resetCalls() {
        calls.values().forEach(c -> c.set(0));
        namespaceHeaders.clear();
    }

    /** The {@code X-Vault-Namespace} header of every request since the last reset ("" when absent). */
    public List<String> namespaceHeaders() {
        return List.copyOf(namespaceHeaders);
    }

    @Override
    public void close() {
        if (outage != Outage.REFUSE_CONNECTIONS) {
            server.stop(0);
        }
        threads.shutdownNow();
    }

    private void listen(int p) {
        try {
            InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), p);
            HttpServer s;
            if (tls == null) {
                s = HttpServer.create(at, 50);
            } else {
                HttpsServer https = HttpsServer.create(at, 50);
                https.setHttpsConfigurator(new HttpsConfigurator(tls) {
                    @Override
                    public void configure(HttpsParameters params) {
                        SSLParameters sp = tls.getDefaultSSLParameters();
                        sp.setNeedClientAuth(requireClientCertificate);
                        params.setSSLParameters(sp);
                    }
                });
                s = https;
            }
            s.setExecutor(threads);
            s.createContext("/", this::handle);
            s.start();
            this.server = s;
            this.port = s.getAddress().getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String rel = path.startsWith("/v1/") ? path.substring(4) : path;
            String method = ex.getRequestMethod();
            calls.get(classify(rel, method)).incrementAndGet();
            String ns = trim(ex.getRequestHeaders().getFirst("X-Vault-Namespace"));
            namespaceHeaders.add(ns);
            byte[] body = readAll(ex.getRequestBody());
            if (outage == Outage.STALL) {
                sleep(stall);
            }
            Integer scripted = scriptedFailures.poll();
            if (scripted != null) {
                if (scripted == 429) {
                    ex.getResponseHeaders().set("Retry-After", "1");
                }
                send(ex, scripted, errors(scripted == 429 ? "request path \"" + rel + "\": rate limit quota exceeded"
                        : scripted >= 500 ? "1 error occurred:\n\t* internal error\n\n" : "scripted failure " + scripted));
                return;
            }
            if (outage == Outage.SEALED) {
                send(ex, 503, errors("Vault is sealed"));
                return;
            }
            if (!withinQuota()) {
                ex.getResponseHeaders().set("Retry-After", "1");
                send(ex, 429, errors("request path \"" + rel + "\": rate limit quota exceeded"));
                return;
            }
            JsonNode in;
            try {
                in = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
            } catch (IOException e) {
                send(ex, 400, errors("failed to parse JSON input: " + e.getClass().getSimpleName()));
                return;
            }
            Answer a;
            try {
                a = route(rel, method, in, ns, ex.getRequestHeaders().getFirst("X-Vault-Token"));
            } catch (RuntimeException e) {
                a = new Answer(500, errors("1 error occurred:\n\t* internal error\n\n"));
            }
            send(ex, a.status, a.body);
        }
    }

    private record Answer(int status, byte[] body) {
    }

    private Answer route(String rel, String method, JsonNode in, String ns, String token) throws IOException {
        try {
            if (rel.equals("auth/approle/login") && method.equals("POST")) {
                return login(auth.appRoleLogin(text(in, "role_id"), text(in, "secret_id"), ns));
            }
            if (rel.equals("auth/kubernetes/login") && method.equals("POST")) {
                return login(auth.kubernetesLogin(text(in, "role"), text(in, "jwt"), ns));
            }
            // granted by Vault's default policy to every token, for itself
            if (rel.equals("auth/token/lookup-self") && method.equals("GET")) {
                return auth.lookupSelf(token, ns).map(this::okUnchecked).orElseGet(() -> new Answer(403, errors("permission denied")));
            }
            if (rel.equals("auth/token/renew-self") && method.equals("POST")) {
                Optional<Map<String, Object>> renewed = auth.renewSelf(token, ns);
                return renewed.isPresent() ? login(renewed.get()) : new Answer(403, errors("permission denied"));
            }
            Policy policy = auth.policy(token, ns).orElse(null);
            if (policy == null) {
                return new Answer(403, errors("permission denied"));
            }
            String[] p = rel.startsWith(mount + "/") ? rel.substring(mount.length() + 1).split("/") : new String[0];
            String capability = method.equals("GET") ? "read"
                    : (p.length == 2 && p[0].equals("keys") && !keys.exists(p[1]) ? "create" : "update");
            // as in Vault, the ACL is checked before the route: a token without access never learns what is mounted
            if (!policy.allows(rel, capability)) {
                return new Answer(403, errors("permission denied"));
            }
            if (p.length == 0) {
                return new Answer(404, errors("no handler for route \"" + rel + "\". route entry not found."));
            }
            return transit(p, method, in);
        } catch (TransitTestKeys.Refusal r) {
            return new Answer(r.status, errors(r.getMessage()));
        }
    }

    private Answer transit(String[] p, String method, JsonNode in) throws IOException {
        String ctx = text(in, "context");
        if (method.equals("POST") && p.length == 3 && p[0].equals("datakey")) {
            return ok(keys.datakey(p[2], p[1], ctx, in.path("bits").asInt(256)));
        }
        if (method.equals("POST") && p.length == 2) {
            switch (p[0]) {
                case "encrypt": return ok(keys.encrypt(p[1], text(in, "plaintext"), ctx));
                case "decrypt": return ok(keys.decrypt(p[1], text(in, "ciphertext"), ctx));
                case "rewrap": return ok(keys.rewrap(p[1], text(in, "ciphertext"), ctx));
                case "keys": return keyChange(keys.create(p[1], in.path("type").asText(TransitTestKeys.TYPE),
                        in.path("derived").asBoolean(false)));
                default: break;
            }
        }
        if (p.length == 2 && p[0].equals("keys") && method.equals("GET")) {
            Map<String, Object> d = keys.describe(p[1]);
            return d == null ? new Answer(404, "{\"errors\":[]}".getBytes()) : ok(d);
        }
        if (p.length == 3 && p[0].equals("keys") && method.equals("POST") && p[2].equals("rotate")) {
            return keyChange(keys.rotate(p[1]));
        }
        if (p.length == 3 && p[0].equals("keys") && method.equals("POST") && p[2].equals("config")) {
            return keyChange(keys.configure(p[1], in.has("min_decryption_version")
                    ? in.get("min_decryption_version").asInt() : null));
        }
        return new Answer(405, errors("1 error occurred:\n\t* unsupported operation\n\n"));
    }

    private Answer okUnchecked(Map<String, Object> data) {
        try {
            return ok(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Answer keyChange(Map<String, Object> description) throws IOException {
        return legacyNoContent ? new Answer(204, new byte[0]) : ok(description);
    }

    private Answer login(Map<String, Object> authData) throws IOException {
        Map<String, Object> env = envelope(null);
        env.put("auth", authData);
        return new Answer(200, JSON.writeValueAsBytes(env));
    }

    private Answer ok(Map<String, Object> data) throws IOException {
        return new Answer(200, JSON.writeValueAsBytes(envelope(data)));
    }

    private static Map<String, Object> envelope(Map<String, Object> data) {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("request_id", UUID.randomUUID().toString());
        env.put("lease_id", "");
        env.put("renewable", false);
        env.put("lease_duration", 0);
        env.put("data", data);
        env.put("wrap_info", null);
        env.put("warnings", null);
        env.put("auth", null);
        return env;
    }

    private synchronized boolean withinQuota() {
        if (quotaPerSecond <= 0) {
            return true;
        }
        long second = clock.instant().getEpochSecond();
        if (second != quotaWindow) {
            quotaWindow = second;
            quotaUsed = 0;
        }
        return ++quotaUsed <= quotaPerSecond;
    }

    private Endpoint classify(String rel, String method) {
        if (rel.equals("auth/approle/login")) {
            return Endpoint.APPROLE_LOGIN;
        }
        if (rel.equals("auth/kubernetes/login")) {
            return Endpoint.KUBERNETES_LOGIN;
        }
        if (rel.equals("auth/token/lookup-self")) {
            return Endpoint.TOKEN_LOOKUP_SELF;
        }
        if (rel.equals("auth/token/renew-self")) {
            return Endpoint.TOKEN_RENEW_SELF;
        }
        if (!rel.startsWith(mount + "/")) {
            return Endpoint.OTHER;
        }
        String[] p = rel.substring(mount.length() + 1).split("/");
        return switch (p[0]) {
            case "datakey" -> Endpoint.DATAKEY;
            case "encrypt" -> Endpoint.ENCRYPT;
            case "decrypt" -> Endpoint.DECRYPT;
            case "rewrap" -> Endpoint.REWRAP;
            case "keys" -> p.length == 3 ? (p[2].equals("rotate") ? Endpoint.ROTATE_KEY : Endpoint.CONFIGURE_KEY)
                    : (method.equals("GET") ? Endpoint.READ_KEY : Endpoint.WRITE_KEY);
            default -> Endpoint.OTHER;
        };
    }

    private static byte[] errors(String... messages) {
        try {
            return JSON.writeValueAsBytes(Map.of("errors", List.of(messages)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        if (status == 204) {
            ex.sendResponseHeaders(204, -1);
            return;
        }
        // exactly "application/json": the driver's login refuses any other value, parameters included
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static String text(JsonNode in, String field) {
        JsonNode n = in.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    private static String trim(String ns) {
        if (ns == null) {
            return "";
        }
        String t = ns.trim();
        while (t.startsWith("/")) {
            t = t.substring(1);
        }
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
