package dev.sseproxy.api;

import dev.sseproxy.api.Dispatcher.Route;
import dev.sseproxy.api.Dispatcher.RoutedOperation;
import dev.sseproxy.api.Dispatcher.Scope;
import dev.sseproxy.authz.AuthorizationDecisions;
import dev.sseproxy.authz.AuthzRequest;
import dev.sseproxy.authz.Principal;
import dev.sseproxy.batch.BatchJobs;
import dev.sseproxy.error.S3Exception;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * S3 Batch Operations' job API (S3 Control, {@code dev.sseproxy.batch} package documentation):
 * {@code POST /v20180820/jobs} (CreateJob), {@code GET /v20180820/jobs} (ListJobs),
 * {@code GET /v20180820/jobs/{id}} (DescribeJob), {@code POST /v20180820/jobs/{id}/priority}
 * (UpdateJobPriority) and {@code POST /v20180820/jobs/{id}/status} (UpdateJobStatus), detected as the
 * other S3 Control requests are ({@link AccountPublicAccessBlockOperation#isS3Control}), errors wrapped in
 * {@code ErrorResponse}. The account in {@code x-amz-account-id} must be the caller's (403 AccessDenied
 * otherwise), and the caller needs {@code s3:CreateJob}, {@code s3:ListJobs}, {@code s3:DescribeJob},
 * {@code s3:UpdateJobPriority} or {@code s3:UpdateJobStatus} ({@link IamActions}; on
 * {@code arn:aws:s3:<region>:<account>:job/<id>} for the last three), which an account's root has.
 */
@ApplicationScoped
class BatchJobsOperation implements RoutedOperation {
    static final String JOBS = "/v20180820/jobs";
    static final String JOB = JOBS + "/{id}";
    static final String PRIORITY = JOB + "/priority";
    static final String STATUS = JOB + "/status";

    private final BatchJobs jobs;

    BatchJobsOperation(BatchJobs jobs) {
        this.jobs = jobs;
    }

    /** The route of an S3 Control path: a job id in it becomes {@code {id}}. */
    static String route(String rawPath) {
        if (!rawPath.startsWith(JOBS + "/")) {
            return rawPath;
        }
        String rest = rawPath.substring(JOBS.length() + 1);
        int slash = rest.indexOf('/');
        if (slash < 0) {
            return rest.isEmpty() ? rawPath : JOB;
        }
        String tail = rest.substring(slash);
        return switch (tail) {
            case "/priority" -> PRIORITY;
            case "/status" -> STATUS;
            default -> rawPath;
        };
    }

    /** The job id of a job path. */
    static String jobId(String rawPath) {
        String rest = rawPath.substring(JOBS.length() + 1);
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    public String name() {
        return "CreateJob";
    }

    public String name(String method) {
        return "GET".equals(method) ? "DescribeJob" : "CreateJob";
    }

    public List<Route> routes() {
        return List.of(new Route(Scope.SERVICE, "POST", JOBS), new Route(Scope.SERVICE, "GET", JOBS),
                new Route(Scope.SERVICE, "GET", JOB), new Route(Scope.SERVICE, "POST", PRIORITY),
                new Route(Scope.SERVICE, "POST", STATUS));
    }

    public boolean needsOwnedBucket() {
        return false;
    }

    public Uni<Void> handle(S3Exchange ex) {
        return AccountPublicAccessBlockOperation.withControlErrors(ex, () -> serve(ex));
    }

    private Uni<Void> serve(S3Exchange ex) {
        String account = ex.header("x-amz-account-id").trim();
        String route = route(ex.rawPath());
        String method = ex.method();
        String operation = switch (route) {
            case JOBS -> "POST".equals(method) ? "CreateJob" : "ListJobs";
            case JOB -> "DescribeJob";
            case PRIORITY -> "UpdateJobPriority";
            default -> "UpdateJobStatus";
        };
        ex.operation(operation);
        String id = JOBS.equals(route) ? null : jobId(ex.rawPath());
        String resource = id == null ? "*" : jobs.jobArn(account, id);
        Principal who = Authorization.principal(ex);
        if (who.isAnonymous() || !account.equals(who.accountId()) || !AuthorizationDecisions.evaluate(new AuthzRequest(
                who, "s3:" + operation, resource, account, null, null, null, Authorization.identityPolicies(ex, who),
                null, null, null)).allowed()) {
            throw S3Exception.accessDenied();
        }
        Uni<String> answer = switch (operation) {
            case "CreateJob" -> SmallBody.read(ex).chain(body -> jobs.create(account, who,
                    ex.principal().user() == null ? null : ex.principal().user().userId(), body));
            case "ListJobs" -> jobs.list(account, ex.query().getOrDefault("jobStatuses", List.of()),
                    ex.queryParam("nextToken"), ex.queryParam("maxResults"));
            case "DescribeJob" -> jobs.describe(account, id);
            case "UpdateJobPriority" -> jobs.priority(account, id, ex.queryParam("priority"));
            default -> jobs.status(account, id, ex.queryParam("requestedJobStatus"), ex.queryParam("statusUpdateReason"));
        };
        return answer.chain(xml -> ex.runBeforeSuccess(200, null).chain(() -> Uni.createFrom().completionStage(() -> ex
                .response().setStatusCode(200).putHeader("Content-Type", "application/xml").end(Buffer.buffer(xml))
                .toCompletionStage())));
    }
}
