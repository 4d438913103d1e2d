package dev.sseproxy.inventory;

import dev.sseproxy.cluster.Leases;
import io.quarkus.runtime.Startup;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Runs the Daily and Weekly reports that are due (package documentation, "Schedule"): every
 * {@code sse-proxy.inventory.check-interval}, on the one node that holds the lease
 * {@code inventory-reports}, one report at a time. A report that failed is retried at the next check;
 * a node that dies mid-report leaves its configuration due, so the next holder of the lease runs it.
 */
@ApplicationScoped
@Startup
public class InventoryScheduler {
    private static final Logger LOG = Logger.getLogger(InventoryScheduler.class);
    static final String LEASE = "inventory-reports";

    private final InventoryConfigurations configurations;
    private final InventoryReports reports;
    private final InventoryConfig settings;
    private final Leases leases;
    private final Vertx vertx;
    private final Clock clock = Clock.systemUTC();
    private final AtomicBoolean running = new AtomicBoolean();
    private long timer = -1;

    public InventoryScheduler(InventoryConfigurations configurations, InventoryReports reports, InventoryConfig settings,
            Leases leases, Vertx vertx) {
        this.configurations = configurations;
        this.reports = reports;
        this.settings = settings;
        this.leases = leases;
        this.vertx = vertx;
    }

    @PostConstruct
    void start() {
        if (!settings.enabled()) {
            LOG.info("inventory reports: scheduled runs off (sse-proxy.inventory.enabled=false)");
            return;
        }
        leases.keep(LEASE);
        timer = vertx.setPeriodic(settings.checkInterval().toMillis(), t -> checkSoon());
    }

    @PreDestroy
    void stop() {
        if (timer != -1) {
            vertx.cancelTimer(timer);
        }
    }

    /** Runs the due reports on a fresh duplicated context unless a check is still running or another node leads. */
    void checkSoon() {
        if (leases.held(LEASE).isEmpty() || !running.compareAndSet(false, true)) {
            return;
        }
        io.vertx.core.Context ctx = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        ctx.runOnContext(v -> {
            VertxContextSafetyToggle.setCurrentContextSafe(true);
            runDue().eventually(() -> running.set(false)).subscribe().with(n -> {
                if (n > 0) {
                    LOG.infof("inventory reports: %d due reports run", n);
                }
            }, e -> LOG.warnf("inventory reports: the check failed (%s); retried in %s", e.getMessage(),
                    settings.checkInterval()));
        });
    }

    /** Every due report, one after the other (a failed one is recorded and does not stop the others). */
    Uni<Integer> runDue() {
        return configurations.due(clock.instant()).chain(due -> Multi.createFrom().iterable(due)
                .onItem().transformToUniAndConcatenate(e -> leases.held(LEASE).isEmpty()
                        ? Uni.createFrom().item(0)
                        : reports.run(e.bucket(), e.config()).map(r -> 1).onFailure().recoverWithItem(0))
                .collect().asList().map(l -> l.stream().mapToInt(Integer::intValue).sum()));
    }
}
