/**
 * Reactive plumbing shared by the layers: {@link dev.sseproxy.reactive.CallerContext} brings results back
 * to the Vert.x context of the caller (the KMS port completes on worker threads, Hibernate Reactive must
 * be called on the context that opened the request).
 *
 * <p><b>Dependencies.</b> Vert.x core only; every package may use it (it sits below {@code catalog},
 * {@code kms}, {@code bucketkey} and {@code sse}, which all need it).
 */
package dev.sseproxy.reactive;
