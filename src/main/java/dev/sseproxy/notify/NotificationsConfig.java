package dev.sseproxy.notify;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of event notifications (package documentation, "Destinations" and "Outbox"). */
@ConfigMapping(prefix = "sse-proxy.notifications")
public interface NotificationsConfig {
    /**
     * The destinations buckets may name, comma-separated {@code <name>=<destination>}: a destination is a
     * webhook URL ({@code http://...} or {@code https://...}, each message POSTed as JSON) or
     * {@code nats:<subject>} (published on {@link #natsUrl()}). A bucket names target {@code <name>} as
     * {@code arn:aws:sqs:<region>:<root account>:<name>} (QueueConfiguration) or
     * {@code arn:aws:sns:<region>:<root account>:<name>} (TopicConfiguration). Names: letters, digits, {@code -}, {@code _}.
     */
    Optional<List<String>> targets();

    /**
     * The targets (names of {@link #targets()}, comma-separated) that receive the EventBridge-style stream:
     * bucket management events as "AWS API Call via CloudTrail" events, and the object events of buckets
     * whose configuration has {@code EventBridgeConfiguration}. Unset: no stream.
     */
    Optional<List<String>> managementTargets();

    /** The NATS server(s) of {@code nats:} targets, e.g. {@code nats://127.0.0.1:4222}. */
    Optional<String> natsUrl();

    /** A NATS credentials file ({@code .creds}: user JWT and NKey seed) used to connect; unset: no credentials. */
    Optional<String> natsCredentialsFile();

    /** Most messages the outbox holds; past it new events are dropped (counted and logged), never held in memory. */
    @WithDefault("100000")
    int outboxCapacity();

    /** How often each node looks for due messages when no local event woke it. */
    @WithDefault("500ms")
    Duration pollInterval();

    /** Most messages one delivery round takes (and locks). */
    @WithDefault("100")
    int batchSize();

    /** The wait before the first retry of a failed delivery; doubled at each further failure. */
    @WithDefault("1s")
    Duration retryFirst();

    /** The longest wait between retries. */
    @WithDefault("5m")
    Duration retryMax();

    /** How long one delivery (a webhook POST, a NATS publish and flush) may take before it counts as failed. */
    @WithDefault("5s")
    Duration deliveryTimeout();
}
