package dev.sseproxy.api.aws.query;

import dev.sseproxy.iam.IamActions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * STS {@code GetCallerIdentity}: who signed the request ({@code iam.IamActions#callerIdentity}): for a
 * root key {@code Arn} {@code arn:aws:iam::<account>:root} and {@code UserId} and {@code Account} the
 * account id, as AWS answers for root credentials; for an IAM user's key the user's ARN and id.
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
        return Uni.createFrom().item(List.of(QueryXml.Node.raw(IamActions.callerIdentity(request.caller()))));
    }
}
