/**
 * The authorization decision point: one pure function, {@link dev.sseproxy.authz.AuthorizationDecisions#evaluate},
 * that every S3 request (and every request of the AWS-shaped APIs) passes after authentication and before
 * its operation runs. It weighs identity policies, the bucket policy, ACLs and Block Public Access in
 * AWS's order; nothing else in the proxy decides who may do what. It reads no clock, no database and no
 * configuration: everything it weighs is in its argument. Parsing a policy document uses Jackson's
 * streaming parser (the one library this package may use besides the JDK).
 *
 * <h2>Inputs ({@link dev.sseproxy.authz.AuthzRequest})</h2>
 * <ul>
 *   <li><b>principal</b> ({@link dev.sseproxy.authz.Principal}): an account's <b>root</b> (the account's
 *       own access keys), an <b>IAM user</b> of an account (ARN {@code arn:aws:iam::<acct>:user<path><name>}),
 *       or <b>anonymous</b> (an unsigned request);</li>
 *   <li><b>action</b>, as IAM names it ({@code s3:GetObject}, {@code s3:ListBucket}, ...; HeadObject is
 *       {@code s3:GetObject}, ListObjectsV2 {@code s3:ListBucket}, as in the S3 service authorization
 *       reference);</li>
 *   <li><b>resource</b> ARN ({@code arn:aws:s3:::bucket} or {@code arn:aws:s3:::bucket/key});</li>
 *   <li><b>bucket owner</b> and, for object actions that object ACLs govern, the <b>object owner</b>;</li>
 *   <li>the <b>ACL</b> that governs the action: the bucket's for bucket actions and for writes into
 *       the bucket (PutObject, DeleteObject, multipart), the object's for {@code s3:GetObject},
 *       {@code s3:GetObjectAcl}, {@code s3:PutObjectAcl};</li>
 *   <li>the bucket's <b>object ownership</b> setting ({@code BucketOwnerEnforced} disables ACLs);</li>
 *   <li>the user's <b>identity policies</b> (inline and attached managed ones; none for a root or
 *       anonymous), the <b>bucket policy</b> (or none), the effective <b>Block Public Access</b>
 *       setting (account and bucket combined), and the request's <b>condition keys</b>
 *       ({@link dev.sseproxy.authz.ConditionContext}).</li>
 * </ul>
 *
 * <h2>Policy documents ({@link dev.sseproxy.authz.Policy})</h2>
 * {@code Version} {@code 2012-10-17} or {@code 2008-10-17} (absent: 2008-10-17, in which
 * {@code ${...}} policy variables are literal text); {@code Id}; {@code Statement}, one object or an
 * array. A statement has {@code Sid} (optional; in identity policies alphanumeric and unique within the
 * document, as IAM requires; S3 checks neither), {@code Effect} ({@code Allow} | {@code Deny}), exactly one
 * of {@code Principal} / {@code NotPrincipal} (bucket policies; identity policies may have neither),
 * exactly one of {@code Action} / {@code NotAction}, exactly one of {@code Resource} / {@code NotResource},
 * and an optional {@code Condition}. Element names are case-sensitive, as AWS reads them; an unknown
 * element, a duplicate key (anywhere), nesting deeper than a policy needs, or a value of the wrong JSON
 * type is malformed. Size, counted as IAM counts it (characters without the whitespace between JSON
 * tokens): bucket policies at most 20 KiB (20,480), identity policies at most 6,144 (IAM's managed-policy
 * quota; IAM's aggregate quota for a user's inline policies is the caller's). The size is checked before
 * anything is parsed; the document is read once by Jackson's streaming parser, so parsing is linear in its
 * size. Every refusal carries AWS's message for it ({@link dev.sseproxy.authz.PolicyFault} lists them and
 * where each was recorded); the caller picks the error code ({@code MalformedPolicy},
 * {@code MalformedPolicyDocument}, or IAM's {@code LimitExceeded} for size:
 * {@link dev.sseproxy.authz.MalformedPolicyException#limitExceeded}).
 * <ul>
 *   <li><b>Principal</b>: {@code "*"}, or {@code {"AWS": ...}} with one or more of {@code "*"}, a 12-digit
 *       account id (= that account's root ARN), {@code arn:aws:iam::<acct>:root}, or
 *       {@code arn:aws:iam::<acct>:user/<path/><name>}; no wildcards inside an ARN. Role ARNs
 *       ({@code :role/}, {@code sts ... :assumed-role/}) and {@code Federated} are accepted and match no
 *       requester here; {@code {"Service": "s3.amazonaws.com"}} names that AWS service principal
 *       ({@link dev.sseproxy.authz.Principal#service}), which only the proxy's own service-written objects
 *       act as (S3 Inventory reports, Batch Operations reports; never a client request); {@code CanonicalUser} names the account whose canonical id it is (here
 *       the account id). Anything else is "Invalid principal in policy". A principal naming an account's
 *       root matches <em>every</em> principal of that account for the resource side (see below); a user ARN
 *       matches only that user; {@code *} matches everyone, anonymous included. {@code NotPrincipal} matches
 *       everyone it does not exclude; it excludes a root whose account it lists, and a user only when it
 *       lists both the user's ARN and the user's account (IAM's documented rule: the request is weighed as
 *       the user and as its account).</li>
 *   <li><b>Action</b>: {@code "*"} or {@code <service>:<name>} with {@code *} and {@code ?} wildcards,
 *       matched case-insensitively; a bucket policy's actions must be S3's ({@code s3:...}: "Policy has
 *       invalid action"). A bucket policy statement whose listed (wildcard-free) actions are all object
 *       actions while its resources can only be the bucket, or all bucket actions while its resources can
 *       only be objects, is "Action does not apply to any resource(s) in statement".</li>
 *   <li><b>Resource</b>: ARNs with wildcards, matched case-sensitively: {@code *} matches any run of
 *       characters, slashes and colons included (as IAM's ARN matching does). A bucket policy's resources
 *       must be able to name the bucket or its objects: the part before the first {@code /} must match
 *       {@code arn:aws:s3:::<bucket>} ("Policy has invalid resource": {@code *}, another bucket). An
 *       identity policy's are {@code *} or ARNs. Matching is {@link dev.sseproxy.authz.Wildcard}: linear,
 *       no regular expression over policy text, ever.</li>
 *   <li><b>Policy variables</b> (2012-10-17 only) in Resource and in the values of string and ARN
 *       conditions: {@code ${key}} for any request key ({@code ${aws:username}}, {@code ${aws:userid}},
 *       {@code ${aws:PrincipalAccount}}, ...), {@code ${key, 'default'}}, and {@code ${*}}, {@code ${?}},
 *       {@code ${$}} for a literal {@code *}, {@code ?}, {@code $}. Resolved per request in linear time; what
 *       a variable puts into a pattern matches only itself (never a wildcard). A variable whose key is
 *       missing (or multi-valued) and has no default leaves the text unresolved: it matches nothing.</li>
 *   <li><b>Condition</b>: {@code {operator: {key: value | [values]}}}; values are JSON strings, numbers or
 *       booleans; every operator block must hold and, within a block, every key; within a key, any of the
 *       values (OR). Operators: {@code StringEquals},
 *       {@code StringNotEquals}, {@code StringEqualsIgnoreCase}, {@code StringNotEqualsIgnoreCase},
 *       {@code StringLike}, {@code StringNotLike}, {@code NumericEquals}, {@code NumericNotEquals},
 *       {@code NumericLessThan}, {@code NumericLessThanEquals}, {@code NumericGreaterThan},
 *       {@code NumericGreaterThanEquals}, {@code DateEquals}, {@code DateNotEquals}, {@code DateLessThan},
 *       {@code DateLessThanEquals}, {@code DateGreaterThan}, {@code DateGreaterThanEquals}, {@code Bool},
 *       {@code BinaryEquals}, {@code IpAddress}, {@code NotIpAddress} (IPv4 and IPv6 CIDRs),
 *       {@code ArnEquals}, {@code ArnLike}, {@code ArnNotEquals}, {@code ArnNotLike}, {@code Null}; each
 *       (but {@code Null}) also as {@code ...IfExists}, and prefixed {@code ForAnyValue:} /
 *       {@code ForAllValues:} for multi-valued keys. An unknown operator is malformed. Keys compare
 *       case-insensitively; a bucket policy's keys must be {@code aws:...} or {@code s3:...} ("Policy has an
 *       invalid condition key"), an identity policy's {@code <service>:...}. Types: numbers are decimals;
 *       dates are ISO 8601 (with an offset, without one = UTC, or a bare day = its midnight UTC) or epoch
 *       seconds; {@code Bool} is {@code true}/{@code false} in any case; addresses are literal IPv4 or IPv6
 *       addresses (never resolved), a CIDR without a prefix is one address, IPv4 never matches an IPv6 block;
 *       {@code ArnEquals} and {@code ArnLike} alike compare the six colon-separated ARN parts, each with
 *       wildcards (as IAM documents); {@code StringLike} uses {@code *}/{@code ?}; {@code BinaryEquals}
 *       compares the base64 text.</li>
 * </ul>
 * <b>Missing keys</b> (the request does not set the key): {@code Null: true} holds, {@code Null: false}
 * does not; any {@code ...IfExists} operator holds (its {@code ForAnyValue:} form too); {@code ForAllValues:}
 * holds (vacuous truth, as AWS); {@code ForAnyValue:} does not; a negated operator ({@code StringNotEquals},
 * {@code StringNotEqualsIgnoreCase}, {@code StringNotLike},
 * {@code NumericNotEquals}, {@code DateNotEquals}, {@code ArnNotEquals}, {@code ArnNotLike},
 * {@code NotIpAddress}) holds (AWS's documented behaviour, which is why the S3 guide's "deny unless
 * {@code StringNotEquals s3:x-amz-server-side-encryption AES256}" also denies uploads without the header,
 * and its "{@code ArnNotEqualsIfExists} {@code s3:x-amz-server-side-encryption-aws-kms-key-id}" denies
 * uploads without a key id); every other operator does not. A negated operator with several values holds
 * only when the request's value equals none of them. A key with several values (without a set prefix):
 * a positive operator holds when any value matches, a negated one when none does; {@code ForAnyValue:}
 * holds when some value satisfies the operator (negated ones included), {@code ForAllValues:} when every
 * value does. A request value that does not parse as the operator's type (a number, a date, an address)
 * matches nothing; a policy value that does not parse is refused as malformed.
 *
 * <h2>Evaluation, in AWS's order</h2>
 * A statement <em>applies</em> when its principal part matches (identity policies: always), its action
 * part matches the action ({@code NotAction}: matches none of the listed), its resource part matches the
 * ARN ({@code NotResource}: none), and its Condition holds. The evaluator adds the principal's own keys to
 * the request's ({@link dev.sseproxy.authz.ConditionContext#withPrincipal}: {@code aws:PrincipalAccount},
 * {@code aws:PrincipalArn}, {@code aws:PrincipalType} = {@code Account} | {@code User} | {@code Anonymous},
 * {@code aws:username}, {@code aws:userid}); they override anything the caller set under those names.
 * <ol>
 *   <li><b>Explicit deny</b>: a {@code Deny} statement applies in any identity policy or the bucket
 *       policy: denied, whatever else allows. A Deny naming an account applies to all its principals.</li>
 *   <li><b>Identity side.</b> A root is allowed everything within its own account; a user is allowed
 *       what an {@code Allow} statement of one of its identity policies applies to; anonymous has no
 *       identity side.</li>
 *   <li><b>Resource side.</b> An {@code Allow} statement of the bucket policy whose principal names the
 *       requester: {@code *}, the requester's user ARN, or the requester's account (12-digit id or root
 *       ARN); the bucket policy counts only for resources the bucket owner owns (not for an object another
 *       account owns while ACLs are enabled). Or a grant of the governing ACL whose grantee matches the
 *       requester's account (canonical id = account id; {@code AllUsers}: everyone;
 *       {@code AuthenticatedUsers}: every signed request; {@code LogDelivery}: nobody) and whose permission
 *       covers the action ({@link dev.sseproxy.authz.Permission#covers}). With {@code BucketOwnerEnforced}
 *       ACLs are not consulted at all. A grant to an account names a root itself, and an IAM user only
 *       through its account (a delegation, as a bucket policy naming the account); a group grant names
 *       its members themselves.</li>
 *   <li><b>Combining.</b> The resource owner is the bucket owner, or, for the actions object ACLs
 *       govern while ACLs are enabled, the object's recorded owner.
 *       <ul>
 *         <li>Requester in the owner's account: allowed when the identity side allows (a root always),
 *             or when the resource side allows <em>by naming the requester itself</em>: {@code *}, the
 *             user's ARN, or (for a root) the account. A bucket policy or ACL grant that names only the
 *             account delegates to the account's identity policies: it does not by itself allow its
 *             users (AWS's rule).</li>
 *         <li>Requester in another account (cross-account): allowed only when <em>both</em> sides allow:
 *             its own identity side (a root's is implicit), and the resource side naming it
 *             ({@code *}, its account or its user ARN).</li>
 *         <li>Anonymous: the resource side alone ({@code *} or {@code AllUsers}).</li>
 *         <li>A service principal: the resource side alone, by a bucket policy statement naming the
 *             service (or {@code *}); it has no identity side and no account (so no ACL grant to an
 *             account or to {@code AuthenticatedUsers} names it). Its keys: {@code aws:PrincipalType}
 *             {@code AWSService}, {@code aws:PrincipalServiceName}, {@code aws:PrincipalIsAWSService}
 *             {@code true}; the caller sets {@code aws:SourceAccount} and {@code aws:SourceArn}.</li>
 *       </ul></li>
 *   <li><b>Block Public Access</b> filters the resource side: with {@code IgnorePublicAcls}, grants to
 *       {@code AllUsers} / {@code AuthenticatedUsers} are not consulted; with
 *       {@code RestrictPublicBuckets} and a public bucket policy, that policy's allows (all of them, as S3
 *       restricts the bucket, not the statement) count only for principals of the bucket owner's account
 *       (its denies still apply to everyone).</li>
 *   <li>Nothing allowed: <b>implicit deny</b>.</li>
 * </ol>
 * The result is a {@link dev.sseproxy.authz.Decision}: allow or deny, whether the deny was explicit, and
 * the reason (for logs, CloudTrail and tests, naming the denying statement's Sid; the client sees S3's
 * {@code 403 AccessDenied} "Access Denied"). Cost: linear in the statements, their action, resource and
 * principal entries and condition values, and the ACL's grants (at most 100); each wildcard match is
 * linear in its text (a 20 KiB policy of nothing but wildcards evaluates in milliseconds).
 *
 * <h2>What is public (GetBucketPolicyStatus, Block Public Access)</h2>
 * A bucket policy is <em>public</em> when an {@code Allow} statement grants to {@code *} (as
 * {@code Principal} {@code "*"} or {@code {"AWS":"*"}}, or through {@code NotPrincipal}) unless one of its
 * conditions pins it, S3's "The meaning of public": {@code IpAddress} on {@code aws:SourceIp} with CIDRs
 * none wider than /8 (IPv4) or /32 (IPv6), or {@code StringEquals}, {@code StringEqualsIgnoreCase},
 * {@code StringLike}, {@code ArnEquals} or {@code ArnLike} with fixed values (no wildcard, no policy
 * variable) of one of {@code aws:SourceArn}, {@code aws:SourceVpc}, {@code aws:SourceVpce},
 * {@code aws:SourceOwner}, {@code aws:SourceAccount}, {@code aws:PrincipalAccount},
 * {@code aws:PrincipalOrgID}, {@code aws:userid}, {@code s3:DataAccessPointArn},
 * {@code s3:DataAccessPointAccount}, {@code s3:x-amz-server-side-encryption-aws-kms-key-id}. A condition a
 * request without the key satisfies ({@code ...IfExists}, {@code ForAllValues:}) or a negated one pins
 * nothing. (S3 also disregards grants of only "safe" actions; every grant to everyone counts here.) An ACL
 * is public when it grants anything to {@code AllUsers} or {@code AuthenticatedUsers}.
 *
 * <h2>What ACL permission grants which action (AWS's mapping)</h2>
 * <table>
 *   <tr><th>permission</th><th>on a bucket</th><th>on an object</th></tr>
 *   <tr><td>READ</td><td>s3:ListBucket, s3:ListBucketVersions, s3:ListBucketMultipartUploads</td>
 *       <td>s3:GetObject, s3:GetObjectVersion, s3:GetObjectTorrent</td></tr>
 *   <tr><td>WRITE</td><td>s3:PutObject, s3:DeleteObject (and the multipart upload actions)</td><td>—</td></tr>
 *   <tr><td>READ_ACP</td><td>s3:GetBucketAcl</td><td>s3:GetObjectAcl</td></tr>
 *   <tr><td>WRITE_ACP</td><td>s3:PutBucketAcl</td><td>s3:PutObjectAcl</td></tr>
 *   <tr><td>FULL_CONTROL</td><td colspan="2">all of the above</td></tr>
 * </table>
 *
 * <h2>Canned ACLs ({@link dev.sseproxy.authz.CannedAcl})</h2>
 * Expanded once, when written, into explicit grants (the owner is the resource's owner): {@code private}
 * = owner FULL_CONTROL; {@code public-read} + AllUsers READ; {@code public-read-write} + AllUsers READ
 * and WRITE; {@code authenticated-read} + AuthenticatedUsers READ; {@code bucket-owner-read} (objects)
 * + the bucket owner READ; {@code bucket-owner-full-control} (objects) + the bucket owner FULL_CONTROL;
 * {@code log-delivery-write} (buckets) + LogDelivery WRITE and READ_ACP; {@code aws-exec-read} +
 * READ for Amazon's EC2 account (which never calls here). Stored ACLs are the expanded grants
 * ({@link dev.sseproxy.authz.AccessControlList#encode}).
 *
 * <h2>Object ownership ({@link dev.sseproxy.authz.ObjectOwnership})</h2>
 * {@code ObjectWriter} (and a bucket without ownership controls): the writing account owns a new
 * object, an anonymous writer's object is owned by S3's anonymous canonical user;
 * {@code BucketOwnerPreferred}: the bucket owner owns objects written with
 * {@code bucket-owner-full-control}; {@code BucketOwnerEnforced}: the bucket owner owns every object
 * and ACLs are disabled: only an ACL that gives the owner full control and nothing else may be written
 * ({@link dev.sseproxy.authz.AccessControlList#onlyOwnerFullControl}); others are refused with
 * {@code AccessControlListNotSupported} (or {@code InvalidBucketAclWithObjectOwnership} when
 * creating a bucket), and reads of ACLs show the owner's full control.
 */
package dev.sseproxy.authz;
