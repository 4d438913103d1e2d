package dev.sseproxy.api.aws.query;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * STS {@code GetCallerIdentity}: who signed the request. An account's access key is its root, so
 * {@code Arn} is {@code arn:aws:iam::<account>:root} and {@code UserId} and {@code Account} are the
 * account id, as AWS answers for root credentials.
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
        String account = request.caller().accountId();
        return Uni.createFrom().item(List.of(
                QueryXml.Node.text("Arn", "arn:aws:iam::" + account + ":root"),
                QueryXml.Node.text("UserId", account),
                QueryXml.Node.text("Account", account)));
    }
}
