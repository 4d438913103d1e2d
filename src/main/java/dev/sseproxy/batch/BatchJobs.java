package dev.sseproxy.batch;

import dev.sseproxy.authz.Principal;
import dev.sseproxy.catalog.BatchJobRows;
import dev.sseproxy.config.SseProxyConfig;
import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.w3c.dom.Element;

/**
 * The S3 Control job API's logic (package documentation, "The API"): the operation classes in
 * {@code dev.sseproxy.api} authorize a request and call these, which answer the response documents.
 */
@ApplicationScoped
public class BatchJobs {
    static final String NS = "http://awss3control.amazonaws.com/doc/2018-08-20/";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final BatchJobStore store;
    private final BatchRunner runner;
    private final String region;

    public BatchJobs(BatchJobStore store, BatchRunner runner, SseProxyConfig config) {
        this.store = store;
        this.runner = runner;
        this.region = config.region();
    }

    /** {@code arn:aws:s3:<region>:<account>:job/<id>}: the resource S3 authorizes job actions on. */
    public String jobArn(String account, String id) {
        return "arn:aws:s3:" + region + ":" + account + ":job/" + id;
    }

    public static S3Exception noSuchJob() {
        return S3Exception.of(S3ErrorCode.NO_SUCH_JOB);
    }

    /** CreateJob: a new job (status New), or the job created earlier with the same ClientRequestToken. */
    public Uni<String> create(String account, Principal who, String userId, byte[] body) {
        JobSpec spec = JobSpec.parse(body);
        spec.checkRole(account);
        String id = UUID.randomUUID().toString();
        BatchJobStore.Job j = new BatchJobStore.Job(id, account, spec.clientRequestToken(), who.userName(), who.userPath(),
                userId, new String(body, StandardCharsets.UTF_8), spec.operation().name(), JobStatus.NEW, spec.priority(),
                spec.confirmationRequired(), spec.description().orElse(null), spec.roleArn(), null, null, null, null, null,
                0, null, null, null);
        return store.insert(j).invoke(runner::kick).map(got -> "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<CreateJobResult xmlns=\"" + NS + "\"><JobId>" + Xml.escape(got) + "</JobId></CreateJobResult>");
    }

    private Uni<BatchJobStore.Job> owned(String account, String id) {
        return store.find(id).map(j -> j.filter(x -> x.accountId().equals(account)).orElseThrow(BatchJobs::noSuchJob));
    }

    /** DescribeJob. */
    public Uni<String> describe(String account, String id) {
        return owned(account, id).chain(j -> store.progress(id).map(p -> "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<DescribeJobResult xmlns=\"" + NS + "\">" + descriptor(j, p) + "</DescribeJobResult>"));
    }

    String descriptor(BatchJobStore.Job j, BatchJobRows.Progress p) {
        Element req = Xml.parse(j.requestXml().getBytes(StandardCharsets.UTF_8));
        StringBuilder b = new StringBuilder("<Job>");
        b.append(Xml.el("JobId", j.id())).append(Xml.el("ConfirmationRequired", j.confirmationRequired()))
                .append(Xml.el("Description", j.description())).append(Xml.el("JobArn", jobArn(j.accountId(), j.id())))
                .append(Xml.el("Status", j.status().wire()));
        Xml.child(req, "Manifest").ifPresent(e -> b.append(Xml.write(e)));
        Xml.child(req, "Operation").ifPresent(e -> b.append(Xml.write(e)));
        b.append(Xml.el("Priority", j.priority())).append(progress(j, p))
                .append(Xml.el("StatusUpdateReason", j.statusUpdateReason()));
        if (j.failureCode() != null) {
            b.append("<FailureReasons><member>").append(Xml.el("FailureCode", j.failureCode()))
                    .append(Xml.el("FailureReason", j.failureReason())).append("</member></FailureReasons>");
        }
        Xml.child(req, "Report").ifPresent(e -> b.append(Xml.write(e)));
        b.append(Xml.el("CreationTime", time(j.createdAt()))).append(Xml.el("TerminationDate", time(j.terminatedAt())))
                .append(Xml.el("RoleArn", j.roleArn()));
        if (j.suspendedAt() != null) {
            b.append(Xml.el("SuspendedDate", time(j.suspendedAt())));
            if (j.status() == JobStatus.SUSPENDED) {
                b.append(Xml.el("SuspendedCause", "AwaitingConfirmation"));
            }
        }
        Xml.child(req, "ManifestGenerator").ifPresent(e -> b.append(Xml.write(e)));
        if (j.generatedManifest() != null) {
            b.append(j.generatedManifest());
        }
        return b.append("</Job>").toString();
    }

    private static String progress(BatchJobStore.Job j, BatchJobRows.Progress p) {
        return "<ProgressSummary>" + Xml.el("TotalNumberOfTasks", p.total())
                + Xml.el("NumberOfTasksSucceeded", p.succeeded()) + Xml.el("NumberOfTasksFailed", p.failed())
                + "<Timers>" + Xml.el("ElapsedTimeInActiveSeconds", j.elapsedActiveSeconds()) + "</Timers></ProgressSummary>";
    }

    static String time(OffsetDateTime t) {
        return t == null ? null : TIME.format(t.toInstant());
    }

    /** ListJobs: newest first, {@code maxResults} (1..1000, default 1000) a page, filtered by status. */
    public Uni<String> list(String account, List<String> statuses, String nextToken, String maxResults) {
        for (String s : statuses) {
            if (JobStatus.fromWire(s).isEmpty()) {
                throw S3Exception.invalidRequest("Invalid job status: " + s);
            }
        }
        int max = 1000;
        if (maxResults != null) {
            try {
                max = Integer.parseInt(maxResults);
            } catch (NumberFormatException e) {
                throw S3Exception.invalidRequest("maxResults must be an integer between 0 and 1000");
            }
            if (max < 0 || max > 1000) {
                throw S3Exception.invalidRequest("maxResults must be an integer between 0 and 1000");
            }
            max = max == 0 ? 1000 : max;
        }
        OffsetDateTime afterTime = null;
        String afterId = null;
        if (nextToken != null && !nextToken.isEmpty()) {
            try {
                String t = new String(Base64.getUrlDecoder().decode(nextToken), StandardCharsets.UTF_8);
                int bar = t.indexOf('|');
                afterTime = OffsetDateTime.ofInstant(Instant.ofEpochSecond(0, 0).plusNanos(Long.parseLong(t.substring(0,
                        bar)) * 1000), ZoneOffset.UTC);
                afterId = t.substring(bar + 1);
            } catch (RuntimeException e) {
                throw S3Exception.of(S3ErrorCode.INVALID_NEXT_TOKEN);
            }
        }
        int page = max;
        return store.list(account, statuses, afterTime, afterId, page + 1).chain(jobs -> {
            List<BatchJobStore.Job> shown = jobs.subList(0, Math.min(page, jobs.size()));
            return io.smallrye.mutiny.Multi.createFrom().iterable(shown)
                    .onItem().transformToUniAndConcatenate(j -> store.progress(j.id()).map(p -> listed(j, p)))
                    .collect().asList().map(items -> {
                        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListJobsResult xmlns=\"")
                                .append(NS).append("\">");
                        if (jobs.size() > page) {
                            BatchJobStore.Job last = shown.get(shown.size() - 1);
                            Instant at = last.createdAt().toInstant();
                            long micros = at.getEpochSecond() * 1_000_000L + at.getNano() / 1000;
                            b.append(Xml.el("NextToken", Base64.getUrlEncoder().withoutPadding().encodeToString(
                                    (micros + "|" + last.id()).getBytes(StandardCharsets.UTF_8))));
                        }
                        b.append("<Jobs>");
                        items.forEach(b::append);
                        return b.append("</Jobs></ListJobsResult>").toString();
                    });
        });
    }

    private static String listed(BatchJobStore.Job j, BatchJobRows.Progress p) {
        return "<member>" + Xml.el("JobId", j.id()) + Xml.el("Description", j.description())
                + Xml.el("Operation", j.operation()) + Xml.el("Priority", j.priority()) + Xml.el("Status", j.status().wire())
                + Xml.el("CreationTime", time(j.createdAt())) + Xml.el("TerminationDate", time(j.terminatedAt()))
                + progress(j, p) + "</member>";
    }

    /** UpdateJobPriority. */
    public Uni<String> priority(String account, String id, String value) {
        int p;
        try {
            p = Integer.parseInt(value == null ? "" : value);
        } catch (NumberFormatException e) {
            throw S3Exception.invalidRequest("priority must be an integer between 0 and 2147483647");
        }
        if (p < 0) {
            throw S3Exception.invalidRequest("priority must be an integer between 0 and 2147483647");
        }
        return store.priority(account, id, p).map(ok -> {
            if (!ok) {
                throw noSuchJob();
            }
            return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<UpdateJobPriorityResult xmlns=\"" + NS + "\">"
                    + Xml.el("JobId", id) + Xml.el("Priority", p) + "</UpdateJobPriorityResult>";
        });
    }

    /** UpdateJobStatus: {@code Ready} confirms a Suspended job, {@code Cancelled} cancels (JobStatus#request). */
    public Uni<String> status(String account, String id, String requested, String reason) {
        Optional<JobStatus> want = Optional.ofNullable(requested).flatMap(JobStatus::fromWire)
                .filter(s -> s == JobStatus.READY || s == JobStatus.CANCELLED);
        if (want.isEmpty()) {
            throw S3Exception.invalidRequest("requestedJobStatus must be Ready or Cancelled");
        }
        if (reason != null && reason.length() > 256) {
            throw S3Exception.invalidRequest("statusUpdateReason must be at most 256 characters");
        }
        return store.requestStatus(account, id, want.get(), reason).map(c -> {
            BatchJobStore.Job j = c.job().orElseThrow(BatchJobs::noSuchJob);
            if (c.refused()) {
                throw S3Exception.of(S3ErrorCode.JOB_STATUS_EXCEPTION, "Job " + id + " is in status " + j.status().wire()
                        + " and cannot be moved to " + want.get().wire());
            }
            runner.kick(id);
            return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<UpdateJobStatusResult xmlns=\"" + NS + "\">"
                    + Xml.el("JobId", id) + Xml.el("Status", j.status().wire())
                    + Xml.el("StatusUpdateReason", j.statusUpdateReason()) + "</UpdateJobStatusResult>";
        });
    }
}
