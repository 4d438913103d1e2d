package dev.sseproxy.notify;

import dev.sseproxy.config.SseProxyConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The admin-configured destinations ({@link NotificationsConfig#targets()}) and the ARNs buckets name them
 * by. S3 can only name ARNs; here {@code arn:aws:sqs:<region>:<root account>:<name>} and
 * {@code arn:aws:sns:<region>:<root account>:<name>} both name target {@code <name>}. A Lambda function
 * ARN names nothing: this endpoint runs no functions, so S3's "Unable to validate" refusal answers it.
 */
@ApplicationScoped
public class Targets {
    /** One destination: a webhook URL or a NATS subject. */
    public record Target(String name, URI webhook, String natsSubject) {
        public boolean nats() {
            return natsSubject != null;
        }
    }

    private final Map<String, Target> byName;
    private final String region;
    private final String account;
    private final List<Target> management;

    @jakarta.inject.Inject
    public Targets(NotificationsConfig config, SseProxyConfig proxy) {
        this(parse(config.targets().orElse(List.of())), config.managementTargets().orElse(List.of()), proxy.region(),
                proxy.root().accountId());
    }

    Targets(Map<String, Target> byName, List<String> management, String region, String account) {
        this.byName = byName;
        this.region = region;
        this.account = account;
        this.management = management.stream().map(String::trim).filter(m -> !m.isEmpty()).map(m -> {
            Target t = byName.get(m);
            if (t == null) {
                throw new IllegalArgumentException("sse-proxy.notifications.management-targets names no target: " + m);
            }
            return t;
        }).toList();
    }

    static Map<String, Target> parse(List<String> entries) {
        Map<String, Target> out = new LinkedHashMap<>();
        for (String e : entries) {
            String entry = e.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            String name = eq <= 0 ? "" : entry.substring(0, eq).trim();
            if (!validName(name)) {
                throw new IllegalArgumentException("sse-proxy.notifications.targets: entry '" + entry
                        + "' is not <name>=<destination> with a name of letters, digits, - and _");
            }
            String dest = entry.substring(eq + 1).trim();
            Target t;
            if (dest.startsWith("nats:") && dest.length() > 5) {
                t = new Target(name, null, dest.substring(5));
            } else if (dest.startsWith("http://") || dest.startsWith("https://")) {
                t = new Target(name, URI.create(dest), null);
            } else {
                throw new IllegalArgumentException("sse-proxy.notifications.targets: target " + name
                        + " is neither an http(s) URL nor nats:<subject>");
            }
            if (out.put(name, t) != null) {
                throw new IllegalArgumentException("sse-proxy.notifications.targets: target " + name + " is named twice");
            }
        }
        return out;
    }

    private static boolean validName(String name) {
        if (name.isEmpty() || name.length() > 80) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 128) && c != '-' && c != '_') {
                return false;
            }
        }
        return true;
    }

    /** The target an ARN of the given kind names, if any. */
    public Optional<Target> resolve(NotificationConfiguration.Kind kind, String arn) {
        String service = switch (kind) {
            case QUEUE -> "sqs";
            case TOPIC -> "sns";
            case LAMBDA -> null;
        };
        if (service == null || arn == null) {
            return Optional.empty();
        }
        String expected = "arn:aws:" + service + ":" + region + ":" + account + ":";
        if (!arn.startsWith(expected)) {
            return Optional.empty();
        }
        return Optional.ofNullable(byName.get(arn.substring(expected.length())));
    }

    /** A target by name (outbox rows name their target). */
    public Optional<Target> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The management targets (none: no EventBridge-style stream). */
    public List<Target> management() {
        return management;
    }

    public boolean anyNats() {
        return byName.values().stream().anyMatch(Target::nats);
    }
}
