package dev.sseproxy.api.kms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sseproxy.api.JsonApiAuthenticator;
import dev.sseproxy.api.JsonApis;
import dev.sseproxy.api.kms.KmsErrors.KmsError;
import dev.sseproxy.catalog.AccountService;
import dev.sseproxy.config.SseProxyConfig;
import dev.sseproxy.kms.registry.KeyRequester;
import dev.sseproxy.auth.SignedRequest;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.quarkus.vertx.http.ManagementInterface;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The AWS KMS API (JSON 1.1) on the management port, so {@code aws kms --endpoint-url
 * http://127.0.0.1:9090 …} and the SDKs' KMS clients work unchanged: {@code POST /} with
 * {@code X-Amz-Target: TrentService.<Operation>} and {@code Content-Type: application/x-amz-json-1.1},
 * SigV4-signed for service {@code kms} by any account's access key, which acts on its own account's keys.
 * Errors are 400 with {@code {"__type":"NotFoundException","message":"…"}}. The same calls are served on
 * the S3 port ({@code api.aws.KmsResource}) through {@link #call}.
 */
@ApplicationScoped
public class KmsRoutes {
    private static final Logger LOG = Logger.getLogger(KmsRoutes.class);
    private static final String TARGET_PREFIX = "TrentService.";
    /** Generous for the largest request (a 32 KiB policy, JSON-escaped). */
    private static final int MAX_BODY = 256 * 1024;

    private final JsonApiAuthenticator authenticator;
    private final KmsOperations operations;

    public KmsRoutes(AccountService accounts, SseProxyConfig config, KmsOperations operations) {
        this.authenticator = new JsonApiAuthenticator(accounts, config, "kms");
        this.operations = operations;
    }

    void init(@Observes ManagementInterface mi) {
        mi.router().post("/").handler(BodyHandler.create().setBodyLimit(MAX_BODY)).handler(this::handle);
    }

    private void handle(RoutingContext rc) {
        String target = String.valueOf(rc.request().getHeader("X-Amz-Target"));
        if (target.startsWith(JsonApis.CLOUDTRAIL_TARGET_PREFIX)) {
            rc.next(); // CloudTrail's API shares POST / (api.cloudtrail.CloudTrailRoutes)
            return;
        }
        VertxContextSafetyToggle.setCurrentContextSafe(true);
        byte[] body = rc.body().buffer() == null ? new byte[0] : rc.body().buffer().getBytes();
        call(target, JsonApis.signedRequest(rc), body, () -> { }).subscribe().with(reply -> JsonApis.send(rc, reply));
    }

    /**
     * One KMS call, wherever it arrived (this route, or {@code api.aws.KmsResource} on the S3 port): the
     * {@code X-Amz-Target}, the request as the client signed it, and its body. {@code authenticated} runs
     * once the signature has been checked. Never fails: errors become their JSON reply.
     */
    public Uni<JsonApis.Reply> call(String target, SignedRequest request, byte[] body, Runnable authenticated) {
        String requestId = UUID.randomUUID().toString();
        String name = target != null && target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : "";
        return authenticator.credential(request, body)
                .invoke(credential -> authenticated.run())
                .chain(credential -> run(name, new KeyRequester(credential.principal(), credential.identityPolicies()), body))
                .map(result -> reply(requestId, 200, null, result))
                .onFailure().recoverWithItem(err -> fail(requestId, name, err));
    }

    private Uni<Object> run(String name, KeyRequester account, byte[] body) {
        KmsOperations.Operation op = operations.operation(name).orElseThrow(KmsRequestException::unknownOperation);
        return Uni.createFrom().deferred(() -> {
            try {
                JsonNode json = body.length == 0 ? KmsJson.MAPPER.createObjectNode() : KmsJson.MAPPER.readTree(body);
                if (json == null || !json.isObject()) {
                    throw new KmsRequestException("SerializationException", "The request body must be a JSON object.");
                }
                return op.run(account, json);
            } catch (java.io.IOException e) {
                return Uni.createFrom().failure(e);
            }
        });
    }

    private static JsonApis.Reply fail(String requestId, String operation, Throwable err) {
        KmsError e = KmsErrors.of(err, requestId);
        LOG.debugf("KMS %s request %s: %d %s", operation, requestId, e.status(), e.type());
        return reply(requestId, e.status(), e.type(), new KmsJson.ErrorJson(e.type(), e.message()));
    }

    private static JsonApis.Reply reply(String requestId, int status, String errorType, Object body) {
        try {
            String json = body == null ? "" : KmsJson.MAPPER.writeValueAsString(body);
            return new JsonApis.Reply(status, requestId, errorType, json);
        } catch (Exception e) {
            LOG.errorf(e, "KMS API request %s: cannot write the response", requestId);
            return new JsonApis.Reply(500, requestId, "KMSInternalException",
                    "{\"__type\":\"KMSInternalException\",\"message\":\"We encountered an internal error.\"}");
        }
    }
}
