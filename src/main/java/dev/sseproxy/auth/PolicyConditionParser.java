package dev.sseproxy.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Parses the three condition forms of a POST policy's {@code conditions} array. */
final class PolicyConditionParser {

    private PolicyConditionParser() {
    }

    /** Conditions expressed by one element of the array (an object may hold several). */
    static List<PolicyCondition> parse(JsonNode node) {
        if (node.isObject()) {
            List<PolicyCondition> out = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                out.add(new PolicyCondition.Eq(stripDollar(e.getKey()), scalar(e.getValue())));
            }
            return out;
        }
        if (!node.isArray() || node.size() != 3 || !node.get(0).isTextual()) {
            throw PostPolicy.invalid("Invalid Condition: " + node);
        }
        String op = node.get(0).asText().toLowerCase(Locale.ROOT);
        switch (op) {
            case "eq", "starts-with" -> {
                String field = node.get(1).isTextual() ? node.get(1).asText() : "";
                if (!field.startsWith("$") || field.length() < 2) {
                    throw PostPolicy.invalid("Invalid Condition: " + node);
                }
                String value = scalar(node.get(2));
                return List.of("eq".equals(op) ? new PolicyCondition.Eq(field.substring(1), value)
                        : new PolicyCondition.StartsWith(field.substring(1), value));
            }
            case "content-length-range" -> {
                long min = number(node.get(1), node);
                long max = number(node.get(2), node);
                if (min < 0 || max < min) {
                    throw PostPolicy.invalid("Invalid content-length-range: " + node);
                }
                return List.of(new PolicyCondition.ContentLengthRange(min, max));
            }
            default -> throw PostPolicy.invalid("Invalid Condition: unknown operation " + node.get(0));
        }
    }

    private static String stripDollar(String name) {
        return name.startsWith("$") ? name.substring(1) : name;
    }

    private static String scalar(JsonNode value) {
        if (value.isTextual() || value.isNumber() || value.isBoolean()) {
            return value.asText();
        }
        throw PostPolicy.invalid("Invalid Condition value: " + value);
    }

    private static long number(JsonNode value, JsonNode condition) {
        if (value.canConvertToLong() && value.isIntegralNumber()) {
            return value.asLong();
        }
        if (value.isTextual()) {
            try {
                return Long.parseLong(value.asText().trim());
            } catch (NumberFormatException e) {
                throw PostPolicy.invalid("Invalid content-length-range: " + condition);
            }
        }
        throw PostPolicy.invalid("Invalid content-length-range: " + condition);
    }
}
