package dev.sseproxy.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Refuses to start when a listener binds a non-loopback address while a secret still has the
 * well-known default value that ships in {@code application.properties} (and in this project's
 * README): the root account's secret key, the MinIO backend's secret key and the database password.
 * On 127.0.0.1 (the default outside a container) the defaults keep working for development; in a
 * container the chart binds {@code 0.0.0.0} and must supply real secrets.
 *
 * <p>The check runs as the first observer of the start event: Quarkus opens the HTTP and management
 * sockets only after every start observer has returned, so a refused start never listens on any
 * address. The message names each offending setting with the variable that sets it.
 */
@ApplicationScoped
public class ExposedDefaultSecrets {

    /** A secret setting, the environment variable that usually sets it, and its well-known default. */
    public record DefaultSecret(String property, String variable, String wellKnownDefault) {
    }

    /** Every secret in {@code application.properties} that has a default value. */
    public static final List<DefaultSecret> DEFAULTS = List.of(
            new DefaultSecret("sse-proxy.root.secret-key", "SSE_PROXY_ROOT_SECRET_KEY", "sseproxy-root-secret-change-me"),
            new DefaultSecret("sse-proxy.backend.secret-key", "SSE_PROXY_BACKEND_SECRET_KEY", "sseproxy-minio-secret"),
            new DefaultSecret("quarkus.datasource.password", "DB_PASSWORD", "sseproxy"));

    /** The listener settings checked: the S3 listener (HTTP and TLS share it) and the management one. */
    public static final List<String> LISTENERS = List.of("quarkus.http.host", "quarkus.management.host");

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent ev) {
        Config config = ConfigProvider.getConfig();
        check(name -> config.getOptionalValue(name, String.class));
    }

    /**
     * Throws {@link IllegalStateException} naming the exposed listeners and every secret that still
     * has its default, when any listener binds a non-loopback address; otherwise does nothing.
     *
     * @param settings the configuration (property name to value; empty when unset)
     */
    public static void check(Function<String, Optional<String>> settings) {
        List<String> exposed = new ArrayList<>();
        for (String listener : LISTENERS) {
            String host = settings.apply(listener).orElse("0.0.0.0");
            if (!isLoopback(host)) {
                exposed.add(listener + "=" + host);
            }
        }
        if (exposed.isEmpty()) {
            return;
        }
        List<String> offending = new ArrayList<>();
        for (DefaultSecret s : DEFAULTS) {
            if (settings.apply(s.property()).map(s.wellKnownDefault()::equals).orElse(false)) {
                offending.add(s.property() + " (" + s.variable() + ")");
            }
        }
        if (!offending.isEmpty()) {
            throw new IllegalStateException("sse-proxy refuses to start: a listener binds a non-loopback address ("
                    + String.join(", ", exposed) + ") while these settings still have their well-known default value: "
                    + String.join(", ", offending) + ". Set each to a secret of your own, or bind 127.0.0.1 "
                    + "(SSE_PROXY_HOST / SSE_PROXY_MANAGEMENT_HOST).");
        }
    }

    /** Convenience for tests: {@link #check(Function)} over a map. */
    public static void check(Map<String, String> settings) {
        check(name -> Optional.ofNullable(settings.get(name)));
    }

    /**
     * True when every address {@code host} names is a loopback address ({@code 127.0.0.0/8},
     * {@code ::1}, or a name such as {@code localhost} that resolves only to them). The wildcard
     * ({@code 0.0.0.0}, {@code ::}), any other address, a blank value and a name that does not resolve
     * count as exposed.
     */
    public static boolean isLoopback(String host) {
        String h = host.trim();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.isEmpty()) {
            return false;
        }
        try {
            InetAddress[] all = InetAddress.getAllByName(h);
            for (InetAddress a : all) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return all.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
