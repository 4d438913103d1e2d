package dev.sseproxy.api.aws.query;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * STS {@code GetCallerIdentity}: who signed the request. An account's root key answers {@code Arn}
 * {@code arn:aws:iam::<account>:root} and the account id as {@code UserId}, as AWS answers for root
 * credentials; an IAM user's key answers the user's ARN and user id ({@code AIDA...}).
 */
@ApplicationScoped
public class GetCallerIdentity implements QueryAction {
    @Override
    public QueryService service() {
        return QueryService.STS;
    }

    @Override
    public String name() {
        return "GetCallerIdentity";
    }

    @Override
    public Uni<List<QueryXml.Node>> run(QueryRequest request) {
        var caller = request.caller();
        String account = caller.accountId();
        // an IAM user's key: its ARN and user id (AIDA...); a root key: the account's root
        return Uni.createFrom().item(List.of(
                QueryXml.Node.text("Arn", caller.principal().arn()),
                QueryXml.Node.text("UserId", caller.isRoot() ? account : caller.user().userId()),
                QueryXml.Node.text("Account", account)));
    }
}
