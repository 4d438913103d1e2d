package dev.sseproxy.api;

import dev.sseproxy.coverage.CoverageConfig;
import dev.sseproxy.coverage.CoverageJson;
import dev.sseproxy.coverage.CoverageStore;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.jboss.logging.Logger;

/**
 * The read-only coverage page on the management port, without authentication (as {@code /q/metrics}):
 * {@code GET /coverage} (and {@code /coverage/}) is one self-contained HTML file
 * ({@code src/main/resources/coverage/index.html}: no external script, style, font or image) whose
 * script fetches {@code GET /coverage/data.json} (the snapshot this node serves, the shape of
 * {@code GET /admin/coverage}; 404 {@code {"error":…}} before the first scan) and draws it.
 * {@code sse-proxy.coverage.page-enabled=false} leaves both routes out (404).
 *
 * <p>Headers: {@code Content-Type} with the charset, {@code X-Content-Type-Options: nosniff},
 * {@code Cache-Control: no-cache} (the page; revalidated) and {@code no-store} (the data), {@code
 * Referrer-Policy: no-referrer}, {@code X-Frame-Options: DENY}, and a Content-Security-Policy whose
 * only source is {@code 'self'}: {@code default-src 'self'}, no inline code but the page's own script
 * and style, allowed by their SHA-256 (computed from the file at start, so editing it cannot break
 * them), {@code object-src 'none'}, {@code base-uri 'none'}, {@code form-action 'none'}, {@code
 * frame-ancestors 'none'}.
 */
@ApplicationScoped
public class CoveragePage {
    static final String RESOURCE = "coverage/index.html";
    private static final Logger LOG = Logger.getLogger(CoveragePage.class);

    private final CoverageStore store;
    private final boolean enabled;
    private final byte[] html;
    private final String csp;

    public CoveragePage(CoverageStore store, CoverageConfig config) {
        this.store = store;
        this.enabled = config.pageEnabled();
        String page = load();
        this.html = page.getBytes(StandardCharsets.UTF_8);
        this.csp = "default-src 'self'; script-src 'self' '" + hash(between(page, "<script>", "</script>"))
                + "'; style-src 'self' '" + hash(between(page, "<style>", "</style>")) + "'; img-src 'self'; "
                + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    void init(@Observes ManagementInterface mi) {
        if (!enabled) {
            LOG.info("coverage page: off (sse-proxy.coverage.page-enabled=false)");
            return;
        }
        mi.router().get("/coverage").handler(this::page);
        mi.router().get("/coverage/").handler(this::page);
        mi.router().get("/coverage/data.json").handler(this::data);
    }

    private void page(RoutingContext rc) {
        headers(rc, "text/html; charset=utf-8", "no-cache").putHeader("Content-Security-Policy", csp)
                .end(io.vertx.core.buffer.Buffer.buffer(html));
    }

    private void data(RoutingContext rc) {
        var response = headers(rc, "application/json", "no-store");
        store.current().ifPresentOrElse(s -> response.end(CoverageJson.write(s).toString()),
                () -> response.setStatusCode(404).end("{\"error\":\"no coverage scan yet\"}"));
    }

    private static io.vertx.core.http.HttpServerResponse headers(RoutingContext rc, String type, String cache) {
        return rc.response().putHeader("Content-Type", type).putHeader("Cache-Control", cache)
                .putHeader("X-Content-Type-Options", "nosniff").putHeader("Referrer-Policy", "no-referrer")
                .putHeader("X-Frame-Options", "DENY");
    }

    private static String load() {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the application");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The text between the first {@code open} and the next {@code close} (an inline script or style). */
    static String between(String page, String open, String close) {
        int from = page.indexOf(open);
        int to = from < 0 ? -1 : page.indexOf(close, from);
        if (to < 0) {
            throw new IllegalStateException(RESOURCE + " has no " + open);
        }
        return page.substring(from + open.length(), to);
    }

    /** A CSP hash source ({@code sha256-<base64>}) of an inline script or style. */
    static String hash(String inline) {
        try {
            return "sha256-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(inline.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
