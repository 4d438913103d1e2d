package dev.sseproxy.kms.vault;

import dev.sseproxy.kms.KmsException;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.json.Json;
import io.github.jopenlibs.vault.json.JsonObject;
import io.github.jopenlibs.vault.response.AuthResponse;
import io.github.jopenlibs.vault.rest.RestException;
import io.github.jopenlibs.vault.rest.RestResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The Vault token this adapter calls with. With AppRole or Kubernetes auth the session logs in on
 * first use, logs in again once three quarters of the token's lease have passed (by the injected
 * {@link Clock}), and after Vault answers 403 (a revoked or expired token). A fixed token cannot log
 * in again; it is looked up once ({@code GET auth/token/lookup-self}) and, when it has a TTL and is
 * renewable (a periodic token such as vault-dev's), renewed with {@code POST auth/token/renew-self}
 * at three quarters of its TTL. Both are what Vault's {@code default} policy allows; renewing is best
 * effort: a failure is logged and tried again a minute later, never failing a KMS call. Logins and
 * renewals are serialised; a driver instance is immutable once published. Blocking: call from a
 * worker thread.
 */
final class VaultSession {
    private final VaultSettings.Auth auth;
    private final VaultDrivers drivers;
    private final Clock clock;
    private static final Logger LOG = Logger.getLogger(VaultSession.class);
    private static final Duration RENEWAL_RETRY = Duration.ofMinutes(1);

    private final Object loginLock = new Object();
    private volatile Current current;

    /** {@code looked}: for a fixed token, whether its lookup succeeded (later refreshes renew it). */
    private record Current(Vault vault, Instant renewAfter, boolean looked) {
        Current(Vault vault, Instant renewAfter) {
            this(vault, renewAfter, true);
        }
    }

    VaultSession(VaultSettings settings, VaultDrivers drivers, Clock clock) {
        this.auth = settings.auth();
        this.drivers = drivers;
        this.clock = clock;
        if (auth instanceof VaultSettings.Token t) {
            this.current = new Current(drivers.withToken(t.token()), Instant.MIN, false);
        }
    }

    /** A driver carrying a valid token, logging in first when needed. */
    Vault vault() {
        Current c = current;
        if (c != null && clock.instant().isBefore(c.renewAfter())) {
            return c.vault();
        }
        synchronized (loginLock) {
            c = current;
            if (c == null || !clock.instant().isBefore(c.renewAfter())) {
                c = auth instanceof VaultSettings.Token ? refreshFixedToken(c) : login();
                current = c;
            }
            return c.vault();
        }
    }

    /**
     * Vault answered 403 to a call made with {@code used}: drop that token so the next call logs in
     * again. False when a new login cannot help (a fixed token).
     */
    boolean invalidate(Vault used) {
        if (auth instanceof VaultSettings.Token) {
            return false;
        }
        synchronized (loginLock) {
            if (current != null && current.vault() == used) {
                current = null;
            }
        }
        return true;
    }

    /** Looks the fixed token up (first time) or renews it; its answer says when to renew next. */
    private Current refreshFixedToken(Current c) {
        Instant now = clock.instant();
        String what = c.looked() ? "renew" : "look up";
        try {
            RestResponse r = c.looked()
                    ? c.vault().logical().write("auth/token/renew-self", Map.of()).getRestResponse()
                    : c.vault().logical().read("auth/token/lookup-self").getRestResponse();
            if (r.getStatus() == 403) {
                LOG.warnf("Vault refused to %s the fixed token (HTTP 403); it is used as it is, without renewal", what);
                return new Current(c.vault(), Instant.MAX);
            }
            if (r.getStatus() != 200) {
                throw new IllegalStateException("HTTP " + r.getStatus());
            }
            JsonObject body = Json.parse(new String(r.getBody(), StandardCharsets.UTF_8)).asObject();
            long ttl;
            boolean renewable;
            if (c.looked()) {
                JsonObject a = body.get("auth").asObject();
                ttl = a.getLong("lease_duration", 0);
                renewable = a.getBoolean("renewable", false);
            } else {
                JsonObject d = body.get("data").asObject();
                ttl = d.getLong("ttl", 0);
                renewable = d.getBoolean("renewable", false);
            }
            return new Current(c.vault(), ttl > 0 && renewable
                    ? now.plus(Duration.ofSeconds(ttl).multipliedBy(3).dividedBy(4)) : Instant.MAX);
        } catch (VaultException | RuntimeException e) {
            LOG.warnf("cannot %s the fixed Vault token (%s); trying again in %s", what, e.getClass().getSimpleName(),
                    RENEWAL_RETRY);
            return new Current(c.vault(), now.plus(RENEWAL_RETRY), c.looked());
        }
    }

    private Current login() {
        Vault anonymous = drivers.withToken(null);
        AuthResponse r;
        try {
            if (auth instanceof VaultSettings.AppRole a) {
                r = anonymous.auth().loginByAppRole(a.path(), a.roleId(), secretId(a));
            } else if (auth instanceof VaultSettings.Kubernetes k) {
                // the driver prefixes this path with "/v1/" only (AppRole's with "/v1/auth/")
                r = anonymous.auth().loginByKubernetes(k.role(), read(k.jwtFile(), "Kubernetes service-account token"),
                        "auth/" + k.path());
            } else {
                throw new IllegalStateException("no login for " + auth);
            }
        } catch (VaultException e) {
            throw loginFailure(e);
        }
        String token = r.getAuthClientToken();
        if (token == null || token.isBlank()) {
            throw new KmsException.AccessDenied("Vault login (" + method() + ") returned no client token");
        }
        long lease = r.getAuthLeaseDuration();
        Instant renewAfter = lease > 0 ? clock.instant().plus(Duration.ofSeconds(lease).multipliedBy(3).dividedBy(4))
                : Instant.MAX;
        return new Current(drivers.withToken(token), renewAfter);
    }

    private KmsException loginFailure(VaultException e) {
        int status = e.getHttpStatusCode();
        if (status == 0 && e.getCause() != null && !(e.getCause() instanceof RestException)) {
            // the driver throws NullPointerException on a login body without auth.policies or renewable
            return new KmsException.Unavailable("Vault login (" + method() + ") answer could not be read");
        }
        if (status == 0 || status >= 500 || status == 412) {
            return VaultErrors.fromDriver(TransitOp.LOGIN, null, e);
        }
        if (status == 200) {
            return new KmsException.Unavailable("Vault login (" + method() + ") answered with a non-JSON body");
        }
        return VaultErrors.fromResponse(TransitOp.LOGIN, null, status, bodyOf(e));
    }

    /** The driver puts the response body into its message after this marker; the errors are read from it. */
    private static byte[] bodyOf(VaultException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        int i = m.indexOf("Response body: ");
        return (i < 0 ? "" : m.substring(i + "Response body: ".length())).getBytes(StandardCharsets.UTF_8);
    }

    private String method() {
        return auth instanceof VaultSettings.AppRole ? "approle" : "kubernetes";
    }

    private static String secretId(VaultSettings.AppRole a) {
        return a.secretId().isPresent() ? a.secretId().get() : read(a.secretIdFile().orElseThrow(), "AppRole secret id");
    }

    private static String read(Path file, String what) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new KmsException.AccessDenied("cannot read the " + what + " file " + file + ": "
                    + e.getClass().getSimpleName());
        }
    }
}
