package dev.sseproxy.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import dev.sseproxy.catalog.EventOutboxRows;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The durable outbox (table {@code event_outbox}, migration V24): messages are inserted here and a
 * {@link OutboxDispatcher} delivers and deletes them. Bounded: past
 * {@link NotificationsConfig#outboxCapacity()} rows (as the dispatcher last counted them) new messages are
 * dropped, counted in {@code sse_proxy_notifications_dropped_total} and logged; nothing is held in memory.
 */
@ApplicationScoped
public class EventOutbox {
    private static final Logger LOG = Logger.getLogger(EventOutbox.class);

    /** One message for one target. */
    public record Message(String target, String payload) {
    }

    private final EventOutboxRows rows;
    private final int capacity;
    private final AtomicLong depth = new AtomicLong();
    private final Counter dropped;
    private final Counter recorded;
    private volatile Runnable onAdded = () -> { };
    private volatile long lastDropLog;

    public EventOutbox(EventOutboxRows rows, NotificationsConfig config, MeterRegistry meters) {
        this.rows = rows;
        this.capacity = config.outboxCapacity();
        Gauge.builder("sse.proxy.notifications.outbox.depth", depth, AtomicLong::get)
                .description("event messages waiting in the outbox (as last counted)").register(meters);
        this.dropped = Counter.builder("sse.proxy.notifications.dropped")
                .description("event messages not recorded because the outbox was full (goal: 0)").register(meters);
        this.recorded = Counter.builder("sse.proxy.notifications.recorded")
                .description("event messages recorded in the outbox").register(meters);
    }

    /** Records messages; completes once they are committed (or dropped because the outbox is full). */
    public Uni<Void> add(List<Message> messages) {
        if (messages.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        if (depth.get() >= capacity) {
            dropped.increment(messages.size());
            long now = System.currentTimeMillis();
            if (now - lastDropLog > 10_000) {
                lastDropLog = now;
                LOG.errorf("notifications: the outbox holds %d messages (capacity %d); new events are dropped until it drains",
                        depth.get(), capacity);
            }
            return Uni.createFrom().voidItem();
        }
        return rows.insert(rows(messages)).invoke(() -> {
            recorded.increment(messages.size());
            depth.addAndGet(messages.size());
            onAdded.run();
        });
    }

    /** The messages as outbox rows. */
    static List<EventOutboxRows.NewRow> rows(List<Message> messages) {
        List<EventOutboxRows.NewRow> out = new ArrayList<>(messages.size());
        for (Message m : messages) {
            out.add(new EventOutboxRows.NewRow(m.target(), m.payload()));
        }
        return out;
    }

    /** Messages another path inserted (in its own transaction): counted, and the dispatcher woken. */
    void added(int n) {
        if (n > 0) {
            recorded.increment(n);
            depth.addAndGet(n);
            onAdded.run();
        }
    }

    void onAdded(Runnable r) {
        this.onAdded = r;
    }

    void depth(long d) {
        depth.set(d);
    }

    long depth() {
        return depth.get();
    }

    int capacity() {
        return capacity;
    }
}
