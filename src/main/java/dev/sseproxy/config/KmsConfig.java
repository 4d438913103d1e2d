package dev.sseproxy.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * KMS settings. {@code provider=local} (the default) keeps keys in PostgreSQL, shared by every node
 * and sealed with the master key (package {@code kms.local}); {@code provider=vault} uses a
 * Vault or OpenBao Transit engine. Transit keys must be {@code aes256-gcm96} with
 * {@code derived=true} (the encryption context is bound through key derivation).
 */
public interface KmsConfig {
    /** Which KMS backs the keys: {@code local} (embedded keystore) or {@code vault} (Vault/OpenBao Transit). */
    @WithDefault("local")
    Provider provider();

    /** Key name (Transit key name) of the proxy-owned SSE-S3 root key. */
    @WithDefault("sse-proxy-sse-s3")
    String sseS3KeyName();

    /**
     * Key name of the proxy-owned KMS key that seals access-key secrets in PostgreSQL; created at
     * start when missing. Renaming it makes stored secrets unreadable.
     */
    @WithDefault("sse-proxy-secrets")
    String secretsKeyName();

    /**
     * How long the data path reuses a resolved KMS key (id, alias, state, policy) before reading
     * the registry again. Changes made through this node apply at once; other nodes see them
     * within this time.
     */
    @WithDefault("5s")
    Duration registryCacheTtl();

    /**
     * Lifetime of a cached bucket key (S3 Bucket Keys, and SSE-S3's keys under the proxy's root
     * key): one KMS call per bucket and KMS key per lifetime for writes; reads under a cached key
     * make none. A KMS outage cuts reads off after at most this long.
     */
    @WithDefault("10m")
    Duration bucketKeyTtl();

    /** The Vault / OpenBao connection, used when {@code provider=vault}. */
    Vault vault();

    /**
     * The token bucket every KMS call passes (see {@code dev.sseproxy.kms.KmsRateLimiter}); these
     * are the values at start, {@code PUT /admin/kms/rate-limit} changes them at run time.
     */
    RateLimit rateLimit();

    interface RateLimit {
        /** Whether KMS calls are rate-limited at all. */
        @WithDefault("true")
        boolean enabled();

        /** KMS calls per second, all accounts and the proxy's own calls together. */
        @WithDefault("5000")
        double globalRate();

        /** How many KMS calls may go at once above {@code global-rate} after a quiet spell. */
        @WithDefault("5000")
        int globalBurst();

        /** KMS calls per second made on behalf of one account (the data path's SSE-KMS calls). */
        @WithDefault("2500")
        double accountRate();

        /** Burst of one account's calls. */
        @WithDefault("2500")
        int accountBurst();

        /**
         * How long a call may wait for a permit before it is rejected with 503 SlowDown;
         * {@code 0} rejects at once.
         */
        @WithDefault("5ms")
        Duration maxWait();

        /** How the nodes of a cluster share the buckets (kms package documentation, "Cluster-wide rate limit"). */
        Cluster cluster();

        interface Cluster {
            /**
             * Whether the buckets live in PostgreSQL, shared by every node on the database; when
             * false each node has its own (the limits then hold per node).
             */
            @WithDefault("true")
            boolean enabled();

            /** The most tokens a node takes from the shared buckets at once, to spend locally. */
            @WithDefault("16")
            int leaseSize();

            /** How long leased tokens may be spent; unspent ones are then dropped. */
            @WithDefault("500ms")
            Duration leaseTtl();

            /**
             * How long a call waits for the database before the node-local buckets decide it instead
             * (fail-open: the limits then hold per node).
             */
            @WithDefault("250ms")
            Duration timeout();

            /** After the database failed or was too slow, how long the local buckets decide alone. */
            @WithDefault("5s")
            Duration fallbackFor();
        }
    }

    /** KMS implementations. */
    enum Provider {
        /** The embedded local KMS. */
        LOCAL,
        /** HashiCorp Vault or OpenBao, Transit secrets engine. */
        VAULT
    }

    interface Vault {
        /** Vault address, e.g. {@code https://vault.example:8200} ({@code VAULT_ADDR} is not read). */
        @WithDefault("http://127.0.0.1:8200")
        String address();

        /** Vault Enterprise / OpenBao namespace, sent as {@code X-Vault-Namespace}; none when unset. */
        Optional<String> namespace();

        /** Mount path of the Transit secrets engine. */
        @WithDefault("transit")
        String mount();

        /**
         * Longest time one KMS call may take (login included), after which it fails as unavailable.
         * The driver's HTTP read timeout is this, rounded up to whole seconds.
         */
        @WithDefault("5s")
        Duration timeout();

        /** Longest time to establish a TCP/TLS connection to Vault. */
        @WithDefault("2s")
        Duration connectTimeout();

        /**
         * Check once per key and process that a Transit key is {@code aes256-gcm96} with
         * {@code derived=true} before using it (one {@code GET <mount>/keys/<name>}). Vault ignores the
         * context for non-derived keys, so turning this off risks ciphertexts not bound to their context.
         */
        @WithDefault("true")
        boolean verifyKeys();

        /** Retries of failed Vault calls (429, 5xx, connection failures; never refusals or timeouts). */
        Retry retry();

        /** The circuit breaker that makes calls fail fast while Vault is down. */
        CircuitBreaker circuitBreaker();

        /** How the proxy authenticates to Vault. */
        Auth auth();

        interface Retry {
            /** Tries per KMS call in all (1 = no retry); each try is bounded by {@code timeout}. */
            @WithDefault("3")
            int attempts();

            /** Wait before the second try; doubled for each further try, jittered down to half. */
            @WithDefault("100ms")
            Duration initialBackoff();

            /** Longest wait between two tries. */
            @WithDefault("1s")
            Duration maxBackoff();
        }

        interface CircuitBreaker {
            /** Consecutive failed tries (5xx, timeouts, connection failures) that open the breaker. */
            @WithDefault("5")
            int failureThreshold();

            /**
             * How long an open breaker fails KMS calls at once (503 ServiceUnavailable) before one
             * trial call may go to Vault; its success closes the breaker again.
             */
            @WithDefault("5s")
            Duration delay();
        }

        /** TLS toward Vault (for {@code https://} addresses). */
        Tls tls();

        /** Vault authentication methods. */
        enum AuthMethod {
            /** A fixed token ({@code auth.token}). */
            TOKEN,
            /** AppRole login ({@code auth.role-id} and {@code auth.secret-id} or {@code auth.secret-id-file}). */
            APPROLE,
            /** Kubernetes service-account login ({@code auth.kubernetes-role}, JWT read from {@code auth.jwt-file}). */
            KUBERNETES
        }

        interface Auth {
            /** Authentication method: {@code token}, {@code approle} or {@code kubernetes}. */
            @WithDefault("token")
            AuthMethod method();

            /** Vault token for {@code method=token} (set it from the environment: {@code SSE_PROXY_KMS_VAULT_AUTH_TOKEN}). */
            Optional<String> token();

            /** Mount path of the AppRole auth method. */
            @WithDefault("approle")
            String approlePath();

            /** AppRole role id. */
            Optional<String> roleId();

            /** AppRole secret id (or use {@code secret-id-file}). */
            Optional<String> secretId();

            /** File holding the AppRole secret id, read at each login. */
            Optional<String> secretIdFile();

            /** Mount path of the Kubernetes auth method. */
            @WithDefault("kubernetes")
            String kubernetesPath();

            /** Vault role to log in as with the Kubernetes method. */
            Optional<String> kubernetesRole();

            /** File holding the service-account JWT, read at each login. */
            @WithDefault("/var/run/secrets/kubernetes.io/serviceaccount/token")
            String jwtFile();
        }

        interface Tls {
            /** PEM file of the CA (one certificate) that signed Vault's server certificate; the JDK trust store when unset. */
            Optional<String> caFile();

            /** PEM client certificate for mutual TLS (with {@code client-key-file}). */
            Optional<String> clientCertFile();

            /** Unencrypted PKCS#8 PEM RSA private key of the client certificate. */
            Optional<String> clientKeyFile();
        }
    }
}
