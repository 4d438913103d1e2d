package dev.sseproxy.kms.vault;

import dev.sseproxy.config.KmsConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@link VaultTransitKmsClient} needs to reach Vault, as plain values (built from
 * {@code sse-proxy.kms.vault.*} by {@link #from}, or directly by tests). Credentials print as
 * {@code [redacted]}.
 */
public record VaultSettings(URI address, Optional<String> namespace, String mount, Duration timeout,
        Duration connectTimeout, boolean verifyKeys, Auth auth, Tls tls, Resilience resilience) {

    public VaultSettings {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(resilience, "resilience");
        namespace = namespace.filter(ns -> !ns.isBlank());
        mount = trimSlashes(mount);
        if (mount.isEmpty() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a Transit mount and a positive timeout are required");
        }
    }

    /** The settings with {@link Resilience#DEFAULT} retries and circuit breaker. */
    public VaultSettings(URI address, Optional<String> namespace, String mount, Duration timeout,
            Duration connectTimeout, boolean verifyKeys, Auth auth, Tls tls) {
        this(address, namespace, mount, timeout, connectTimeout, verifyKeys, auth, tls, Resilience.DEFAULT);
    }

    /** Token auth against {@code address}, mount {@code transit}, 5 s timeout, no namespace, JDK trust store. */
    public static VaultSettings of(URI address, Auth auth) {
        return new VaultSettings(address, Optional.empty(), "transit", Duration.ofSeconds(5), Duration.ofSeconds(2),
                true, auth, Tls.NONE);
    }

    public VaultSettings withMount(String m) {
        return new VaultSettings(address, namespace, m, timeout, connectTimeout, verifyKeys, auth, tls, resilience);
    }

    public VaultSettings withNamespace(String ns) {
        return new VaultSettings(address, Optional.ofNullable(ns), mount, timeout, connectTimeout, verifyKeys, auth, tls, resilience);
    }

    public VaultSettings withTimeout(Duration t) {
        return new VaultSettings(address, namespace, mount, t, connectTimeout, verifyKeys, auth, tls, resilience);
    }

    public VaultSettings withAuth(Auth a) {
        return new VaultSettings(address, namespace, mount, timeout, connectTimeout, verifyKeys, a, tls, resilience);
    }

    public VaultSettings withResilience(Resilience r) {
        return new VaultSettings(address, namespace, mount, timeout, connectTimeout, verifyKeys, auth, tls, r);
    }

    public VaultSettings withTls(Tls t) {
        return new VaultSettings(address, namespace, mount, timeout, connectTimeout, verifyKeys, auth, t, resilience);
    }

    public static VaultSettings from(KmsConfig.Vault cfg) {
        KmsConfig.Vault.Tls t = cfg.tls();
        return new VaultSettings(URI.create(cfg.address()), cfg.namespace(), cfg.mount(), cfg.timeout(),
                cfg.connectTimeout(), cfg.verifyKeys(), auth(cfg.auth()),
                new Tls(t.caFile().map(Path::of), t.clientCertFile().map(Path::of), t.clientKeyFile().map(Path::of)),
                new Resilience(cfg.retry().attempts(), cfg.retry().initialBackoff(), cfg.retry().maxBackoff(),
                        cfg.circuitBreaker().failureThreshold(), cfg.circuitBreaker().delay()));
    }

    private static Auth auth(KmsConfig.Vault.Auth a) {
        return switch (a.method()) {
            case TOKEN -> new Token(a.token().orElseThrow(() -> missing("token")));
            case APPROLE -> new AppRole(a.approlePath(), a.roleId().orElseThrow(() -> missing("role-id")),
                    a.secretId(), a.secretIdFile().map(Path::of));
            case KUBERNETES -> new Kubernetes(a.kubernetesPath(),
                    a.kubernetesRole().orElseThrow(() -> missing("kubernetes-role")), Path.of(a.jwtFile()));
        };
    }

    private static IllegalArgumentException missing(String property) {
        return new IllegalArgumentException("sse-proxy.kms.vault.auth." + property + " is required for this auth method");
    }

    static String trimSlashes(String s) {
        String t = s == null ? "" : s.trim();
        while (t.startsWith("/")) {
            t = t.substring(1);
        }
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }

    /** How to obtain a Vault token. */
    public sealed interface Auth permits Token, AppRole, Kubernetes {
    }

    /** A fixed token. */
    public record Token(String token) implements Auth {
        public Token {
            Objects.requireNonNull(token, "token");
        }

        @Override
        public String toString() {
            return "Token[[redacted]]";
        }
    }

    /** AppRole login at {@code auth/<path>/login}; the secret id is given, or read from a file at each login. */
    public record AppRole(String path, String roleId, Optional<String> secretId, Optional<Path> secretIdFile)
            implements Auth {
        public AppRole {
            path = trimSlashes(path);
            if (secretId.isEmpty() && secretIdFile.isEmpty()) {
                throw new IllegalArgumentException("AppRole needs a secret id or a secret id file");
            }
        }

        @Override
        public String toString() {
            return "AppRole[path=" + path + ", roleId=" + roleId + ", secretId=[redacted]]";
        }
    }

    /** Kubernetes login at {@code auth/<path>/login} with the service-account JWT read from {@code jwtFile} at each login. */
    public record Kubernetes(String path, String role, Path jwtFile) implements Auth {
        public Kubernetes {
            path = trimSlashes(path);
        }
    }

    /**
     * Retries and circuit breaker of every Vault call (see {@code VaultGuard}): at most {@code attempts}
     * tries per call on 429, 5xx and connection failures, waiting a jittered exponential back-off from
     * {@code initialBackoff} up to {@code maxBackoff}; after {@code breakerFailureThreshold} consecutive
     * failed attempts calls fail fast for {@code breakerDelay}, then one trial call decides.
     */
    public record Resilience(int attempts, Duration initialBackoff, Duration maxBackoff, int breakerFailureThreshold,
            Duration breakerDelay) {
        /** 3 attempts, 100 ms to 1 s back-off, open after 5 failures for 5 s. */
        public static final Resilience DEFAULT = new Resilience(3, Duration.ofMillis(100), Duration.ofSeconds(1), 5,
                Duration.ofSeconds(5));

        public Resilience {
            if (attempts < 1 || breakerFailureThreshold < 1 || initialBackoff.isNegative() || maxBackoff.isNegative()
                    || breakerDelay.isNegative()) {
                throw new IllegalArgumentException("Vault retries need attempts >= 1, a failure threshold >= 1 and"
                        + " non-negative durations");
            }
        }
    }

    /** PEM files for TLS toward Vault; all empty means the JDK's trust store and no client certificate. */
    public record Tls(Optional<Path> caFile, Optional<Path> clientCertFile, Optional<Path> clientKeyFile) {
        public static final Tls NONE = new Tls(Optional.empty(), Optional.empty(), Optional.empty());

        public Tls {
            if (clientCertFile.isPresent() != clientKeyFile.isPresent()) {
                throw new IllegalArgumentException("a client certificate needs its key, and the other way round");
            }
        }
    }
}
