package dev.sseproxy.api;

import dev.sseproxy.inventory.InventoryConfigurations;
import dev.sseproxy.inventory.InventoryReports;
import io.quarkus.vertx.http.ManagementInterface;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The S3 Inventory part of the admin API (root-signed, as {@link AdminRoutes}):
 * <ul>
 * <li>{@code POST /admin/inventory/run} {@code {"bucket":"b","id":"cfg"}} — produces that
 *     configuration's report now (whether enabled or not) and answers when it is delivered:
 *     {@code {"bucket":…,"id":…,"destinationBucket":…,"manifestKey":"<prefix>/b/cfg/2026-12-06T15-30Z/manifest.json",
 *     "files":n,"objects":n}}; 404 {@code NoSuchConfiguration}; a delivery the destination refuses is
 *     403 {@code AccessDenied} (and recorded as the configuration's last run).</li>
 * <li>{@code GET /admin/inventory} — every configuration with its last run: {@code {"configurations":[{"bucket":…,
 *     "id":…,"enabled":true,"frequency":"Daily","destinationBucket":…,"lastRunAt":…,"lastStatus":"DELIVERED"|"FAILED",
 *     "lastError":…,"lastManifest":…}]}}</li>
 * </ul>
 */
@ApplicationScoped
class InventoryAdminRoutes {
    private final AdminRoutes admin;
    private final InventoryReports reports;
    private final InventoryConfigurations configurations;

    InventoryAdminRoutes(AdminRoutes admin, InventoryReports reports, InventoryConfigurations configurations) {
        this.admin = admin;
        this.reports = reports;
        this.configurations = configurations;
    }

    void init(@Observes ManagementInterface mi) {
        // a body handler of its own: it does nothing when AdminRoutes' /admin/* one ran first
        mi.router().post("/admin/inventory/run").handler(BodyHandler.create().setBodyLimit(64 * 1024))
                .handler(rc -> admin.run(rc, () -> {
                    var body = AdminRoutes.json(rc);
                    String bucket = body.path("bucket").asText("");
                    String id = body.path("id").asText("");
                    if (bucket.isEmpty() || id.isEmpty()) {
                        return Uni.createFrom().failure(new IllegalArgumentException("bucket and id are required"));
                    }
                    return reports.run(bucket, id).map(r -> {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("bucket", r.bucket());
                        m.put("id", r.id());
                        m.put("destinationBucket", r.destinationBucket());
                        m.put("manifestKey", r.manifestKey());
                        m.put("files", r.files());
                        m.put("objects", r.objects());
                        return (Object) m;
                    });
                }));
        mi.router().get("/admin/inventory").handler(BodyHandler.create().setBodyLimit(64 * 1024)).handler(rc -> admin.run(rc, () -> configurations.all().map(all -> {
            List<Map<String, Object>> rows = all.stream().map(InventoryAdminRoutes::row).toList();
            return (Object) Map.of("configurations", rows);
        })));
    }

    private static Map<String, Object> row(InventoryConfigurations.Entry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bucket", e.bucket());
        m.put("id", e.config().id());
        m.put("enabled", e.config().enabled());
        m.put("frequency", e.config().weekly() ? "Weekly" : "Daily");
        m.put("destinationBucket", e.config().destinationBucket());
        m.put("lastRunAt", e.lastRunAt().map(Object::toString).orElse(null));
        m.put("lastStatus", e.lastStatus().orElse(null));
        m.put("lastError", e.lastError().orElse(null));
        m.put("lastManifest", e.lastManifest().orElse(null));
        return m;
    }
}
