package dev.sseproxy.inventory;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of S3 Inventory reports (package documentation, "Reports" and "Schedule"). */
@ConfigMapping(prefix = "sse-proxy.inventory")
public interface InventoryConfig {
    /**
     * How often the node that holds the {@code inventory-reports} lease looks for configurations whose
     * report is due (Daily: a day after the last run; Weekly: a week). A failed delivery is retried at
     * the next check.
     */
    @WithDefault("10m")
    Duration checkInterval();

    /** Produce scheduled reports at all (on-demand runs through the admin API work either way). */
    @WithDefault("true")
    boolean enabled();

    /** At most this many rows in one data file; the report goes on in a new file. */
    @WithDefault("1000000")
    long maxRowsPerFile();

    /** At most this much uncompressed CSV in one data file (its gzip bytes are held in memory while it is written). */
    @WithDefault("64M")
    io.quarkus.runtime.configuration.MemorySize maxFileSize();
}
