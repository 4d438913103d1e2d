package dev.sseproxy.kms;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Tokens, policies and logins of {@link TransitTestServer}. Tokens and roles live in the server's
 * namespace; a token expires by the injected clock. Logins answer the {@code auth} object of the
 * "Login" sample responses in api-docs/auth/approle.mdx and api-docs/auth/kubernetes.mdx, with the
 * fields real Vault adds ({@code policies} and {@code token_policies}, {@code entity_id},
 * {@code token_type}, {@code orphan}); the driver's login parser needs {@code policies}. Refusals:
 * AppRole 400 {@code invalid role or secret ID}; Kubernetes 400 {@code invalid role name "<r>"} for
 * an unknown role, 403 {@code permission denied} for a JWT that does not verify.
 */
final class TransitTestAuth {

    /**
     * A Vault ACL policy: path patterns under /v1/ with Vault's globs ({@code +} one path segment,
     * a trailing {@code *} any suffix) and their capabilities.
     */
    public record Policy(String name, Map<String, Set<String>> paths) {
        /** Root: everything. */
        public static final Policy ROOT = new Policy("root", Map.of("*", Set.of("create", "read", "update", "delete")));
        /** The {@code default} policy alone: nothing on Transit. */
        public static final Policy DEFAULT_ONLY = new Policy("default", Map.of("auth/token/lookup-self", Set.of("read")));

        /** The least-privilege policy that vault-dev/start.sh writes for sse-proxy. */
        public static Policy proxy(String mount) {
            return new Policy("sse-proxy", Map.of(
                    mount + "/datakey/plaintext/+", Set.of("update"),
                    mount + "/encrypt/+", Set.of("update"),
                    mount + "/decrypt/+", Set.of("update"),
                    mount + "/rewrap/+", Set.of("update"),
                    mount + "/keys/+", Set.of("create", "read", "update"),
                    mount + "/keys/+/rotate", Set.of("update"),
                    mount + "/keys/+/config", Set.of("update")));
        }

        boolean allows(String path, String capability) {
            return paths.entrySet().stream().anyMatch(e -> e.getValue().contains(capability)
                    && path.matches(glob(e.getKey())));
        }

        private static String glob(String pattern) {
            boolean prefix = pattern.endsWith("*");
            String body = prefix ? pattern.substring(0, pattern.length() - 1) : pattern;
            String[] parts = body.split("\\+", -1);
            StringBuilder re = new StringBuilder();
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) {
                    re.append("[^/]+");
                }
                re.append(Pattern.quote(parts[i]));
            }
            return re + (prefix ? ".*" : "");
        }
    }

    /** {@code ttl} zero: never expires, not renewable (root). Renewal extends a token by its ttl, as for a periodic token. */
    private record Grant(Policy policy, Instant expires, Duration ttl) {
    }

    private record Role(String secret, Policy policy, Duration ttl) {
    }

    private final Clock clock;
    private final String namespace;
    private final String rootToken = "hvs.root-" + UUID.randomUUID();
    private final Map<String, Grant> tokens = new ConcurrentHashMap<>();
    private final Map<String, Role> appRoles = new ConcurrentHashMap<>();
    private final Map<String, Role> kubernetesRoles = new ConcurrentHashMap<>();

    TransitTestAuth(Clock clock, String namespace) {
        this.clock = clock;
        this.namespace = namespace;
        tokens.put(rootToken, new Grant(Policy.ROOT, Instant.MAX, Duration.ZERO));
    }

    String rootToken() {
        return rootToken;
    }

    String issue(Policy policy, Duration ttl) {
        String token = "hvs." + UUID.randomUUID();
        tokens.put(token, new Grant(policy, clock.instant().plus(ttl), ttl));
        return token;
    }

    void revoke(String token) {
        tokens.remove(token);
    }

    void revokeAllButRoot() {
        tokens.keySet().removeIf(t -> !t.equals(rootToken));
    }

    /** Every token but root expires now (as at its max TTL, whatever lease its login reported). */
    void expireAllButRoot() {
        Instant now = clock.instant();
        tokens.replaceAll((t, g) -> t.equals(rootToken) ? g : new Grant(g.policy(), now, g.ttl()));
    }

    /** {@code auth/token/lookup-self}'s data for a live token ({@code ttl} in seconds left, 0 for root); empty otherwise. */
    Optional<Map<String, Object>> lookupSelf(String token, String requestNamespace) {
        if (policy(token, requestNamespace).isEmpty()) {
            return Optional.empty();
        }
        Grant g = tokens.get(token);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("policies", List.of("default", g.policy().name()));
        d.put("renewable", !g.ttl().isZero());
        d.put("ttl", g.ttl().isZero() ? 0 : Duration.between(clock.instant(), g.expires()).toSeconds());
        d.put("creation_ttl", g.ttl().toSeconds());
        return Optional.of(d);
    }

    /** {@code auth/token/renew-self}: extends a live renewable token by its ttl; its {@code auth} object, or empty. */
    Optional<Map<String, Object>> renewSelf(String token, String requestNamespace) {
        if (policy(token, requestNamespace).isEmpty() || tokens.get(token).ttl().isZero()) {
            return Optional.empty();
        }
        Grant g = tokens.computeIfPresent(token, (t, old) -> new Grant(old.policy(), clock.instant().plus(old.ttl()), old.ttl()));
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("client_token", token);
        a.put("policies", List.of("default", g.policy().name()));
        a.put("lease_duration", g.ttl().toSeconds());
        a.put("renewable", true);
        return Optional.of(a);
    }

    void addAppRole(String roleId, String secretId, Policy policy, Duration ttl) {
        appRoles.put(roleId, new Role(secretId, policy, ttl));
    }

    void addKubernetesRole(String role, String jwt, Policy policy, Duration ttl) {
        kubernetesRoles.put(role, new Role(jwt, policy, ttl));
    }

    /** The policy of a live token of this namespace; empty for unknown, revoked, expired or foreign tokens. */
    Optional<Policy> policy(String token, String requestNamespace) {
        Grant g = token == null ? null : tokens.get(token);
        if (g == null || !clock.instant().isBefore(g.expires()) || !namespace.equals(requestNamespace)) {
            return Optional.empty();
        }
        return Optional.of(g.policy());
    }

    Map<String, Object> appRoleLogin(String roleId, String secretId, String requestNamespace) {
        Role r = roleId == null ? null : appRoles.get(roleId);
        if (r == null || !r.secret().equals(secretId) || !namespace.equals(requestNamespace)) {
            throw new TransitTestKeys.Refusal(400, "invalid role or secret ID");
        }
        return grant(r, Map.of("role_name", "sse-proxy"));
    }

    Map<String, Object> kubernetesLogin(String role, String jwt, String requestNamespace) {
        Role r = role == null ? null : kubernetesRoles.get(role);
        if (r == null || !namespace.equals(requestNamespace)) {
            throw new TransitTestKeys.Refusal(400, "invalid role name \"" + role + "\"");
        }
        if (!r.secret().equals(jwt)) {
            throw new TransitTestKeys.Refusal(403, "permission denied");
        }
        return grant(r, Map.of("role", role, "service_account_name", "sse-proxy", "service_account_namespace", "default"));
    }

    private Map<String, Object> grant(Role r, Map<String, String> metadata) {
        Map<String, Object> auth = new LinkedHashMap<>();
        auth.put("client_token", issue(r.policy(), r.ttl()));
        auth.put("accessor", UUID.randomUUID().toString());
        auth.put("policies", List.of("default", r.policy().name()));
        auth.put("token_policies", List.of("default", r.policy().name()));
        auth.put("metadata", metadata);
        auth.put("lease_duration", r.ttl().toSeconds());
        auth.put("renewable", true);
        auth.put("entity_id", UUID.randomUUID().toString());
        auth.put("token_type", "service");
        auth.put("orphan", true);
        return auth;
    }
}
