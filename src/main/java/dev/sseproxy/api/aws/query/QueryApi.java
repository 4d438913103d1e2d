package dev.sseproxy.api.aws.query;

import dev.sseproxy.api.JsonApiAuthenticator;
import dev.sseproxy.auth.AuthException;
import dev.sseproxy.auth.SignedRequest;
import dev.sseproxy.catalog.AccountService;
import dev.sseproxy.config.SseProxyConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;

/**
 * The query protocol's request cycle (package documentation, "Order"): parameters, signature, action
 * lookup among the discovered {@link QueryAction} beans, the action, the XML answer. Never fails: every
 * error becomes its {@code <ErrorResponse>}.
 */
@ApplicationScoped
public class QueryApi {
    private static final Logger LOG = Logger.getLogger(QueryApi.class);
    /** IAM is global: its requests are signed for us-east-1 whatever the client's region. */
    static final String IAM_REGION = "us-east-1";

    private final Map<QueryService, Map<String, QueryAction>> actions = new EnumMap<>(QueryService.class);
    private final Map<QueryService, JsonApiAuthenticator> authenticators = new EnumMap<>(QueryService.class);

    public QueryApi(@Any Instance<QueryAction> beans, AccountService accounts, SseProxyConfig config) {
        for (QueryService s : QueryService.values()) {
            actions.put(s, new HashMap<>());
        }
        for (QueryAction a : beans) {
            QueryAction before = actions.get(a.service()).put(a.name(), a);
            if (before != null) {
                throw new IllegalStateException("two query actions " + a.service() + " " + a.name() + ": "
                        + before.getClass().getName() + " and " + a.getClass().getName());
            }
        }
        authenticators.put(QueryService.IAM, new JsonApiAuthenticator(accounts, IAM_REGION, "iam"));
        authenticators.put(QueryService.STS, new JsonApiAuthenticator(accounts, config.region(), "sts"));
    }

    /** One answer: status, request id, XML. */
    public record Reply(int status, String requestId, String xml) {
    }

    /**
     * One call to {@code service}: the request as the client signed it and its body; {@code authenticated}
     * runs once the signature has been checked (or refused).
     */
    public Uni<Reply> call(QueryService service, SignedRequest request, byte[] body, Runnable authenticated) {
        String requestId = UUID.randomUUID().toString();
        return Uni.createFrom().deferred(() -> {
            Map<String, String> params = params(request, body);
            return authenticators.get(service).credential(request, body)
                    .onTermination().invoke(authenticated::run)
                    .chain(caller -> {
                        String action = params.get("Action");
                        if (action == null || action.isEmpty()) {
                            throw QueryException.missingAction();
                        }
                        String version = params.getOrDefault("Version", service.version());
                        QueryAction a = actions.get(service).get(action);
                        if (a == null || !version.equals(service.version())) {
                            throw QueryException.invalidAction(action, version);
                        }
                        return a.run(new QueryRequest(service, action, params, caller, requestId))
                                .map(result -> new Reply(200, requestId,
                                        QueryXml.response(service, action, result, requestId)));
                    });
        }).onFailure().recoverWithItem(err -> fail(service, requestId, err));
    }

    /** The form body (POST, form content type) and the query, merged; the first value of a name wins. */
    static Map<String, String> params(SignedRequest request, byte[] body) {
        Map<String, String> out = new LinkedHashMap<>();
        String ct = request.header("content-type").orElse("").toLowerCase(Locale.ROOT);
        if ("POST".equals(request.method()) && ct.startsWith("application/x-www-form-urlencoded")) {
            decode(new String(body, StandardCharsets.UTF_8), out);
        }
        decode(request.rawQuery(), out);
        return out;
    }

    private static void decode(String raw, Map<String, String> out) {
        if (raw == null || raw.isEmpty()) {
            return;
        }
        int from = 0;
        while (from <= raw.length()) {
            int amp = raw.indexOf('&', from);
            int to = amp < 0 ? raw.length() : amp;
            if (to > from) {
                int eq = raw.indexOf('=', from);
                String name = eq < 0 || eq > to ? raw.substring(from, to) : raw.substring(from, eq);
                String value = eq < 0 || eq > to ? "" : raw.substring(eq + 1, to);
                out.putIfAbsent(unescape(name), unescape(value));
            }
            from = to + 1;
        }
    }

    private static String unescape(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new QueryException(400, "MalformedQueryString", "The query string is malformed: " + e.getMessage());
        }
    }

    private static Reply fail(QueryService service, String requestId, Throwable err) {
        Throwable e = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        QueryException q;
        if (e instanceof QueryException x) {
            q = x;
        } else if (e instanceof AuthException a) {
            q = auth(a);
        } else {
            LOG.errorf(e, "%s request %s failed", service, requestId);
            q = QueryException.internal();
        }
        return new Reply(q.status(), requestId, QueryXml.error(service.namespace(), q, requestId));
    }

    /** Authentication failures, named as IAM and STS name them. */
    static QueryException auth(AuthException a) {
        return switch (a.kind()) {
            case INVALID_ACCESS_KEY_ID -> new QueryException(403, "InvalidClientTokenId",
                    "The security token included in the request is invalid.");
            case SIGNATURE_DOES_NOT_MATCH, CONTENT_SHA256_MISMATCH -> new QueryException(403, "SignatureDoesNotMatch",
                    "The request signature we calculated does not match the signature you provided. Check your AWS "
                            + "Secret Access Key and signing method. Consult the service documentation for details.");
            case REQUEST_TIME_TOO_SKEWED, REQUEST_EXPIRED, REQUEST_NOT_YET_VALID -> new QueryException(403,
                    "SignatureDoesNotMatch", "Signature expired or not yet current: " + a.getMessage());
            case ACCESS_DENIED -> new QueryException(403, "MissingAuthenticationToken",
                    "Request is missing Authentication Token");
            case AUTHORIZATION_HEADER_MALFORMED -> new QueryException(403, "SignatureDoesNotMatch", a.getMessage());
            default -> new QueryException(400, "IncompleteSignature", a.getMessage());
        };
    }
}
