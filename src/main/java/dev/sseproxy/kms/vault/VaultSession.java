package dev.sseproxy.kms.vault;

import dev.sseproxy.kms.KmsException;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.response.AuthResponse;
import io.github.jopenlibs.vault.rest.RestException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The Vault token this adapter calls with. A fixed token is used as it is. With AppRole or
 * Kubernetes auth the session logs in on first use, logs in again once three quarters of the token's
 * lease have passed (by the injected {@link Clock}), and after Vault answers 403 (a revoked or
 * expired token). Logins are serialised; a driver instance is immutable once published.
 * Blocking: call from a worker thread.
 */
final class VaultSession {
    private final VaultSettings.Auth auth;
    private final VaultDrivers drivers;
    private final Clock clock;
    private final Object loginLock = new Object();
    private volatile Current current;

    private record Current(Vault vault, Instant renewAfter) {
    }

    VaultSession(VaultSettings settings, VaultDrivers drivers, Clock clock) {
        this.auth = settings.auth();
        this.drivers = drivers;
        this.clock = clock;
        if (auth instanceof VaultSettings.Token t) {
            this.current = new Current(drivers.withToken(t.token()), Instant.MAX);
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
                c = login();
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
