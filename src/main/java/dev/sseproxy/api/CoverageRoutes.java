package dev.sseproxy.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sseproxy.catalog.CatalogException;
import dev.sseproxy.coverage.CoverageJson;
import dev.sseproxy.coverage.CoverageScanner;
import dev.sseproxy.coverage.CoverageStore;
import io.quarkus.vertx.http.ManagementInterface;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;

/**
 * The coverage view's admin routes on the management port, root-signed like every {@code /admin}
 * route ({@link AdminRoutes}); the JSON shape is in the {@code coverage} package documentation.
 * <ul>
 * <li>{@code GET /admin/coverage} — the snapshot this node serves; 404 {@code {"code":"NotFound"}}
 *     before the first scan</li>
 * <li>{@code POST /admin/coverage/scan} (body empty, {@code {}} or {@code {"bucket":"b"}}) — scans every
 *     bucket (or that one, its entry replaced in the current snapshot) under the cluster's
 *     {@code coverage-scan} lease and answers 201 with the new snapshot when the scan is done. 404 for a
 *     bucket not in the catalog; 503 {@code ServiceUnavailable} when a scan running elsewhere did not
 *     end within {@code sse-proxy.coverage.scan-wait}.</li>
 * </ul>
 */
@ApplicationScoped
public class CoverageRoutes {
    private final AdminRoutes admin;
    private final CoverageStore store;
    private final CoverageScanner scanner;

    public CoverageRoutes(AdminRoutes admin, CoverageStore store, CoverageScanner scanner) {
        this.admin = admin;
        this.store = store;
        this.scanner = scanner;
    }

    void init(@Observes ManagementInterface mi) {
        // the body is signed: read it whole (BodyHandler runs once per request, whoever registered it)
        mi.router().get("/admin/coverage").handler(BodyHandler.create().setBodyLimit(64 * 1024)).handler(rc -> admin.run(rc,
                () -> Uni.createFrom().item(() -> store.current().map(s -> (Object) CoverageJson.write(s))
                        .orElseThrow(() -> new CatalogException.NotFound(
                                "coverage snapshot (none was made yet: POST /admin/coverage/scan)")))));
        mi.router().post("/admin/coverage/scan").handler(BodyHandler.create().setBodyLimit(64 * 1024)).handler(rc -> admin.run(rc,
                () -> {
                    JsonNode body = AdminRoutes.json(rc);
                    JsonNode bucket = body.path("bucket");
                    if (!bucket.isMissingNode() && !bucket.isNull() && !bucket.isTextual()) {
                        return Uni.createFrom().failure(new IllegalArgumentException("bucket must be a bucket name"));
                    }
                    Optional<String> only = bucket.isTextual() && !bucket.asText().isEmpty()
                            ? Optional.of(bucket.asText()) : Optional.empty();
                    only.ifPresent(BucketOperations.CreateBucket::checkName);
                    return scanner.scan(only).map(CoverageJson::write);
                }));
    }
}
