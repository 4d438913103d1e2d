package dev.sseproxy.notify;

import dev.sseproxy.config.SseProxyConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The entry point of object events: what a bucket's configuration makes of an event (one S3 message per
 * matching rule, one EventBridge event when EventBridge delivery is on), recorded in the {@link EventOutbox}.
 */
@ApplicationScoped
public class Notifications {
    private static final Logger LOG = Logger.getLogger(Notifications.class);
    private final NotificationConfigurations configs;
    private final Targets targets;
    private final EventOutbox outbox;
    private final EventMessages messages;

    public Notifications(NotificationConfigurations configs, Targets targets, EventOutbox outbox, SseProxyConfig config) {
        this.configs = configs;
        this.targets = targets;
        this.outbox = outbox;
        this.messages = new EventMessages(config.region());
    }

    /** The bucket's configuration, from memory (no query): empty for a bucket without one. */
    public Optional<NotificationConfiguration> configuration(String bucket) {
        return configs.of(bucket);
    }

    /** Records the messages of one object event; completes once they are committed. */
    public Uni<Void> record(ObjectEvent e) {
        Optional<NotificationConfiguration> c = configs.of(e.bucket());
        if (c.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return outbox.add(messagesOf(c.get(), e));
    }

    List<EventOutbox.Message> messagesOf(NotificationConfiguration c, ObjectEvent e) {
        List<EventOutbox.Message> out = new ArrayList<>(1);
        for (NotificationConfiguration.Rule r : c.matching(e.eventName(), e.key())) {
            Optional<Targets.Target> t = targets.resolve(r.kind(), r.arn());
            if (t.isEmpty()) {
                LOG.warnf("notifications: bucket %s names %s, which is no longer a configured target; event not sent",
                        e.bucket(), r.arn());
                continue;
            }
            out.add(new EventOutbox.Message(t.get().name(), messages.s3Event(e, r.id())));
        }
        // EventBridge has no replication events (S3 sends those to notification destinations only)
        if (c.eventBridge() && !targets.management().isEmpty() && !e.eventName().startsWith("Replication:")) {
            String payload = messages.eventBridgeObject(e);
            for (Targets.Target t : targets.management()) {
                out.add(new EventOutbox.Message(t.name(), payload));
            }
        }
        return out;
    }

    /**
     * Stores a bucket's configuration, with an {@code s3:TestEvent} for each destination it names that the
     * previous one did not (as S3 does on a successful put).
     */
    public Uni<Void> store(String bucket, NotificationConfiguration next, Instant time, String requestId, String hostId) {
        Set<String> before = new HashSet<>();
        configs.of(bucket).ifPresent(prev -> prev.rules().forEach(r -> before.add(r.arn())));
        List<EventOutbox.Message> tests = new ArrayList<>();
        Set<String> sent = new HashSet<>();
        for (NotificationConfiguration.Rule r : next.rules()) {
            if (!before.contains(r.arn()) && sent.add(r.arn())) {
                targets.resolve(r.kind(), r.arn()).ifPresent(t -> tests.add(
                        new EventOutbox.Message(t.name(), messages.testEvent(bucket, time, requestId, hostId))));
            }
        }
        return configs.store(bucket, next, tests).invoke(() -> outbox.added(tests.size()));
    }

    /** Whether the ARN names a configured target. */
    public boolean resolvable(NotificationConfiguration.Kind kind, String arn) {
        return targets.resolve(kind, arn).isPresent();
    }
}
