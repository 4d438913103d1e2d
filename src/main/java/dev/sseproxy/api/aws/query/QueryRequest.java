package dev.sseproxy.api.aws.query;

import dev.sseproxy.catalog.Credential;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed, authenticated query-protocol request: the action, its parameters (form body and query
 * merged, first value of a name wins), who signed it, and the request id of the answer.
 */
public record QueryRequest(QueryService service, String action, Map<String, String> params, Credential caller,
        String requestId) {
    public QueryRequest {
        params = Map.copyOf(params);
    }

    /** A parameter, if given. */
    public Optional<String> param(String name) {
        return Optional.ofNullable(params.get(name));
    }

    /** A required parameter; missing: 400 {@code ValidationError} naming it, as IAM and STS say. */
    public String required(String name) {
        String v = params.get(name);
        if (v == null) {
            throw QueryException.validation("1 validation error detected: Value null at '"
                    + Character.toLowerCase(name.charAt(0)) + name.substring(1)
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return v;
    }

    /** A list parameter {@code name.member.1}, {@code name.member.2}, … up to the first gap. */
    public List<String> members(String name) {
        List<String> out = new ArrayList<>();
        for (int i = 1; params.containsKey(name + ".member." + i); i++) {
            out.add(params.get(name + ".member." + i));
        }
        return out;
    }
}
