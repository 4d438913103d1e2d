/**
 * IAM users inside accounts, and the AWS IAM / STS API subset the AWS CLI and SDKs need for them.
 *
 * <h2>Model (catalog, Flyway V18)</h2>
 * <ul>
 *   <li><b>Users</b> ({@code iam_user}): account, name (1 to 64 of {@code [\w+=,.@-]}, unique in the
 *       account regardless of case, as IAM), path ({@code /} unless set; {@code /.../} of printable
 *       ASCII, at most 512), user id ({@code AIDA} + 17 of {@code [A-Z2-7]}, 21 characters as AWS),
 *       ARN {@code arn:aws:iam::<account>:user<path><name>}, create date.</li>
 *   <li><b>Access keys</b> ({@code access_key.user_id}): a key belongs to its account's root (null) or
 *       to one user of that account (foreign key on account and user). A user has at most 2 (IAM's
 *       {@code AccessKeysPerUser}, counted under a lock of the user's row: {@code LimitExceeded}). User
 *       keys are {@code AKIA} + 16 characters; their secrets (40 characters) are sealed exactly as every
 *       access key's ({@code catalog.AccessKeySecrets}) and returned once, by CreateAccessKey.</li>
 *   <li><b>Inline policies</b> ({@code iam_user_policy}): name (1 to 128 of {@code [\w+=,.@-]}) →
 *       document, together at most 2,048 characters without white space per user
 *       ({@code LimitExceeded}).</li>
 *   <li><b>Customer managed policies</b> ({@code iam_policy}): account, name (unique regardless of
 *       case), path, policy id ({@code ANPA} + 17), ARN {@code arn:aws:iam::<account>:policy<path><name>},
 *       one version {@code v1} (the default) holding the document; attached to at most 10 users'
 *       lists each user ({@code PoliciesPerUser}), only within their account. AWS managed policies
 *       ({@code arn:aws:iam::aws:policy/...}) are not served: NoSuchEntity.</li>
 *   <li>Every document is validated with {@code authz.Policy.identityPolicy} when written
 *       ({@code MalformedPolicyDocument} with its message) and stored as given (GetUserPolicy returns it
 *       percent-encoded, as IAM does).</li>
 * </ul>
 *
 * <h2>Credentials carry the user</h2>
 * {@code catalog.AccountService.credential(accessKeyId)} answers, for a user's key, the user (name,
 * path, id) and its identity policies parsed (inline ones by name, then attached managed ones by
 * name): one cached lookup per key and TTL (the key, then the user, its inline policies and its
 * attached policies: four reads in one session, then the KMS to open the secret). A change to a user,
 * its policies or its attachments announces {@code iam-user:<user id>} on the change feed (V18
 * triggers), a change to a managed policy {@code iam-policy:<account>}; every node drops the affected
 * credentials (and every lookup in flight) at once, so a deleted key or policy stops working
 * everywhere within a second. The S3 edge ({@code api.Authorization}) makes a user's requests those of
 * {@code authz.Principal.user} and hands its policies to the decision point; a root key keeps full
 * rights in its account. CloudTrail records say {@code "type":"IAMUser"} with the user's id, ARN and
 * name.
 *
 * <h2>The API (query protocol, version 2010-05-08)</h2>
 * {@link dev.sseproxy.iam.IamActions}: CreateUser, GetUser, DeleteUser, ListUsers, CreateAccessKey,
 * DeleteAccessKey, ListAccessKeys, PutUserPolicy, GetUserPolicy, DeleteUserPolicy, ListUserPolicies,
 * CreatePolicy, GetPolicy, DeletePolicy, AttachUserPolicy, DetachUserPolicy, ListAttachedUserPolicies;
 * STS GetCallerIdentity ({@link dev.sseproxy.iam.IamActions#callerIdentity}: the user's ARN and id, or
 * for a root key {@code arn:aws:iam::<account>:root} and the account id). Lists are answered whole
 * ({@code IsTruncated false}; {@code Marker}/{@code MaxItems} are ignored). Access-key actions without
 * {@code UserName} act on the caller's own keys (a user's, or the root's). GetUser without a name
 * answers the caller (the root as {@code <UserId>account</UserId><Arn>...:root</Arn>}).
 * Responses and errors are IAM's XML ({@link dev.sseproxy.iam.QueryXml}): {@code NoSuchEntity} 404,
 * {@code EntityAlreadyExists} 409, {@code MalformedPolicyDocument} 400, {@code LimitExceeded} 409,
 * {@code DeleteConflict} 409 (DeleteUser while the user has keys, inline or attached policies;
 * DeletePolicy while attached), {@code ValidationError} 400 (IAM's "1 validation error detected: ..."),
 * {@code AccessDenied} 403, {@code InvalidAction} 400.
 *
 * <h2>Who may call what ({@link dev.sseproxy.iam.IamAuthorizer})</h2>
 * Everything acts inside the caller's account. A root key may do everything there. A user needs an
 * identity policy whose {@code Allow} applies to {@code iam:<Action>} on the resource ARN (the target
 * user's ARN with its stored path, or {@code user/<name>} when there is no such user; the policy's ARN;
 * ListUsers: {@code arn:aws:iam::<account>:user<path prefix>}), and no {@code Deny} that applies;
 * otherwise 403 {@code AccessDenied} with IAM's message ({@code User: <arn> is not authorized to
 * perform: iam:<Action> on resource: <arn> because no identity-based policy allows the iam:<Action>
 * action}). The right is checked before the target's existence, so a user without rights learns
 * nothing about which users exist. GetCallerIdentity needs no right (as STS).
 */
package dev.sseproxy.iam;
