package dev.sseproxy.kms.vault;

import dev.sseproxy.kms.KmsException;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.json.Json;
import io.github.jopenlibs.vault.json.JsonValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps Vault's answers to {@link KmsException}s. Vault reports errors as
 * {@code {"errors":["..."]}} with the HTTP status carrying the class:
 * <ul>
 * <li>403 (permission denied, bad or expired token, login refused) and a refused login (400) →
 *     {@link KmsException.AccessDenied};</li>
 * <li>404, or 400 {@code encryption key not found} / {@code key not found} /
 *     {@code no existing key named ...} (Transit answers an unknown key on
 *     datakey/encrypt/decrypt/rewrap/rotate/config with 400, not 404) →
 *     {@link KmsException.NotFound};</li>
 * <li>429 (a rate-limit quota) → {@link KmsException.Throttled};</li>
 * <li>5xx (503 sealed/standby), 412, connection failures and timeouts →
 *     {@link KmsException.Unavailable};</li>
 * <li>any other 400 on decrypt or rewrap ({@code invalid ciphertext: ...},
 *     {@code cipher: message authentication failed}, {@code ... disallowed by policy (too old)}) →
 *     {@link KmsException.InvalidCiphertext};</li>
 * <li>any other 4xx → {@link KmsException.UnusableKey}.</li>
 * </ul>
 * Vault's own error text is kept (it never holds key material or tokens); the driver's exception
 * messages are not, as they embed whole response bodies.
 */
final class VaultErrors {
    private static final int MAX_DETAIL = 200;

    private VaultErrors() {
    }

    static KmsException fromResponse(TransitOp op, String keyName, int status, byte[] body) {
        String errors = errors(body);
        String what = "Vault refused to " + op.description + (keyName == null ? "" : " (transit key '" + keyName + "')")
                + ": HTTP " + status + (errors.isEmpty() ? "" : ", " + errors);
        if (status == 403 || (op == TransitOp.LOGIN && status == 400)) {
            return new KmsException.AccessDenied(what);
        }
        if (status == 404 || (status == 400 && (errors.contains("encryption key not found")
                || errors.contains("key not found") || errors.startsWith("no existing key named")))) {
            return new KmsException.NotFound(what);
        }
        if (status == 429) {
            return new KmsException.Throttled(what);
        }
        if (status >= 500 || status == 412) {
            return new KmsException.Unavailable(what);
        }
        if (status == 400 && op.readsCiphertext()) {
            return new KmsException.InvalidCiphertext(what);
        }
        return new KmsException.UnusableKey(what);
    }

    /** A driver exception: status 0 for transport failures (refused, reset, timed out), else a 5xx/412. */
    static KmsException fromDriver(TransitOp op, String keyName, VaultException e) {
        int status = e.getHttpStatusCode();
        String target = keyName == null ? "" : " (transit key '" + keyName + "')";
        if (status == 0) {
            Throwable root = rootCause(e);
            return new KmsException.Unavailable("Vault unreachable while trying to " + op.description + target + ": "
                    + root.getClass().getSimpleName(), root instanceof IOException ? root : null);
        }
        return new KmsException.Unavailable("Vault failed to " + op.description + target + ": HTTP " + status);
    }

    /** The {@code errors} strings of a Vault error body, joined; empty when there are none. */
    static String errors(byte[] body) {
        try {
            JsonValue v = Json.parse(new String(body, StandardCharsets.UTF_8)).asObject().get("errors");
            if (v == null || !v.isArray()) {
                return "";
            }
            List<String> out = new ArrayList<>();
            for (JsonValue e : v.asArray()) {
                out.add(e.isString() ? e.asString() : e.toString());
            }
            String joined = String.join("; ", out).replaceAll("\\s+", " ").trim();
            return joined.length() > MAX_DETAIL ? joined.substring(0, MAX_DETAIL) + "..." : joined;
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static Throwable rootCause(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r;
    }
}
