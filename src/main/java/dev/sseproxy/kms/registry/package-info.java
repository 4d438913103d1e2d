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
 * Key ids and alias names resolve in the requester's account (an IAM user's: its account); key ARNs and
 * alias ARNs as written, so another account's key is named by its full key or alias ARN (an alias name
 * that exists only in the key owner's account is {@code NotFoundException} "Alias
 * arn:aws:kms:&lt;region&gt;:&lt;requester's account&gt;:alias/&lt;name&gt; is not found.", as S3 and KMS
 * answer). The AWS managed {@code aws/s3} serves its own account only. Existence is checked first, then
 * permission, then state, so a key one may not use reveals nothing about itself. A key pending deletion
 * is unusable and disappears (with its aliases) at its deletion date; the backend key material is kept
 * (the port has no delete).
 *
 * <h2>Who may use a key ({@link dev.sseproxy.kms.registry.KeyAuthorization}), as AWS KMS decides</h2>
 * A request by principal P (an account's root, or an IAM user with its identity policies; see
 * {@link dev.sseproxy.kms.registry.KeyRequester}) for KMS action A on key K, owned by account O:
 * <ol>
 *   <li><b>Explicit deny</b>: a {@code Deny} statement of K's key policy whose principal matches P
 *       ({@code *}, P's account id or root ARN, or P's user ARN), or a {@code Deny} of one of P's
 *       identity policies for A on K's ARN: denied.</li>
 *   <li><b>Key policy</b> ({@link dev.sseproxy.kms.registry.KeyPolicy#verdict}): {@code ALLOW} when an
 *       {@code Allow} statement for A names P itself ({@code *}, P's user ARN, or, for a root, its account);
 *       {@code ALLOW_ACCOUNT} when the only ones name P's account (id or root ARN) while P is a user: the
 *       account delegates to its identity policies ("Enable IAM User Permissions" of the default key
 *       policy); otherwise nothing.</li>
 *   <li><b>Identity side</b>: a root has it implicitly; a user has it when an {@code Allow} statement of
 *       one of its identity policies applies to A on K's ARN ({@link dev.sseproxy.authz.Policy#verdict},
 *       condition keys {@code kms:CallerAccount}, {@code kms:ViaService} = {@code s3.<region>.amazonaws.com}
 *       on the S3 data path, and those the evaluator adds for the principal).</li>
 *   <li><b>P in O</b>: allowed when the key policy says {@code ALLOW}, or {@code ALLOW_ACCOUNT} and the
 *       identity side allows. <b>P in another account</b>: allowed only when the key policy names P
 *       ({@code ALLOW} or {@code ALLOW_ACCOUNT}) <em>and</em> the identity side allows (cross-account needs
 *       both sides, whatever the key policy names).</li>
 *   <li>The AWS managed {@code aws/s3}: every principal of its own account (its policy's
 *       {@code kms:CallerAccount} / {@code kms:ViaService} statement, bar an identity-policy Deny); nobody
 *       else.</li>
 * </ol>
 * Key-policy {@code Condition}s are not evaluated: a conditional Allow grants nothing, a conditional Deny
 * always applies (fail closed). The decision is a pure function of the cached key row, its parsed
 * policy and the requester's parsed identity policies: per request, without a KMS or database call, so a
 * cached bucket key is never reused for a principal that may not use its KMS key (every read and write
 * resolves, and so authorizes, its key before touching the bucket-key cache).
 *
 * <p><b>The KMS API</b>: key-scoped operations (DescribeKey, EnableKey, DisableKey, ScheduleKeyDeletion,
 * CancelKeyDeletion, GetKeyPolicy, PutKeyPolicy, CreateAlias/DeleteAlias on the target key) apply the
 * same rule to IAM users; an account root keeps full management of its own account's keys, whatever their
 * policies say (sse-proxy has no other way out of a lock-out). Account-scoped operations (CreateKey,
 * ListKeys, ListAliases) need an identity-policy Allow on {@code *} for a user.
 *
 * <p>"spec §N.M" in this package's documentation and comments means section N.M of
 * {@code docs/s3-sse-behaviour.md} in this repository (S3's server-side encryption on the wire).
 */
package dev.sseproxy.kms.registry;
