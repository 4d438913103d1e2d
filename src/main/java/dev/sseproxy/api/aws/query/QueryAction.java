package dev.sseproxy.api.aws.query;

import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * One query-protocol action (the extension point of this package): implement it as a CDI bean
 * ({@code @ApplicationScoped}) and it is served. The handler gets the parsed, authenticated request and
 * returns the children of {@code <NameResult>}; an empty list leaves {@code <NameResult>} out (actions
 * without output, e.g. {@code DeleteUser}). Refuse with a {@link QueryException}.
 */
public interface QueryAction {
    /** The service this action belongs to. */
    QueryService service();

    /** The {@code Action} parameter value, e.g. {@code GetCallerIdentity}. */
    String name();

    /** Runs the action for an authenticated caller. */
    Uni<List<QueryXml.Node>> run(QueryRequest request);
}
