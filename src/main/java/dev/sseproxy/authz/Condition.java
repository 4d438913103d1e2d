package dev.sseproxy.authz;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One condition of a statement: an operator (with its {@code IfExists} and {@code ForAnyValue:} /
 * {@code ForAllValues:} forms), one key, and the policy's values for it (any of which may match). The
 * semantics, missing keys included, are the package documentation's.
 */
final class Condition {
    /** The set operator prefix for multi-valued keys. */
    enum Qualifier { NONE, FOR_ANY_VALUE, FOR_ALL_VALUES }

    private final ConditionOperator op;
    private final boolean ifExists;
    private final Qualifier qualifier;
    private final String key;
    private final String keyLower;
    private final List<PolicyText> texts; // string, ARN, binary and Bool operators
    private final List<Object> typed;     // numbers (BigDecimal), dates (Instant), CIDRs (IpRange), Null (Boolean)

    private Condition(ConditionOperator op, boolean ifExists, Qualifier qualifier, String key, List<PolicyText> texts,
            List<Object> typed) {
        this.op = op;
        this.ifExists = ifExists;
        this.qualifier = qualifier;
        this.key = key;
        this.keyLower = key.toLowerCase(Locale.ROOT);
        this.texts = texts;
        this.typed = typed;
    }

    /** An operator as a policy writes it: the operator, whether {@code ...IfExists}, and the set prefix. */
    record Operator(ConditionOperator op, boolean ifExists, Qualifier qualifier) {
    }

    /** The operator {@code name} as a policy writes it, split into its parts; null when it names none. */
    static Operator operator(String name) {
        Qualifier q = Qualifier.NONE;
        String rest = name;
        if (rest.startsWith("ForAnyValue:")) {
            q = Qualifier.FOR_ANY_VALUE;
            rest = rest.substring("ForAnyValue:".length());
        } else if (rest.startsWith("ForAllValues:")) {
            q = Qualifier.FOR_ALL_VALUES;
            rest = rest.substring("ForAllValues:".length());
        }
        boolean ifExists = rest.endsWith("IfExists");
        if (ifExists) {
            rest = rest.substring(0, rest.length() - "IfExists".length());
        }
        ConditionOperator op = ConditionOperator.named(rest);
        if (op == null || (ifExists && op == ConditionOperator.NULL)) {
            return null;
        }
        return new Operator(op, ifExists, q);
    }

    /**
     * A condition of {@code operator} on {@code key} with {@code values}; null when a value
     * does not parse as the operator's type (the caller refuses the document).
     */
    static Condition of(Operator operator, String key, List<String> values, boolean variables) {
        ConditionOperator op = operator.op();
        List<PolicyText> texts = new ArrayList<>();
        List<Object> typed = new ArrayList<>();
        for (String v : values) {
            switch (op.type()) {
                case NUMBER -> typed.add(number(v));
                case DATE -> typed.add(date(v));
                case IP -> typed.add(IpRange.parse(v));
                case NULL -> typed.add(bool(v));
                case BOOL -> {
                    if (bool(v) == null) {
                        return null;
                    }
                    texts.add(PolicyText.of(v, false));
                }
                case BINARY -> texts.add(PolicyText.of(v, false));
                default -> texts.add(PolicyText.of(v, variables));
            }
            if (!typed.isEmpty() && typed.get(typed.size() - 1) == null) {
                return null;
            }
        }
        return new Condition(op, operator.ifExists(), operator.qualifier(), key, List.copyOf(texts),
                List.copyOf(typed));
    }

    ConditionOperator op() {
        return op;
    }

    boolean ifExists() {
        return ifExists;
    }

    Qualifier qualifier() {
        return qualifier;
    }

    /** The key, lower case. */
    String keyLower() {
        return keyLower;
    }

    String key() {
        return key;
    }

    List<PolicyText> texts() {
        return texts;
    }

    List<Object> typed() {
        return typed;
    }

    /** Whether this condition holds for a request with {@code context}. */
    boolean holds(ConditionContext context) {
        List<String> request = context.values(keyLower);
        if (op == ConditionOperator.NULL) {
            boolean missing = request.isEmpty();
            for (Object want : typed) {
                if ((Boolean) want == missing) {
                    return true;
                }
            }
            return false;
        }
        if (request.isEmpty()) {
            if (ifExists || qualifier == Qualifier.FOR_ALL_VALUES) {
                return true;
            }
            return qualifier == Qualifier.NONE && op.negated();
        }
        switch (qualifier) {
            case FOR_ANY_VALUE -> {
                for (String r : request) {
                    if (matchesAny(r, context) != op.negated()) {
                        return true;
                    }
                }
                return false;
            }
            case FOR_ALL_VALUES -> {
                for (String r : request) {
                    if (matchesAny(r, context) == op.negated()) {
                        return false;
                    }
                }
                return true;
            }
            default -> {
                for (String r : request) {
                    if (matchesAny(r, context)) {
                        return !op.negated();
                    }
                }
                return op.negated();
            }
        }
    }

    /** Whether the request value {@code r} matches any of the policy's values under the base comparison. */
    private boolean matchesAny(String r, ConditionContext context) {
        switch (op.type()) {
            case NUMBER, DATE -> {
                Comparable<Object> value = requestValue(r);
                if (value == null) {
                    return false;
                }
                for (Object p : typed) {
                    if (op.accepts(value.compareTo(p))) {
                        return true;
                    }
                }
                return false;
            }
            case IP -> {
                byte[] address = IpRange.address(r);
                for (Object p : typed) {
                    if (((IpRange) p).contains(address)) {
                        return true;
                    }
                }
                return false;
            }
            default -> {
                for (PolicyText p : texts) {
                    if (textMatches(r, p, context)) {
                        return true;
                    }
                }
                return false;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Comparable<Object> requestValue(String r) {
        Object v = op.type() == ConditionOperator.Type.NUMBER ? number(r) : date(r);
        return (Comparable<Object>) v;
    }

    private boolean textMatches(String r, PolicyText p, ConditionContext context) {
        switch (op.type()) {
            case STRING_LIKE -> {
                return p.matches(r, context);
            }
            case ARN -> {
                PolicyText.Resolved resolved = p.resolve(context);
                return resolved != null && Arns.matches(resolved, r);
            }
            case BOOL -> {
                return p.raw().equalsIgnoreCase(r);
            }
            default -> {
                PolicyText.Resolved resolved = p.resolve(context);
                if (resolved == null) {
                    return false;
                }
                return op.type() == ConditionOperator.Type.STRING_IGNORE_CASE ? resolved.text().equalsIgnoreCase(r)
                        : resolved.text().equals(r);
            }
        }
    }

    /** A decimal number as policies write them; null when {@code s} is none. */
    static BigDecimal number(String s) {
        if (s.isEmpty() || s.length() > 64) {
            return null;
        }
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code true} / {@code false} in any case; null otherwise. */
    static Boolean bool(String s) {
        return "true".equalsIgnoreCase(s) ? Boolean.TRUE : "false".equalsIgnoreCase(s) ? Boolean.FALSE : null;
    }

    /**
     * A date as IAM reads one: epoch seconds ({@code 1357027200}), or ISO 8601 with an offset
     * ({@code 2013-01-01T00:00:00Z}, {@code 2013-01-01T00:00:00+01:00}), without one (UTC), or a bare day
     * (its midnight UTC). Null when {@code s} is none.
     */
    static Instant date(String s) {
        if (s.isEmpty() || s.length() > 40) {
            return null;
        }
        if (s.chars().allMatch(c -> c >= '0' && c <= '9') || (s.charAt(0) == '-' && s.length() > 1
                && s.substring(1).chars().allMatch(c -> c >= '0' && c <= '9'))) {
            try {
                return Instant.ofEpochSecond(Long.parseLong(s));
            } catch (NumberFormatException | java.time.DateTimeException e) {
                return null;
            }
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            // try the forms without an offset
        }
        try {
            return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // try a bare day
        }
        try {
            return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
