/**
 * The AWS KMS API (JSON 1.1, {@code TrentService}) on the management port: {@link dev.sseproxy.api.kms.KmsRoutes}
 * authenticates and routes by {@code X-Amz-Target}, {@link dev.sseproxy.api.kms.KmsOperations} runs each
 * operation through {@code kms.registry.KeyManagement} for the caller, {@link dev.sseproxy.api.kms.KmsJson}
 * holds the request and response shapes and {@link dev.sseproxy.api.kms.KmsErrors} the error mapping
 * (the {@code __type} names of the KMS API reference).
 *
 * <p><b>Dependencies.</b> {@code api}, {@code auth}, {@code catalog}, {@code config}, {@code kms}
 * (with {@code kms.registry}).
 */
package dev.sseproxy.api.kms;
