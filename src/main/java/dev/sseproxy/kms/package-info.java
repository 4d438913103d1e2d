/**
 * The KMS port and its adapters.
 *
 * <h2>Port</h2>
 * {@link dev.sseproxy.kms.KmsClient}: Transit-style operations on named, versioned AES-256-GCM keys
 * ({@link dev.sseproxy.kms.KeyRef} is the backend key name; the AWS key id / ARN / alias → name
 * mapping belongs to the key registry). Results are records ({@link dev.sseproxy.kms.DataKey},
 * {@link dev.sseproxy.kms.Wrapped}, {@link dev.sseproxy.kms.KeyInfo}); secret bytes come in a
 * {@link dev.sseproxy.kms.Plaintext} that wipes on close. Failures are the sealed
 * {@link dev.sseproxy.kms.KmsException}: {@code NotFound}, {@code AccessDenied}, {@code Throttled},
 * {@code Unavailable}, {@code InvalidCiphertext}, {@code UnusableKey}.
 *
 * <h2>Encryption context</h2>
 * Bound to every ciphertext in its {@linkplain dev.sseproxy.kms.EncryptionContext canonical form}
 * (RFC 8785 JSON of the string map; {@code {}} when empty). The local KMS binds it as AES-GCM
 * associated data ({@code key name || 0x00 || canonical context}); Vault binds it through Transit
 * key derivation: keys are {@code aes256-gcm96} with {@code derived=true} and the canonical bytes,
 * base64, are sent as {@code context}. Transit's {@code associated_data} is not used because
 * datakey and rewrap do not take it; non-derived Transit keys are refused because Vault ignores
 * {@code context} for them.
 *
 * <h2>Ciphertexts</h2>
 * Opaque, self-describing ASCII bytes carrying the key version: {@code vault:v<N>:<base64>} (Vault's
 * own) or {@code local:v<N>:<base64(nonce(12) || ciphertext || tag(16))>}. An adapter refuses the
 * other's ciphertexts as {@code InvalidCiphertext}: moving from one KMS to the other means
 * re-wrapping through both.
 *
 * <h2>Adapters</h2>
 * {@code local.LocalKmsClient} (default: keys in PostgreSQL, shared by every node and sealed with the
 * master key; see the {@code local} package for the stored form, the master key check and the migration
 * of the older {@code <data-dir>/kms/keystore} file) and
 * {@code vault.VaultTransitKmsClient} (Vault or OpenBao Transit through vault-java-driver; token,
 * AppRole or Kubernetes auth, namespace, TLS, mount). {@link dev.sseproxy.kms.KmsClientProducer}
 * picks one by {@code sse-proxy.kms.provider}. Rate limiting, retries and circuit breaking are
 * decorators around the port, not part of the adapters.
 *
 * <h2>Rate limit and metrics</h2>
 * The producer wraps the adapter as {@code MeteredKmsClient(RateLimitedKmsClient(adapter))}, so every
 * caller's every call is limited and counted. {@link dev.sseproxy.kms.KmsRateLimiter} holds a global
 * token bucket ({@code sse-proxy.kms.rate-limit.global-rate} / {@code global-burst}) and one per
 * account ({@code account-rate} / {@code account-burst}); a call waits at most {@code max-wait} for its
 * permits, else it fails with {@code KmsException.Throttled} before the KMS sees it (S3: 503
 * {@code SlowDown} with {@code Retry-After}). Settings change at run time through
 * {@code GET/PUT /admin/kms/rate-limit}.
 *
 * <p><b>Which account a call is charged to.</b> The caller says so explicitly:
 * {@link dev.sseproxy.kms.KmsClient#forAccount(String)} returns a view of the client whose calls are
 * made on behalf of that account. The data path ({@code sse.ObjectKeys}) uses it for SSE-KMS calls
 * (data keys, bucket keys under a customer's KMS key, decrypts), with the requester's account. Calls
 * made on the plain client are the proxy's own and count against the global bucket only: SSE-S3
 * bucket keys, access-key secrets, key creation by the registry. An explicit view was chosen over
 * Vert.x context data because KMS calls hop between event loop, worker and timer threads, and a
 * view cannot get lost on the way; adapters inherit the default {@code forAccount} that returns
 * {@code this}, so the port's meaning is unchanged for everyone else.
 *
 * <p>Metrics (Micrometer, on {@code /q/metrics}): {@code sse_proxy_kms_requests_total} and
 * {@code sse_proxy_kms_request_duration_seconds} by {@code operation} and {@code outcome}
 * ({@code success}, {@code throttled} — the limiter's rejections included — or the failure's class
 * name lower-cased), and {@code sse_proxy_kms_limiter_permits_total} by {@code result}
 * ({@code granted}, {@code waited}, {@code rejected}).
 * picks one by {@code sse-proxy.kms.provider}. Rate limiting is a decorator around the port.
 *
 * <h2>Vault resilience</h2>
 * The Vault adapter guards each call itself ({@code vault.VaultGuard}), as only it knows which
 * failures are transient: every try is bounded by {@code sse-proxy.kms.vault.timeout}; a try that
 * Vault throttled (429) or that failed with a 5xx, a 412 or a connection failure is tried again, up
 * to {@code retry.attempts} tries, after a jittered exponential back-off ({@code retry.initial-backoff}
 * doubling up to {@code retry.max-backoff}, each wait random between half and all of it, scheduled
 * without holding a thread). Refusals (400, 403, 404, an invalid ciphertext) and timeouts are never
 * tried again. A circuit breaker counts consecutive failed tries (5xx, timeouts, connection failures;
 * any answer from Vault counts as a success): at {@code circuit-breaker.failure-threshold} it opens
 * and calls fail at once with {@code Unavailable} (503 ServiceUnavailable at the S3 edge) without
 * reaching Vault or taking a worker thread; after {@code circuit-breaker.delay} one trial call goes
 * through and its success closes the breaker, its failure opens it again. With AppRole or Kubernetes
 * auth the session logs in again at three quarters of the token's lease, and a 403 on a login-based
 * token (revoked or expired early) triggers one new login and one retry within the same try. A fixed
 * token is looked up once ({@code auth/token/lookup-self}) and, when it has a TTL and is renewable
 * (a periodic token), renewed ({@code auth/token/renew-self}) at three quarters of its TTL; renewal is
 * best effort and never fails a KMS call (a failure is logged and tried again a minute later).
 */
package dev.sseproxy.kms;
