/**
 * The KMS port ({@code dev.sseproxy.kms.KmsClient}) on Vault / OpenBao Transit:
 * {@link dev.sseproxy.kms.vault.VaultTransitKmsClient} runs each operation as one blocking
 * vault-java-driver call moved off the event loop in one place; {@link dev.sseproxy.kms.vault.VaultSession}
 * keeps the token (token, AppRole or Kubernetes auth), {@link dev.sseproxy.kms.vault.VaultGuard} adds retries
 * and a {@link dev.sseproxy.kms.vault.CircuitBreaker}, {@link dev.sseproxy.kms.vault.TransitApi} and
 * {@link dev.sseproxy.kms.vault.TransitAnswers} speak Transit's HTTP API, and
 * {@link dev.sseproxy.kms.vault.VaultErrors} maps Vault's answers to {@code KmsException}s. Settings
 * ({@link dev.sseproxy.kms.vault.VaultSettings}) come from {@code sse-proxy.kms.vault.*}; the key naming
 * and context binding are in the {@code kms} package documentation.
 *
 * <p><b>Dependencies.</b> {@code kms} (the port and its exceptions) and {@code config}.
 */
package dev.sseproxy.kms.vault;
