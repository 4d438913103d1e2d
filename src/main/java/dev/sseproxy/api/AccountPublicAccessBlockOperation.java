package dev.sseproxy.api;

import dev.sseproxy.api.Dispatcher.Route;
import dev.sseproxy.api.Dispatcher.RoutedOperation;
import dev.sseproxy.api.Dispatcher.Scope;
import dev.sseproxy.api.xml.SubresourceDocuments;
import dev.sseproxy.authz.AuthorizationDecisions;
import dev.sseproxy.authz.AuthzRequest;
import dev.sseproxy.authz.Principal;
import dev.sseproxy.authz.PublicAccessBlock;
import dev.sseproxy.catalog.AccountPublicAccessBlocks;
import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * The account-level Block Public Access configuration, S3 Control's
 * {@code PUT/GET/DELETE /v20180820/configuration/publicAccessBlock} with the account in the
 * {@code x-amz-account-id} header, served on the S3 port and signed for service {@code s3} (as S3
 * Control requests are). A request is S3 Control when its path starts with {@code /v20180820/} and it
 * carries {@code x-amz-account-id} ({@link #isS3Control}), whatever its host: AWS CLI 2.9 and the SDKs
 * put the account id in front of the endpoint's host ({@code 111122223333.localhost}), which
 * virtual-hosted addressing would otherwise read as a bucket. The account must be the caller's own
 * (403 AccessDenied otherwise) and the caller needs {@code s3:PutAccountPublicAccessBlock} /
 * {@code s3:GetAccountPublicAccessBlock} (a root has them in its own account). GET without a
 * configuration: 404 {@code NoSuchPublicAccessBlockConfiguration}.
 */
@ApplicationScoped
class AccountPublicAccessBlockOperation implements RoutedOperation {
    static final String PREFIX = "/v20180820/";
    static final String PATH = "/v20180820/configuration/publicAccessBlock";
    private final AccountPublicAccessBlocks blocks;

    AccountPublicAccessBlockOperation(AccountPublicAccessBlocks blocks) {
        this.blocks = blocks;
    }

    /** Whether a request is for S3 Control (class comment). */
    static boolean isS3Control(String rawPath, String accountIdHeader) {
        return accountIdHeader != null && rawPath != null && rawPath.startsWith(PREFIX);
    }

    public String name() {
        return "AccountPublicAccessBlock";
    }

    public List<Route> routes() {
        return List.of(new Route(Scope.SERVICE, "GET", PATH), new Route(Scope.SERVICE, "PUT", PATH),
                new Route(Scope.SERVICE, "DELETE", PATH));
    }

    public boolean needsOwnedBucket() {
        return false;
    }

    /**
     * S3 Control's errors are wrapped as {@code <ErrorResponse><Error><Code/><Message/></Error><RequestId/>
     * </ErrorResponse>} (restXml with a wrapper: the SDK v2's S3 Control client reads the code only there;
     * botocore reads both forms).
     */
    public Uni<Void> handle(S3Exchange ex) {
        return withControlErrors(ex, () -> serve(ex));
    }

    /** Runs an S3 Control operation, answering its S3 errors in S3 Control's {@code ErrorResponse} wrapper (above). */
    static Uni<Void> withControlErrors(S3Exchange ex, java.util.function.Supplier<Uni<Void>> serve) {
        return Uni.createFrom().<Void>deferred(serve::get).onFailure(S3Exception.class).recoverWithUni(err -> {
            S3Exception e = (S3Exception) err;
            ex.failed(e);
            String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse><Error><Code>" + e.code().code()
                    + "</Code><Message>" + escape(e.getMessage()) + "</Message></Error><RequestId>" + ex.requestId()
                    + "</RequestId><HostId>" + RequestIds.hostId(ex.requestId()) + "</HostId></ErrorResponse>";
            return Uni.createFrom().completionStage(() -> ex.response().setStatusCode(e.code().status())
                    .putHeader("Content-Type", "application/xml").end(body).toCompletionStage());
        });
    }

    private static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private Uni<Void> serve(S3Exchange ex) {
        String account = ex.header("x-amz-account-id").trim();
        String action = switch (ex.method()) {
            case "GET" -> "s3:GetAccountPublicAccessBlock";
            default -> "s3:PutAccountPublicAccessBlock";
        };
        ex.operation(switch (ex.method()) {
            case "GET" -> "GetPublicAccessBlock";
            case "PUT" -> "PutPublicAccessBlock";
            default -> "DeletePublicAccessBlock";
        });
        Principal who = Authorization.principal(ex);
        if (who.isAnonymous() || !account.equals(who.accountId()) || !AuthorizationDecisions.evaluate(new AuthzRequest(
                who, action, "*", account, null, null, null, Authorization.identityPolicies(ex, who), null, null, null)).allowed()) {
            throw S3Exception.accessDenied();
        }
        return switch (ex.method()) {
            case "GET" -> blocks.find(account).chain(p -> {
                if (p.isEmpty()) {
                    throw S3Exception.of(S3ErrorCode.NO_SUCH_PUBLIC_ACCESS_BLOCK_CONFIGURATION)
                            .withDetail("AccountId", account);
                }
                return Responses.xml(ex, 200, document(p.get()));
            });
            case "PUT" -> SmallBody.read(ex).chain(body -> blocks.put(account, PublicAccessBlockOperation.parse(body)))
                    .chain(() -> Responses.empty(ex, 200));
            default -> blocks.delete(account).chain(() -> Responses.empty(ex, 204));
        };
    }

    static SubresourceDocuments.AccountPublicAccessBlockXml document(PublicAccessBlock p) {
        SubresourceDocuments.AccountPublicAccessBlockXml x = new SubresourceDocuments.AccountPublicAccessBlockXml();
        x.blockPublicAcls = Boolean.toString(p.blockPublicAcls());
        x.ignorePublicAcls = Boolean.toString(p.ignorePublicAcls());
        x.blockPublicPolicy = Boolean.toString(p.blockPublicPolicy());
        x.restrictPublicBuckets = Boolean.toString(p.restrictPublicBuckets());
        return x;
    }
}
