/**
 * S3 Batch Operations (issue 13): the S3 Control job API subset the AWS CLI and SDKs use, and the
 * runner that re-encrypts existing objects at scale.
 *
 * <p>Decisions fixed before the code:
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
 *       another node when its node dies. The statements are the catalog's
 *       ({@code catalog.BatchJobRows}, statuses as wire names); {@link dev.sseproxy.batch.BatchJobStore}
 *       gives this package its rows as {@link dev.sseproxy.batch.JobStatus}-typed jobs, and a runner's
 *       status transitions name what they stamp ({@code BatchJobRows.Stamp}) rather than carry SQL.</li>
 * </ul>
 *
 * <h2>The API</h2>
 * <ul>
 *   <li>{@code CreateJob} ({@code POST /v20180820/jobs}, {@code s3:CreateJob}): {@link JobSpec} parses and
 *       checks the {@code CreateJobRequest}; invalid or unsupported input is 400 {@code InvalidRequest} with a
 *       message naming the field (S3's model calls it BadRequestException; the S3 code is used as for the
 *       other S3 Control errors here), malformed XML 400 {@code MalformedXML}. Supported operations:
 *       {@code S3PutObjectCopy} onto the object itself ({@code TargetResource} = the objects' bucket,
 *       {@code MetadataDirective COPY}, {@code NewObjectMetadata/SSEAlgorithm} {@code AES256|KMS},
 *       {@code SSEAwsKmsKeyId}, {@code BucketKeyEnabled}; a task whose object is in another bucket fails
 *       with InvalidRequest, and {@code TargetKeyPrefix}, ACLs, new tags, object lock, checksums,
 *       storage classes other than STANDARD are refused at CreateJob) and {@code S3PutObjectTagging} (the
 *       console's "Replace all object tags"); every other operation (LambdaInvoke, S3PutObjectAcl, ...)
 *       is 400 InvalidRequest. The same {@code ClientRequestToken} in the same account answers the job
 *       it created first (the request is not compared). The job id is a UUID; the request is stored
 *       as sent and DescribeJob echoes its Manifest, Operation, Report and ManifestGenerator.</li>
 *   <li>{@code DescribeJob} ({@code GET /v20180820/jobs/{id}}), {@code ListJobs} ({@code GET
 *       /v20180820/jobs?jobStatuses=..&maxResults=..&nextToken=..}: newest first, 1..1000 a page, an
 *       opaque token), {@code UpdateJobPriority} ({@code POST .../priority?priority=N}) and
 *       {@code UpdateJobStatus} ({@code POST .../status?requestedJobStatus=Ready|Cancelled
 *       &statusUpdateReason=..}); a job of another account, or none, is 404 {@code NoSuchJob} ("The
 *       specified job does not exist", S3's troubleshooting guide's NoSuchJobException); a status the
 *       job cannot move to is 400 {@code JobStatusException}; a bad token 400
 *       {@code InvalidNextTokenException}. {@code x-amz-account-id} must be the caller's account (403
 *       AccessDenied). IAM actions: {@code s3:CreateJob}, {@code s3:ListJobs} on {@code *},
 *       {@code s3:DescribeJob}, {@code s3:UpdateJobPriority}, {@code s3:UpdateJobStatus} on
 *       {@code arn:aws:s3:<region>:<account>:job/<id>}.</li>
 *   <li>Progress: {@code TotalNumberOfTasks}, {@code NumberOfTasksSucceeded}, {@code NumberOfTasksFailed}
 *       are counted from the task rows (never from counters a resumed run could double), and
 *       {@code Timers/ElapsedTimeInActiveSeconds} is the time spent Active. S3's model has no "time
 *       remaining" field (the console estimates it): a client computes it from the elapsed time and the
 *       counts.</li>
 * </ul>
 *
 * <h2>Job states</h2>
 * {@link JobStatus}: {@code New} (created) -> {@code Preparing} (the manifest is read and the tasks are
 * written, a batch of 500 rows at a time as the manifest streams) -> {@code Suspended} when
 * {@code ConfirmationRequired} (until {@code UpdateJobStatus Ready}) or else {@code Ready} -> {@code Active}
 * (tasks run) -> {@code Completing} (the report is written) -> {@code Complete}. {@code Failed}: the manifest
 * cannot be read or parsed (FailureCode the S3 error code, e.g. {@code AccessDenied}, {@code NoSuchKey}, or
 * {@code InvalidManifestContent}), its ETag differs from the one given ({@code ManifestETagMismatch}), or
 * more than 50% of the tasks failed once at least 1,000 ran ({@code TaskFailureThresholdExceeded}, S3's
 * documented threshold). {@code Cancelled}: a Suspended job at once; a New, Preparing, Ready or Active
 * job goes {@code Cancelling} and its runner stops after the tasks in flight, writes the report and ends
 * it {@code Cancelled}. Paused/Pausing/Failing are never entered.
 *
 * <h2>Manifests</h2>
 * <ul>
 *   <li>CSV ({@code S3BatchOperations_CSV_20180820}, {@link CsvManifest}): {@code Fields} from
 *       {@code Bucket, Key, VersionId, Ignore}; keys URL-encoded; quoted fields allowed. The manifest object
 *       is read as the job's principal ({@code s3:GetObject}, decrypted like a client's GetObject, through
 *       {@link ObjectReads}, implemented in {@code api}) and streamed a line at a time (a line of more than
 *       64 KiB fails the job); its client ETag must equal {@code Location/ETag}.</li>
 *   <li>Inventory ({@code S3InventoryReport_CSV_20161130}, {@link InventoryManifest}): the manifest object is
 *       the report's {@code manifest.json}; {@code fileSchema} names the columns; each gzipped CSV data file
 *       is read (compressed in memory, at most 256 MiB) and its rows become tasks.</li>
 *   <li>Generated ({@code S3JobManifestGenerator}): the source bucket (of the job's account) is walked with
 *       {@link dev.sseproxy.inventory.ObjectScan} (one listing, no HEAD, no KMS call) and
 *       {@link ManifestFilter} keeps the objects; each task records the client ETag the scan saw. With
 *       {@code EnableManifestOutput} the manifest is written under
 *       {@code <ManifestPrefix>/job-<id>/} ({@code manifest.json} and one gzipped CSV data file,
 *       {@code S3InventoryReport_CSV_20211130}) and named by DescribeJob's GeneratedManifestDescriptor.</li>
 *   <li>Object versions: sse-proxy keeps one version per key; a task naming a VersionId fails with
 *       InvalidRequest.</li>
 * </ul>
 *
 * <h2>Runner</h2>
 * {@link BatchRunner}: at start and at every lease heartbeat, a node claims the runnable jobs (New,
 * Preparing, Ready, Active, Completing, Cancelling), highest priority first, at most
 * {@code sse-proxy.batch.jobs-per-node} at once, each under the lease {@code batch-job-<id>}; a job is also
 * claimed at once by the node that creates, confirms or cancels it. Every write of a run (status change,
 * task state) carries the lease's fencing condition: a run whose lease was taken over changes nothing and
 * stops. Tasks run in manifest order, {@code sse-proxy.batch.concurrency} at a time, started at most
 * {@code sse-proxy.batch.tasks-per-second} a second per job; a throttled task (503 SlowDown, KMS
 * throttling from the KMS rate limiter) is retried with back-off (up to 30 times), not failed.
 *
 * <h2>At most one copy</h2>
 * A copy task is marked {@code STARTED} with the backend ETag of the object as the runner read it before
 * {@link dev.sseproxy.sse.InternalWrites#copyInPlace} is called (with the client ETag read, so an object
 * replaced since fails with PreconditionFailed); the copy itself is one conditional backend PUT (never
 * half-written, never over a newer object). A run that resumes a {@code STARTED} task reads the object
 * again: the same backend ETag means the copy never happened and it is sent (once); another ETag and the
 * target encryption mean the copy happened before the node died: the task succeeded, no second copy;
 * another ETag without it means a client replaced the object: PreconditionFailed. A tagging task is
 * idempotent and simply sent again.
 *
 * <h2>Completion reports</h2>
 * {@link Reports}: when {@code Report/Enabled} and at least one task ran, at the end (Complete, or
 * Cancelled): {@code <Prefix>/job-<id>/results/<uuid>.csv} files (succeeded and failed tasks in separate
 * files, {@code sse-proxy.batch.report-rows-per-file} rows each; FailedTasksOnly: the failed ones) and
 * {@code <Prefix>/job-<id>/manifest.json} ({@code Format Report_CSV_20180820}, {@code ReportCreationDate},
 * {@code Results[]} with {@code TaskExecutionStatus}, {@code Bucket}, {@code MD5Checksum}, {@code Key},
 * {@code ReportSchema "Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage"}).
 * Rows are as S3 writes them: bucket, URL-encoded key, version id, {@code succeeded|failed}, HTTP status,
 * error code, message ({@code Successful} for a success) - S3's own rows put the HTTP status before the
 * error code although its schema line names them the other way round. Written through
 * {@link dev.sseproxy.sse.InternalWrites#putServiceObject} as the job's account ({@code ownerMayWrite}),
 * so encrypted under the report bucket's default; file names derive from the job id, so a resumed
 * Completing rewrites the same objects.
 *
 * <h2>Clients</h2>
 * The AWS CLI and the SDKs put the account id in front of the endpoint's host
 * ({@code 111122223333.s3.example.com}): give the endpoint a wildcard DNS name (and certificate) that
 * reaches the proxy, or, where that is not possible (tests), send the request through an HTTP proxy that is
 * the endpoint itself. The SDK v2 needs {@code SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION}
 * only for an IP-address endpoint.
 */
package dev.sseproxy.batch;
