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
 * array. A statement has {@code Sid} (optional; unique within the document), {@code Effect}
 * ({@code Allow} | {@code Deny}), exactly one of {@code Principal} / {@code NotPrincipal} (bucket
 * policies; identity policies may have neither), exactly one of {@code Action} / {@code NotAction},
 * exactly one of {@code Resource} / {@code NotResource}, and an optional {@code Condition}. Element
 * names are case-sensitive, as AWS reads them; an unknown element, a duplicate key, or a value of the
 * wrong JSON type is malformed. Bucket policies: at most 20 KiB; identity policies: at most 6,144
 * characters (inline, IAM's quota) or 6,144 (managed). Every limit is checked before anything else is
 * built, so parsing is linear in the document's size.
 * <ul>
 *   <li><b>Principal</b>: {@code "*"}, or {@code {"AWS": ...}} with one or more of {@code "*"}, a 12-digit
 *       account id (= that account's root ARN), {@code arn:aws:iam::<acct>:root}, or
 *       {@code arn:aws:iam::<acct>:user/<path/><name>}. Other keys ({@code Service}, {@code Federated},
 *       {@code CanonicalUser}) are accepted and match no requester here. A principal naming an
 *       account's root matches <em>every</em> principal of that account for the resource side (see
 *       below); a user ARN matches only that user; {@code *} matches everyone, anonymous included.</li>
 *   <li><b>Action</b>: {@code "*"} or {@code <service>:<name>} with {@code *} and {@code ?} wildcards,
 *       matched case-insensitively; <b>Resource</b>: ARNs with wildcards, matched case-sensitively: {@code *} matches any run of characters, slashes
 *       included (as IAM's ARN matching does). Matching is {@link dev.sseproxy.authz.Wildcard}: linear,
 *       no regular expression over policy text, ever.</li>
 *   <li><b>Condition</b>: {@code {operator: {key: value | [values]}}}; every operator block must hold and,
 *       within a block, every key; within a key, any of the values (OR). Operators: {@code StringEquals},
 *       {@code StringNotEquals}, {@code StringEqualsIgnoreCase}, {@code StringNotEqualsIgnoreCase},
 *       {@code StringLike}, {@code StringNotLike}, {@code NumericEquals}, {@code NumericNotEquals},
 *       {@code NumericLessThan}, {@code NumericLessThanEquals}, {@code NumericGreaterThan},
 *       {@code NumericGreaterThanEquals}, {@code DateEquals}, {@code DateNotEquals}, {@code DateLessThan},
 *       {@code DateLessThanEquals}, {@code DateGreaterThan}, {@code DateGreaterThanEquals}, {@code Bool},
 *       {@code BinaryEquals}, {@code IpAddress}, {@code NotIpAddress} (IPv4 and IPv6 CIDRs),
 *       {@code ArnEquals}, {@code ArnLike}, {@code ArnNotEquals}, {@code ArnNotLike}, {@code Null}; each
 *       (but {@code Null}) also as {@code ...IfExists}, and prefixed {@code ForAnyValue:} /
 *       {@code ForAllValues:} for multi-valued keys. An unknown operator is malformed.</li>
 * </ul>
 * <b>Missing keys</b> (the request does not set the key): {@code Null: true} holds, {@code Null: false}
 * does not; any {@code ...IfExists} operator holds; {@code ForAllValues:} holds (vacuous truth, as AWS);
 * {@code ForAnyValue:} does not; a negated operator ({@code StringNotEquals}, {@code StringNotLike},
 * {@code NumericNotEquals}, {@code DateNotEquals}, {@code ArnNotEquals}, {@code ArnNotLike},
 * {@code NotIpAddress}) holds (AWS's documented behaviour, which is why the S3 guide's "deny unless
 * {@code StringNotEquals s3:x-amz-server-side-encryption AES256}" also denies uploads without the header);
 * every other operator does not. A negated operator with several values holds only when the request's
 * value equals none of them. A value that does not parse as the operator's type (a number, a date, a
 * CIDR) makes the condition false, and is refused as malformed when it is in the policy.
 *
 * <h2>Evaluation, in AWS's order</h2>
 * A statement <em>applies</em> when its principal part matches (identity policies: always), its action
 * part matches the action ({@code NotAction}: matches none of the listed), its resource part matches the
 * ARN ({@code NotResource}: none), and its Condition holds.
 * <ol>
 *   <li><b>Explicit deny</b>: a {@code Deny} statement applies in any identity policy or the bucket
 *       policy: denied, whatever else allows.</li>
 *   <li><b>Identity side.</b> A root is allowed everything within its own account; a user is allowed
 *       what an {@code Allow} statement of one of its identity policies applies to; anonymous has no
 *       identity side.</li>
 *   <li><b>Resource side.</b> An {@code Allow} statement of the bucket policy whose principal names the
 *       requester: {@code *}, the requester's user ARN, or the requester's account (12-digit id or root
 *       ARN); or a grant of the governing ACL whose grantee matches the requester's account (canonical id
 *       = account id; {@code AllUsers}: everyone; {@code AuthenticatedUsers}: every signed request;
 *       {@code LogDelivery}: nobody) and whose permission covers the action
 *       ({@link dev.sseproxy.authz.Permission#covers}). With {@code BucketOwnerEnforced} ACLs are not
 *       consulted at all.</li>
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
 *       </ul></li>
 *   <li><b>Block Public Access</b> filters last: with {@code IgnorePublicAcls}, grants to
 *       {@code AllUsers} / {@code AuthenticatedUsers} are not consulted; with
 *       {@code RestrictPublicBuckets} and a public bucket policy, that policy's allows count only for
 *       principals of the bucket owner's account (its denies still apply to everyone).</li>
 *   <li>Nothing allowed: <b>implicit deny</b>.</li>
 * </ol>
 * The result is a {@link dev.sseproxy.authz.Decision}: allow or deny, whether the deny was explicit, and
 * the reason (for logs, CloudTrail and tests; the client sees S3's {@code 403 AccessDenied}
 * "Access Denied"). Cost: linear in the statements, their action, resource and principal entries and
 * condition values, and the ACL's grants (at most 100); each wildcard match is linear in its text.
 *
 * <h2>What is public (GetBucketPolicyStatus, Block Public Access)</h2>
 * A bucket policy is <em>public</em> when an {@code Allow} statement grants to {@code *} (as
 * {@code Principal} {@code "*"} or {@code {"AWS":"*"}}, or through {@code NotPrincipal}) unless a
 * condition pins it to fixed values of one of: {@code aws:SourceIp} (a CIDR that is not
 * {@code 0.0.0.0/0}, {@code ::/0} or wider than /8 for IPv4, /32 for IPv6), {@code aws:SourceArn},
 * {@code aws:SourceVpc}, {@code aws:SourceVpce}, {@code aws:SourceOwner}, {@code aws:SourceAccount},
 * {@code aws:PrincipalAccount}, {@code aws:PrincipalOrgID}, {@code aws:userid}, {@code s3:DataAccessPointArn},
 * {@code s3:DataAccessPointAccount}, with a non-wildcard value. An ACL is public when it grants
 * anything to {@code AllUsers} or {@code AuthenticatedUsers}.
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
