package dev.sseproxy.api.cloudtrail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sseproxy.api.JsonApiAuthenticator;
import dev.sseproxy.api.JsonApis;
import dev.sseproxy.authz.AuthorizationDecisions;
import dev.sseproxy.authz.ConditionContext;
import dev.sseproxy.authz.Decision;
import dev.sseproxy.catalog.Credential;
import dev.sseproxy.api.kms.KmsErrors;
import dev.sseproxy.catalog.AuditEventPages;
import dev.sseproxy.catalog.AuditEventPages.Attribute;
import dev.sseproxy.catalog.AuditEventPages.Cursor;
import dev.sseproxy.catalog.AuditEventPages.Filter;
import dev.sseproxy.catalog.AuditEventPages.Found;
import dev.sseproxy.auth.AuthException;
import dev.sseproxy.auth.SignedRequest;
import dev.sseproxy.catalog.AccountService;
import dev.sseproxy.config.SseProxyConfig;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.quarkus.vertx.http.ManagementInterface;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;

/**
 * AWS CloudTrail's {@code LookupEvents} (JSON 1.1) on the management port, so {@code aws cloudtrail
 * lookup-events --endpoint-url http://127.0.0.1:9090} and the SDKs' CloudTrail clients work: {@code
 * POST /} with {@code X-Amz-Target: com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents},
 * SigV4 for service {@code cloudtrail}. The signing account sees its own trail. Semantics and
 * errors as CloudTrail's API reference: at most one lookup attribute; StartTime / EndTime in epoch
 * seconds (default: the last 90 days up to now); MaxResults 1-50 (default 50); newest first; an
 * opaque NextToken that is valid only for the same query. Other CloudTrail operations answer
 * {@code UnknownOperationException}. The format of the events: {@code dev.sseproxy.audit}. The same
 * calls are served on the S3 port ({@code api.aws.CloudTrailResource}) through {@link #call}.
 */
@ApplicationScoped
public class CloudTrailRoutes {
    private static final Logger LOG = Logger.getLogger(CloudTrailRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_RESULTS = 50;
    static final Duration DEFAULT_WINDOW = Duration.ofDays(90);
    private static final int MAX_BODY = 64 * 1024;

    private final JsonApiAuthenticator authenticator;
    private final AuditEventPages events;

    public CloudTrailRoutes(AccountService accounts, SseProxyConfig config, AuditEventPages events) {
        this.authenticator = new JsonApiAuthenticator(accounts, config, "cloudtrail");
        this.events = events;
    }

    void init(@Observes ManagementInterface mi) {
        // shares POST / with the KMS API: each route passes the other's targets on
        mi.router().post("/").handler(BodyHandler.create().setBodyLimit(MAX_BODY)).handler(this::handle);
    }

    private void handle(RoutingContext rc) {
        String target = String.valueOf(rc.request().getHeader("X-Amz-Target"));
        if (!target.startsWith(JsonApis.CLOUDTRAIL_TARGET_PREFIX)) {
            rc.next();
            return;
        }
        VertxContextSafetyToggle.setCurrentContextSafe(true);
        byte[] body = rc.body().buffer() == null ? new byte[0] : rc.body().buffer().getBytes();
        call(target, JsonApis.signedRequest(rc), body, () -> { }).subscribe().with(reply -> JsonApis.send(rc, reply));
    }

    /**
     * One CloudTrail call, wherever it arrived (this route, or {@code api.aws.CloudTrailResource} on the S3
     * port): the {@code X-Amz-Target}, the request as the client signed it, and its body. {@code
     * authenticated} runs once the signature has been checked. Never fails: errors become their JSON reply.
     */
    public Uni<JsonApis.Reply> call(String target, SignedRequest request, byte[] body, Runnable authenticated) {
        String requestId = UUID.randomUUID().toString();
        String operation = target != null && target.startsWith(JsonApis.CLOUDTRAIL_TARGET_PREFIX)
                ? target.substring(JsonApis.CLOUDTRAIL_TARGET_PREFIX.length()) : String.valueOf(target);
        return authenticator.credential(request, body)
                .invoke(caller -> authenticated.run())
                .chain(caller -> {
                    if (!"LookupEvents".equals(operation)) {
                        throw new LookupError("UnknownOperationException", "Unknown operation " + operation + ".");
                    }
                    requireLookupEvents(caller);
                    return lookup(caller.accountId(), read(body));
                })
                .map(result -> new JsonApis.Reply(200, requestId, null, result.toString()))
                .onFailure().recoverWithItem(err -> fail(requestId, err));
    }

    /**
     * An IAM user needs {@code cloudtrail:LookupEvents} (resource {@code *}, as the service authorization
     * reference lists it) from its identity policies; an account's root has it. A user sees its account's
     * events, as on AWS.
     */
    private static void requireLookupEvents(Credential caller) {
        Decision d = AuthorizationDecisions.identityOnly(caller.principal(), caller.identityPolicies(),
                "cloudtrail:LookupEvents", "*", ConditionContext.EMPTY);
        if (!d.allowed()) {
            throw new LookupError("AccessDeniedException", "User: " + caller.principal().arn()
                    + " is not authorized to perform: cloudtrail:LookupEvents because "
                    + (d.explicitDeny() ? "an explicit deny in an identity-based policy denies"
                            : "no identity-based policy allows") + " the cloudtrail:LookupEvents action");
        }
    }

    private Uni<ObjectNode> lookup(String account, JsonNode in) {
        Optional<Filter> filter = filter(in.get("LookupAttributes"));
        Instant end = in.hasNonNull("EndTime") ? time(in.get("EndTime"), "EndTime") : Instant.now();
        Instant start = in.hasNonNull("StartTime") ? time(in.get("StartTime"), "StartTime") : end.minus(DEFAULT_WINDOW);
        if (start.isAfter(end)) {
            throw new LookupError("InvalidTimeRangeException", "Start time must be before end time.");
        }
        int max = MAX_RESULTS;
        if (in.hasNonNull("MaxResults")) {
            JsonNode m = in.get("MaxResults");
            if (!m.canConvertToInt() || m.asInt() < 1 || m.asInt() > MAX_RESULTS) {
                throw new LookupError("InvalidMaxResultsException", "Value " + m.asText()
                        + " for MaxResults is invalid. MaxResults must be between 1 and 50.");
            }
            max = m.asInt();
        }
        if (in.hasNonNull("EventCategory")) {
            if (!"insight".equals(in.get("EventCategory").asText())) {
                throw new LookupError("InvalidEventCategoryException", "The EventCategory value is not valid.");
            }
            ObjectNode none = JSON.createObjectNode(); // no Insights events are recorded
            none.putArray("Events");
            return Uni.createFrom().item(none);
        }
        // the token holds the window of the first page (its "now" included) and a hash of the query as asked
        String query = account + "|" + filter.map(f -> f.attribute().awsName() + "=" + f.value()).orElse("") + "|"
                + in.path("StartTime").asText("") + "|" + in.path("EndTime").asText("");
        Optional<Cursor> after = Optional.empty();
        if (in.hasNonNull("NextToken")) {
            Token t = Token.parse(in.get("NextToken").asText(), query);
            after = Optional.of(t.cursor());
            start = t.start();
            end = t.end();
        }
        Instant windowStart = start;
        Instant windowEnd = end;
        if (filter.isPresent() && filter.get().attribute() == Attribute.EVENT_ID && !isUuid(filter.get().value())) {
            ObjectNode none = JSON.createObjectNode();
            none.putArray("Events");
            return Uni.createFrom().item(none);
        }
        return events.lookup(account, filter, windowStart, windowEnd, max, after).map(page -> {
            ObjectNode out = JSON.createObjectNode();
            ArrayNode list = out.putArray("Events");
            for (Found f : page.events()) {
                ObjectNode e = list.addObject();
                e.put("EventId", f.eventId().toString());
                e.put("EventName", f.eventName());
                e.put("ReadOnly", Boolean.toString(f.readOnly()));
                if (f.accessKeyId() != null) {
                    e.put("AccessKeyId", f.accessKeyId());
                }
                e.put("EventTime", f.eventTime().getEpochSecond());
                e.put("EventSource", f.eventSource());
                if (f.username() != null) {
                    e.put("Username", f.username());
                }
                try {
                    e.set("Resources", JSON.readTree(f.resources()));
                } catch (IOException x) {
                    throw new CompletionException(x);
                }
                e.put("CloudTrailEvent", f.record());
            }
            page.next().ifPresent(c -> out.put("NextToken", new Token(c, windowStart, windowEnd).format(query)));
            return out;
        });
    }

    private static Optional<Filter> filter(JsonNode attributes) {
        if (attributes == null || attributes.isNull() || attributes.isArray() && attributes.isEmpty()) {
            return Optional.empty();
        }
        if (!attributes.isArray()) {
            throw new LookupError("InvalidLookupAttributesException", "LookupAttributes must be a list.");
        }
        if (attributes.size() > 1) {
            throw new LookupError("InvalidLookupAttributesException",
                    "You cannot specify more than one lookup attribute.");
        }
        JsonNode a = attributes.get(0);
        String key = a.path("AttributeKey").asText("");
        String value = a.path("AttributeValue").asText("");
        Attribute attribute = Attribute.of(key).orElseThrow(() -> new LookupError("InvalidLookupAttributesException",
                "The lookup attribute key " + key + " is not valid."));
        if (value.isEmpty() || value.length() > 2000) {
            throw new LookupError("InvalidLookupAttributesException",
                    "The lookup attribute value must be between 1 and 2000 characters.");
        }
        if (attribute == Attribute.READ_ONLY && !value.equals("true") && !value.equals("false")) {
            throw new LookupError("InvalidLookupAttributesException",
                    "The value of the ReadOnly lookup attribute must be true or false.");
        }
        return Optional.of(new Filter(attribute, value));
    }

    /** CloudTrail's JSON timestamps are epoch seconds, possibly fractional. */
    private static Instant time(JsonNode t, String name) {
        if (t.isNumber()) {
            BigDecimal s = t.decimalValue();
            return Instant.ofEpochSecond(s.longValue(), s.remainder(BigDecimal.ONE).movePointRight(9).longValue());
        }
        try {
            return Instant.parse(t.asText());
        } catch (RuntimeException e) {
            throw new LookupError("SerializationException", name + " must be a timestamp.");
        }
    }

    /** NextToken: where the page ended, the query's window, and a hash of the query, base64url. */
    record Token(Cursor cursor, Instant start, Instant end) {
        String format(String query) {
            String raw = String.join(".", nanos(cursor.time()), cursor.eventId().toString(), nanos(start), nanos(end),
                    Integer.toHexString(query.hashCode()));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Token parse(String token, String query) {
            try {
                String[] p = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\\.");
                if (p.length != 5 || !p[4].equals(Integer.toHexString(query.hashCode()))) {
                    throw new IllegalArgumentException("another query's token");
                }
                return new Token(new Cursor(instant(p[0]), UUID.fromString(p[1])), instant(p[2]), instant(p[3]));
            } catch (RuntimeException e) {
                throw new LookupError("InvalidNextTokenException", "Invalid NextToken.");
            }
        }

        private static String nanos(Instant t) {
            return t.getEpochSecond() + ":" + t.getNano();
        }

        private static Instant instant(String s) {
            int colon = s.indexOf(':');
            return Instant.ofEpochSecond(Long.parseLong(s.substring(0, colon)), Long.parseLong(s.substring(colon + 1)));
        }
    }

    private static boolean isUuid(String s) {
        try {
            UUID.fromString(s);
            return s.length() == 36;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static JsonNode read(byte[] body) {
        try {
            JsonNode json = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
            if (json == null || !json.isObject()) {
                throw new LookupError("SerializationException", "The request body must be a JSON object.");
            }
            return json;
        } catch (IOException e) {
            throw new LookupError("SerializationException", "The request body could not be read as JSON.");
        }
    }

    private static JsonApis.Reply fail(String requestId, Throwable err) {
        Throwable e = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        int status = 400;
        String type;
        String message;
        if (e instanceof LookupError l) {
            type = l.type;
            message = l.getMessage();
        } else if (e instanceof AuthException a) {
            KmsErrors.KmsError k = KmsErrors.auth(a);
            status = k.status();
            type = k.type();
            message = k.message();
        } else {
            LOG.errorf(e, "LookupEvents request %s failed", requestId);
            status = 500;
            type = "InternalFailure";
            message = "We encountered an internal error. Please try again.";
        }
        ObjectNode body = JSON.createObjectNode().put("__type", type).put("message", message);
        return new JsonApis.Reply(status, requestId, type, body.toString());
    }

    /** A CloudTrail client error: 400 with {@code __type}. */
    static final class LookupError extends RuntimeException {
        final String type;

        LookupError(String type, String message) {
            super(message, null, false, false);
            this.type = type;
        }
    }
}
