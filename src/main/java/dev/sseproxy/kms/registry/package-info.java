/**
 * The KMS key registry: AWS-shaped KMS keys (key id, ARN, state, key policy) and aliases per
 * account, mapped to the backend keys of the {@link dev.sseproxy.kms.KmsClient} port.
 *
 * <h2>Pieces</h2>
 * <ul>
 * <li>{@link dev.sseproxy.kms.registry.KeyRegistry}: data-path {@code resolve} (cached, invalidated on
 *     every change this node makes) and each account's {@code aws/s3} key, created on first use.</li>
 * <li>{@link dev.sseproxy.kms.registry.KeyManagement}: the operations of the AWS KMS API
 *     (CreateKey … PutKeyPolicy) for one account's own keys.</li>
 * <li>{@link dev.sseproxy.kms.registry.KeyResolution}, {@link dev.sseproxy.kms.registry.KeyIdentifier},
 *     {@link dev.sseproxy.kms.registry.KeyPolicy}: the rules of spec §4.1 and the honoured policy
 *     subset, as pure functions over loaded rows.</li>
 * <li>{@link dev.sseproxy.authz.Wildcard}: IAM's {@code *} / {@code ?} match without regular
 *     expressions (bit-parallel, linear in the pattern for action names): no policy a tenant stores can
 *     make a check slow. A policy is bounded (32 KiB, 256 statements) and its actions are resolved when
 *     it is parsed, so a check on the data path is a lookup per statement.</li>
 * <li>{@link dev.sseproxy.kms.registry.KeyRepository}: the persistence port; its PostgreSQL adapter
 *     and the {@code …Entity} classes live in {@code catalog} with the other Panache entities, so this
 *     package knows neither HTTP nor Hibernate.</li>
 * <li>{@link dev.sseproxy.kms.registry.KeyRegistryException}: sealed; messages are AWS's (spec §4.5).</li>
 * </ul>
 *
 * <h2>Rules</h2>
 * Key ids and alias names resolve in the requester's account; another account's key needs its full
 * key or alias ARN and a grant in its key policy; the AWS managed {@code aws/s3} serves its own account
 * only. Existence is checked first, then permission, then state, so a key one may not use reveals
 * nothing about itself. A key pending deletion is unusable and disappears (with its aliases) at its
 * deletion date; the backend key material is kept (the port has no delete).
 */
package dev.sseproxy.kms.registry;
