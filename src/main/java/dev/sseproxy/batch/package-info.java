/**
 * S3 Batch Operations (issue 13): the S3 Control job API subset the AWS CLI and SDKs use, and the
 * runner that re-encrypts existing objects at scale.
 *
 * <p>Decisions fixed before the code (the full protocol is documented below as it is built):
 * <ul>
 *   <li>The API is S3 Control's ({@code /v20180820/jobs...}, restXml, errors wrapped in
 *       {@code ErrorResponse}) on the S3 port, detected as S3 Control requests are (path prefix plus
 *       {@code x-amz-account-id}); the operation classes live in {@code dev.sseproxy.api}, the job
 *       model, store and runner here.</li>
 *   <li>sse-proxy has no IAM roles: a job's {@code RoleArn} must name a role ARN in the caller's
 *       account and is recorded, and the job's tasks act as the principal who created the job, with
 *       that principal's identity policies as they are when each task runs (a deleted user's job
 *       fails its tasks with AccessDenied).</li>
 *   <li>Each task is an {@link dev.sseproxy.sse.InternalWrites} call, so it is authorized, encrypted,
 *       rate-limited at the KMS and recorded in CloudTrail exactly like the client request it stands
 *       for.</li>
 *   <li>Jobs and tasks live in PostgreSQL; a job runs on one node at a time under the lease
 *       {@code batch-job-<id>} with fenced checkpoints (cluster package documentation), and resumes on
 *       another node when its node dies.</li>
 * </ul>
 */
package dev.sseproxy.batch;
