package dev.sseproxy.kms.vault;

import dev.sseproxy.kms.KmsException;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.json.Json;
import io.github.jopenlibs.vault.json.JsonObject;
import io.github.jopenlibs.vault.json.JsonValue;
import io.github.jopenlibs.vault.response.LogicalResponse;
import io.github.jopenlibs.vault.rest.RestResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Blocking calls to the Transit mount through the driver's {@code logical()} API: one HTTP exchange
 * each, retried once after a fresh login when Vault answers 403 to a login-based token. Answers
 * the {@code data} object of Vault's response envelope, or an empty object for 204; maps every
 * failure through {@link VaultErrors}.
 *
 * <p>The driver hands 4xx answers back as responses (except 412) and throws for 5xx and transport
 * failures; its {@link RestResponse} is the only place the status code of a 4xx is visible.
 */
final class TransitApi {
    private final VaultSession session;
    private final String mount;

    TransitApi(VaultSession session, String mount) {
        this.session = session;
        this.mount = mount;
    }

    JsonObject write(TransitOp op, String keyName, String path, Map<String, Object> body) {
        return exchange(op, keyName, v -> v.logical().write(mount + "/" + path, body));
    }

    JsonObject read(TransitOp op, String keyName, String path) {
        return exchange(op, keyName, v -> v.logical().read(mount + "/" + path));
    }

    private interface Call {
        LogicalResponse run(Vault vault) throws VaultException;
    }

    private JsonObject exchange(TransitOp op, String keyName, Call call) {
        for (int attempt = 0; ; attempt++) {
            Vault vault = session.vault();
            RestResponse response;
            try {
                response = call.run(vault).getRestResponse();
            } catch (VaultException e) {
                throw VaultErrors.fromDriver(op, keyName, e);
            }
            int status = response.getStatus();
            if (status == 204) {
                return new JsonObject();
            }
            if (status == 200) {
                return data(op, keyName, response.getBody());
            }
            if (status == 403 && attempt == 0 && session.invalidate(vault)) {
                continue;
            }
            throw VaultErrors.fromResponse(op, keyName, status, response.getBody());
        }
    }

    private static JsonObject data(TransitOp op, String keyName, byte[] body) {
        try {
            JsonValue data = Json.parse(new String(body, StandardCharsets.UTF_8)).asObject().get("data");
            return data == null || data.isNull() ? new JsonObject() : data.asObject();
        } catch (RuntimeException e) {
            throw new KmsException.Unavailable("Vault answered " + op.description + " (transit key '" + keyName
                    + "') with a body that is not a Vault response");
        }
    }
}
