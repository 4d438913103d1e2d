/**
 * The authorization decision point: one pure function, {@link dev.sseproxy.authz.AuthorizationDecisions#evaluate},
 * that every S3 request passes after authentication and before its operation runs. Today it weighs
 * account ownership and ACLs; bucket policies and Block Public Access will extend it (their hooks are
 * marked below), so nothing else in the proxy may decide who may do what.
 *
 * <h2>Inputs ({@link dev.sseproxy.authz.AuthzRequest})</h2>
 * <ul>
 *   <li><b>principal</b>: an account (every access key acts as its account's root, so its identity
 *       side allows everything within that account) or <b>anonymous</b> (an unsigned request);</li>
 *   <li><b>action</b>, as IAM names it ({@code s3:GetObject}, {@code s3:ListBucket}, ...; HeadObject is
 *       {@code s3:GetObject}, ListObjectsV2 {@code s3:ListBucket}, as in AWS);</li>
 *   <li><b>resource</b> ARN ({@code arn:aws:s3:::bucket} or {@code arn:aws:s3:::bucket/key});</li>
 *   <li><b>bucket owner</b> and, for object actions that object ACLs govern, the <b>object owner</b>;</li>
 *   <li>the <b>ACL</b> that governs the action: the bucket's for bucket actions and for writes into
 *       the bucket (PutObject, DeleteObject, multipart), the object's for {@code s3:GetObject},
 *       {@code s3:GetObjectAcl}, {@code s3:PutObjectAcl};</li>
 *   <li>the bucket's <b>object ownership</b> setting ({@code BucketOwnerEnforced} disables ACLs).</li>
 * </ul>
 *
 * <h2>Evaluation, in AWS's order</h2>
 * <ol>
 *   <li><b>Explicit deny</b> wins over everything. Sources: none yet (bucket policies' {@code Deny}
 *       statements will be the first; hook: {@code explicitDeny} in {@code AuthorizationDecisions}).</li>
 *   <li><b>Allow from identity</b>: the principal's account owns the resource. The resource owner is
 *       the bucket owner for bucket actions and for actions on objects that ACLs do not govern; for
 *       the ACL-governed object actions it is the object's owner (with {@code BucketOwnerEnforced},
 *       always the bucket owner). An account's keys are its root: within its own account everything
 *       is allowed.</li>
 *   <li><b>Allow from the resource</b>: a grant of the governing ACL whose grantee matches the principal
 *       (the canonical user = the account id; the group {@code AllUsers} matches everyone, anonymous
 *       included; {@code AuthenticatedUsers} every signed request of any account; {@code LogDelivery}
 *       nobody, as no request here acts as it) and whose permission covers the action
 *       ({@link dev.sseproxy.authz.Permission#covers}). With {@code BucketOwnerEnforced} ACLs are not
 *       consulted at all. Bucket policy {@code Allow} statements will join here. A cross-account request
 *       is therefore allowed only by the resource side, since the other account's identity side is
 *       implicitly its root's allow.</li>
 *   <li><b>Block Public Access</b> filters an allow that came from a public grant (AllUsers,
 *       AuthenticatedUsers) last. Not configured yet: hook {@code publicAccessBlocked}, always false.</li>
 *   <li>Nothing allowed: <b>implicit deny</b>.</li>
 * </ol>
 * The result is a {@link dev.sseproxy.authz.Decision}: allow or deny, with the reason (for logs and
 * tests; the client sees S3's {@code 403 AccessDenied} "Access Denied"). The function is pure, linear in
 * the number of grants (at most 100, as S3 allows), and imports only the JDK.
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
