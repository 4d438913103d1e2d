package dev.sseproxy.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Typed configuration of sse-proxy; every property lives under the {@code sse-proxy.} prefix. */
@ConfigMapping(prefix = "sse-proxy")
public interface SseProxyConfig {

    /** The region this endpoint answers for; SigV4 scopes naming another region are rejected. */
    @WithDefault("us-east-1")
    String region();

    /**
     * Host names under which virtual-hosted-style requests arrive: a request for
     * {@code bucket.<domain>} addresses {@code bucket}. Path-style always works.
     */
    @WithDefault("localhost,s3.localhost")
    List<String> domains();

    /** Largest accepted clock skew between a signed request and the server clock. */
    @WithDefault("15m")
    Duration maxClockSkew();

    /**
     * How long an access key's opened credential is reused before PostgreSQL and the KMS are asked
     * again (the secret is sealed by the KMS, so each load is one KMS {@code Decrypt} under
     * {@code kms.secrets-key-name}, made by the proxy for itself). Changes made through this node
     * apply at once; other nodes see a deleted or deactivated key within this time.
     */
    @WithDefault("5m")
    Duration credentialCacheTtl();

    /**
     * Directory for local state (the master key file when {@code master-key} is unset; a keystore file of
     * an older version, migrated into PostgreSQL at start). Created on start when missing.
     */
    @WithDefault("${user.home}/.local/share/sse-proxy")
    String dataDir();

    /**
     * Master key of the local KMS keystore (in PostgreSQL, shared by every node), base64 of 32 bytes (it
     * also opens access-key secrets sealed before they were sealed by the KMS, once, at start). When unset,
     * a key is generated once into {@code <data-dir>/master.key} (mode 0600): right for one node only.
     * Every node sharing a database must be given the same key; a node with another one refuses to start.
     */
    Optional<String> masterKey();

    /**
     * Addresses (e.g. {@code 10.0.0.7}, {@code ::1}) or CIDR ranges (e.g. {@code 10.0.0.0/8},
     * {@code fd00::/8}) of load balancers whose {@code X-Forwarded-Proto: https} marks a request as
     * having reached them over TLS (SSE-C needs that). The header from any other address is ignored;
     * a trusted proxy must replace a client's own header, not pass it on. None by default.
     */
    Optional<List<String>> trustedProxies();

    /** SSE-C settings. */
    SseC sseC();

    /** The root account, created or updated from this configuration at start. */
    Root root();

    /** The object store that receives the data. */
    Backend backend();

    /** The KMS that holds the key-encryption keys (see {@code dev.sseproxy.kms}). */
    Kms kms();

    /** How objects are encrypted on their way to the backend. */
    Encryption encryption();

    /** The audit trail (see {@code dev.sseproxy.audit}). */
    Audit audit();

    /** Readiness checks of PostgreSQL, the backend and the KMS (see {@code dev.sseproxy.observability}). */
    Health health();

    /** Background jobs that run once per cluster, under leases (cluster package documentation). */
    Jobs jobs();

    interface Jobs {
        /**
         * How long a lease lasts without renewal; holders renew every third of it, and a dead holder's
         * work moves to another node after at most 4/3 of it.
         */
        @WithDefault("15s")
        Duration leaseDuration();

        /** Test-only throttle: a rewrap job waits this long before each object (0: not at all). */
        @WithDefault("0s")
        Duration rewrapObjectDelay();
    }

    /** How the readiness checks call their dependency. */
    interface Health {
        /** Longest wait for one check's call; no answer in time is DOWN. */
        @WithDefault("2s")
        Duration timeout();

        /**
         * How long a check's last result answers further probes before the dependency is called
         * again. Readiness follows a failure or a recovery within {@code timeout} + this.
         */
        @WithDefault("2s")
        Duration cacheTtl();
    }

    /** The audit trail: CloudTrail events in PostgreSQL, LookupEvents, log files, retention. */
    interface Audit {
        /** Record events at all. Off: no event is recorded, LookupEvents finds nothing. */
        @WithDefault("true")
        boolean enabled();

        /** Events that may wait in memory for the writer; requests wait for a place beyond it. */
        @WithDefault("20000")
        int queueCapacity();

        /** Events per database batch (one multi-row insert in one transaction). */
        @WithDefault("500")
        int batchSize();

        /**
         * The bound on how long an event stays in memory: the writer starts a write as soon as it is
         * free, after a linger of a tenth of this (at most 50 ms) unless a batch is full (group
         * commit: events that arrive during a write go into the next), so an event
         * normally waits only for the write in progress; a timer at half this interval is the
         * fallback. A kill -9 loses the events of requests that finished within about this long.
         */
        @WithDefault("1s")
        Duration flushInterval();

        /**
         * What happens when the queue is full: {@code wait} (default) holds new S3 requests until a
         * place frees, at most {@link #admissionWait()}, then answers 503 SlowDown, so no event is
         * ever dropped; {@code drop} never delays a request and drops (and counts) the events that
         * find no place.
         */
        @WithDefault("wait")
        Overflow overflow();

        /** How long a new request may wait for a place in a full queue before 503 SlowDown. */
        @WithDefault("5s")
        Duration admissionWait();

        /**
         * Events older than this many days are deleted (at least 1). With log file delivery on, only
         * events already delivered.
         */
        @WithDefault("90")
        int retentionDays();

        /** How often the retention purge runs (the first run: 30 s after start, or sooner). */
        @WithDefault("1h")
        Duration purgeInterval();

        /** Rows the retention purge deletes per statement. */
        @WithDefault("10000")
        int purgeBatch();

        /** Log file delivery. */
        Delivery delivery();

        /** The overflow policy of the event queue. */
        enum Overflow { WAIT, DROP }

        /** CloudTrail log files written through the proxy into a bucket. */
        interface Delivery {
            /** The bucket that receives the log files (it must exist); unset: no delivery. */
            Optional<String> bucket();

            /** A key prefix before {@code AWSLogs/} (CloudTrail's S3KeyPrefix); none by default. */
            Optional<String> prefix();

            /**
             * How often log files are written; at most 5 minutes, as CloudTrail. The uploads are
             * signed with the root account's key ({@code sse-proxy.root.*}), so the root account must
             * own the bucket; every account's events are delivered, each under {@code AWSLogs/<account>/}.
             */
            @WithDefault("5m")
            Duration interval();
        }
    }

    /** Object encryption. */
    interface Encryption {
        /**
         * Single PUTs up to this plaintext size are encrypted in memory before they are sent, so
         * their envelope carries the MD5 ETag at once; larger ones stream and, when their ETag is an
         * MD5 (SSE-S3), get it by a metadata-only copy afterwards. Bounds memory per request.
         */
        @WithDefault("1048576")
        int bufferLimit();

        /**
         * What a read does with an object that has no envelope (a plaintext object stored before
         * sse-proxy, or put into MinIO behind its back): {@code serve} it unchanged (the default), or
         * {@code refuse} it with 403 {@code AccessDenied} ("... stored without encryption ...") on
         * GET, HEAD and as a copy source.
         */
        @WithDefault("serve")
        LegacyPlaintext legacyPlaintext();
    }

    /** See {@link Encryption#legacyPlaintext()}. */
    enum LegacyPlaintext {
        SERVE, REFUSE
    }

    interface SseC {
        /**
         * Accept SSE-C on plain-HTTP connections too. For development and tests only: the customer's
         * key then crosses the network in clear.
         */
        @WithDefault("false")
        boolean allowInsecure();
    }

    /** Which S3 behaviour the endpoint reproduces where AWS changed it over time. */
    S3 s3();

    /** Bounds on what requests may hold before and around authentication. */
    Limits limits();

    interface Limits {
        /**
         * Bytes of request bodies held in heap at once, across every request: small PUTs encrypted
         * in memory ({@code sse-proxy.encryption.buffer-limit}) and XML documents (CreateBucket,
         * DeleteObjects, CompleteMultipartUpload, tagging, encryption configuration) take their size
         * from it before they are read and give it back when done. A request that finds it spent is
         * refused at once with 503 SlowDown ({@code Retry-After: 1}; the SDKs retry it), before any
         * byte of its body is read. One request alone may always take more than the budget.
         */
        @WithDefault("268435456")
        long bufferedBodyBytes();

        /**
         * S3 requests that may be between their arrival and the end of their authentication at once
         * (waiting for a place in the audit queue, looking up their access key). More are refused at
         * once with 503 SlowDown, so unauthenticated clients cannot park an unbounded number of
         * requests.
         */
        @WithDefault("1024")
        int unauthenticatedRequests();
    }

    interface Root {
        /** Twelve-digit account id of the root account. */
        @WithDefault("000000000001")
        String accountId();

        /** Root access key id ({@code SSE_PROXY_ROOT_ACCESS_KEY}). */
        @WithDefault("sseproxy-root")
        String accessKey();

        /** Root secret access key ({@code SSE_PROXY_ROOT_SECRET_KEY}). */
        @WithDefault("sseproxy-root-secret-change-me")
        String secretKey();
    }

    interface S3 {
        /**
         * The S3 era to emulate (spec §0.2): {@code pre-2023} (GetBucketEncryption of a never-configured
         * bucket answers 404 ServerSideEncryptionConfigurationNotFoundError; objects are still encrypted),
         * {@code 2023} (every bucket reports the SSE-S3 default, SSE-C allowed) or {@code 2026-04} (as
         * {@code 2023}, and buckets whose block list was never set block SSE-C writes and report
         * {@code BlockedEncryptionTypes}).
         */
        @WithDefault("2026-04")
        @WithConverter(Era.Converter.class)
        Era era();

        /**
         * How long a bucket's default encryption is reused before it is read again. Changes made
         * through this node apply at once; other nodes see them within this time.
         */
        @WithDefault("5s")
        Duration bucketEncryptionCacheTtl();

        /** The S3 eras that differ on the wire, with their configuration names. */
        enum Era {
            /** Before 2023-01-05: buckets had no default encryption to report. */
            PRE_2023("pre-2023"),
            /** From 2023-01-05: SSE-S3 is every bucket's default. */
            Y2023("2023"),
            /** From 2026-04-06: SSE-C blocked by default on new buckets. */
            Y2026_04("2026-04");

            private final String configName;

            Era(String configName) {
                this.configName = configName;
            }

            public String configName() {
                return configName;
            }

            /** Reads {@code pre-2023}, {@code 2023} or {@code 2026-04}; anything else fails the start. */
            public static Era parse(String value) {
                for (Era e : values()) {
                    if (e.configName.equals(value.trim())) {
                        return e;
                    }
                }
                throw new IllegalArgumentException("sse-proxy.s3.era must be pre-2023, 2023 or 2026-04, not " + value);
            }

            /** The configuration converter for {@link #parse}. */
            public static final class Converter implements org.eclipse.microprofile.config.spi.Converter<Era> {
                @Override
                public Era convert(String value) {
                    return parse(value);
                }
            }
        }
    }

    interface Backend {
        /** Base URL of the MinIO (or other S3) backend, e.g. {@code http://127.0.0.1:9000}. */
        @WithDefault("http://127.0.0.1:9000")
        String endpoint();

        /** Access key the proxy uses toward the backend. */
        @WithDefault("sseproxy-minio")
        String accessKey();

        /** Secret key the proxy uses toward the backend. */
        @WithDefault("sseproxy-minio-secret")
        String secretKey();

        /** Region used to sign backend requests. */
        @WithDefault("us-east-1")
        String region();

        /** Largest number of pooled connections to the backend. */
        @WithDefault("256")
        int maxConnections();

        /** Timeout for establishing a backend connection and for an idle backend response. */
        @WithDefault("30s")
        Duration timeout();

        /**
         * How long an idle pooled backend connection is kept for reuse (whole seconds, at least 1 s).
         * Keep it well below the backend's own idle timeout (MinIO: 30 s), or a request may go out
         * on a connection the backend is closing at that moment (see {@code dev.sseproxy.backend}).
         */
        @WithDefault("15s")
        Duration keepAliveTimeout();
    }

    /**
     * KMS settings. {@code provider=local} (the default) keeps keys in PostgreSQL, shared by every node
     * and sealed with the master key (package {@code kms.local}); {@code provider=vault} uses a
     * Vault or OpenBao Transit engine. Transit keys must be {@code aes256-gcm96} with
     * {@code derived=true} (the encryption context is bound through key derivation).
     */
    interface Kms {
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
}
