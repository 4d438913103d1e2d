package dev.sseproxy.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * A bucket's notification configuration in the domain: its rules (QueueConfiguration, TopicConfiguration,
 * LambdaFunctionConfiguration elements, in document order) and whether EventBridge delivery is on.
 * Stored as JSON ({@link #encode}, migration V24).
 */
public record NotificationConfiguration(List<Rule> rules, boolean eventBridge) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** The three kinds of S3 destination element. */
    public enum Kind { QUEUE, TOPIC, LAMBDA }

    /**
     * One destination element.
     *
     * @param id     its {@code Id} (generated when the document had none, as S3 does)
     * @param kind   which element it was
     * @param arn    the destination's ARN as given
     * @param events the event names as given ({@code s3:ObjectCreated:*}, ...)
     * @param prefix the {@code prefix} filter rule's value, or null
     * @param suffix the {@code suffix} filter rule's value, or null
     */
    public record Rule(String id, Kind kind, String arn, List<String> events, String prefix, String suffix) {
        public Rule {
            events = List.copyOf(events);
        }

        /** Whether an event named {@code eventName} ({@code ObjectCreated:Put}, no {@code s3:}) of {@code key} matches. */
        public boolean matches(String eventName, String key) {
            return EventNames.matchesAny(events, eventName) && (prefix == null || key.startsWith(prefix))
                    && (suffix == null || key.endsWith(suffix));
        }
    }

    public NotificationConfiguration {
        rules = List.copyOf(rules);
    }

    public static final NotificationConfiguration EMPTY = new NotificationConfiguration(List.of(), false);

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isEmpty() {
        return rules.isEmpty() && !eventBridge;
    }

    /** The rules an event of {@code key} matches. */
    public List<Rule> matching(String eventName, String key) {
        List<Rule> out = new ArrayList<>(1);
        for (Rule r : rules) {
            if (r.matches(eventName, key)) {
                out.add(r);
            }
        }
        return out;
    }

    public String encode() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static NotificationConfiguration decode(String json) {
        try {
            return JSON.readValue(json, NotificationConfiguration.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable notification configuration", e);
        }
    }
}
