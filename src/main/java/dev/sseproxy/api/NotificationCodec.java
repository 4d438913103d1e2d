package dev.sseproxy.api;

import dev.sseproxy.api.xml.NotificationXml;
import dev.sseproxy.api.xml.S3Xml;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.notify.EventNames;
import dev.sseproxy.notify.NotificationConfiguration;
import dev.sseproxy.notify.NotificationConfiguration.Kind;
import dev.sseproxy.notify.NotificationConfiguration.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BiPredicate;

/**
 * The {@code NotificationConfiguration} document and its validation, in S3's order of checks: the XML
 * (MalformedXML: no ARN element, no Event), the event names ("The event is not supported for
 * notifications"), the filter rules ("filter rule name must be either prefix or suffix", one prefix and one
 * suffix at most), overlapping rules ("Configurations overlap..."), then the destinations ("Unable to
 * validate the following destination configurations", naming each ARN no configured target answers).
 */
final class NotificationCodec {
    static final String OVERLAP = "Configurations overlap. Configurations on the same bucket cannot share a common event type.";
    static final String UNVALIDATED = "Unable to validate the following destination configurations";

    private NotificationCodec() {
    }

    static NotificationConfiguration parse(byte[] body, BiPredicate<Kind, String> resolvable) {
        NotificationXml.ConfigurationXml x = S3Xml.read(body, NotificationXml.ConfigurationXml.class);
        List<Rule> rules = new ArrayList<>();
        for (NotificationXml.DestinationXml d : nullSafe(x.topics)) {
            rules.add(rule(d, Kind.TOPIC, d.topic));
        }
        for (NotificationXml.DestinationXml d : nullSafe(x.queues)) {
            rules.add(rule(d, Kind.QUEUE, d.queue));
        }
        for (NotificationXml.DestinationXml d : nullSafe(x.functions)) {
            rules.add(rule(d, Kind.LAMBDA, d.cloudFunction));
        }
        if (rules.size() > 100) {
            throw S3Exception.invalidArgument("A bucket can have at most 100 notification configurations.", null, null);
        }
        for (int i = 0; i < rules.size(); i++) {
            for (int j = i + 1; j < rules.size(); j++) {
                if (overlap(rules.get(i), rules.get(j))) {
                    throw S3Exception.invalidArgument(OVERLAP, null, null);
                }
            }
        }
        for (Rule r : rules) {
            if (!resolvable.test(r.kind(), r.arn())) {
                String why = switch (r.kind()) {
                    case QUEUE -> "The destination queue does not exist";
                    case TOPIC -> "The destination topic does not exist";
                    case LAMBDA -> "Not authorized to invoke function [" + r.arn() + "]";
                };
                throw S3Exception.invalidArgument(UNVALIDATED, r.arn(), why);
            }
        }
        return new NotificationConfiguration(rules, x.eventBridge != null);
    }

    private static <T> List<T> nullSafe(List<T> l) {
        return l == null ? List.of() : l;
    }

    private static Rule rule(NotificationXml.DestinationXml d, Kind kind, String arn) {
        if (arn == null || arn.isBlank() || d.events == null || d.events.isEmpty()) {
            throw S3Exception.malformedXml();
        }
        List<String> events = new ArrayList<>();
        for (String e : d.events) {
            String name = e == null ? "" : e.trim();
            if (!EventNames.SUPPORTED.contains(name)) {
                throw S3Exception.invalidArgument("The event is not supported for notifications", "Event", name);
            }
            if (!events.contains(name)) {
                events.add(name);
            }
        }
        String prefix = null;
        String suffix = null;
        if (d.filter != null && d.filter.s3Key != null && d.filter.s3Key.rules != null) {
            for (NotificationXml.FilterRuleXml f : d.filter.s3Key.rules) {
                if (f.name == null || f.value == null) {
                    throw S3Exception.malformedXml();
                }
                switch (f.name.trim().toLowerCase(java.util.Locale.ROOT)) {
                    case "prefix" -> {
                        if (prefix != null) {
                            throw S3Exception.invalidArgument("Cannot specify more than one prefix rule in a filter.",
                                    "FilterRule.Name", f.name);
                        }
                        prefix = f.value;
                    }
                    case "suffix" -> {
                        if (suffix != null) {
                            throw S3Exception.invalidArgument("Cannot specify more than one suffix rule in a filter.",
                                    "FilterRule.Name", f.name);
                        }
                        suffix = f.value;
                    }
                    default -> throw S3Exception.invalidArgument("filter rule name must be either prefix or suffix",
                            "FilterRule.Name", f.name);
                }
            }
        }
        String id = d.id == null || d.id.isBlank() ? generatedId() : d.id.trim();
        if (id.length() > 1024) {
            throw S3Exception.invalidArgument("The Id of a notification configuration is longer than 1024 characters.",
                    "Id", null);
        }
        return new Rule(id, kind, arn.trim(), events, empty(prefix), empty(suffix));
    }

    private static String empty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** S3 names an unnamed configuration with a random id. */
    private static String generatedId() {
        return UUID.randomUUID().toString();
    }

    /**
     * Whether two rules can fire on one event: they share an event type and some key can pass both filters
     * (prefixes overlap when one starts with the other, suffixes when one ends with the other; a missing
     * filter matches every key).
     */
    static boolean overlap(Rule a, Rule b) {
        boolean common = false;
        for (String ea : a.events()) {
            for (String eb : b.events()) {
                common |= EventNames.overlap(ea, eb);
            }
        }
        if (!common) {
            return false;
        }
        boolean prefixes = a.prefix() == null || b.prefix() == null || a.prefix().startsWith(b.prefix())
                || b.prefix().startsWith(a.prefix());
        boolean suffixes = a.suffix() == null || b.suffix() == null || a.suffix().endsWith(b.suffix())
                || b.suffix().endsWith(a.suffix());
        return prefixes && suffixes;
    }

    static NotificationXml.ConfigurationXml document(NotificationConfiguration c) {
        NotificationXml.ConfigurationXml x = new NotificationXml.ConfigurationXml();
        for (Rule r : c.rules()) {
            NotificationXml.DestinationXml d = new NotificationXml.DestinationXml();
            d.id = r.id();
            d.events = r.events();
            switch (r.kind()) {
                case TOPIC -> {
                    d.topic = r.arn();
                    x.topics.add(d);
                }
                case QUEUE -> {
                    d.queue = r.arn();
                    x.queues.add(d);
                }
                case LAMBDA -> {
                    d.cloudFunction = r.arn();
                    x.functions.add(d);
                }
            }
            if (r.prefix() != null || r.suffix() != null) {
                d.filter = new NotificationXml.FilterXml();
                d.filter.s3Key = new NotificationXml.S3KeyXml();
                d.filter.s3Key.rules = new ArrayList<>();
                if (r.prefix() != null) {
                    d.filter.s3Key.rules.add(filterRule("Prefix", r.prefix()));
                }
                if (r.suffix() != null) {
                    d.filter.s3Key.rules.add(filterRule("Suffix", r.suffix()));
                }
            }
        }
        if (x.topics.isEmpty()) {
            x.topics = null;
        }
        if (x.queues.isEmpty()) {
            x.queues = null;
        }
        if (x.functions.isEmpty()) {
            x.functions = null;
        }
        x.eventBridge = c.eventBridge() ? "" : null;
        return x;
    }

    private static NotificationXml.FilterRuleXml filterRule(String name, String value) {
        NotificationXml.FilterRuleXml f = new NotificationXml.FilterRuleXml();
        f.name = name;
        f.value = value;
        return f;
    }
}
