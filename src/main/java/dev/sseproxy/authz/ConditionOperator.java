package dev.sseproxy.authz;

/**
 * The condition operators (package documentation), each with the type its values have, whether it is a
 * negated one (true when the request's value matches none of the policy's, and when the key is
 * missing), and, for numbers and dates, the comparison. A negated operator's {@code base} comparison is
 * its positive counterpart's ({@code StringNotEquals} compares as {@code StringEquals}).
 */
enum ConditionOperator {
    STRING_EQUALS("StringEquals", Type.STRING, false, 0),
    STRING_NOT_EQUALS("StringNotEquals", Type.STRING, true, 0),
    STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase", Type.STRING_IGNORE_CASE, false, 0),
    STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase", Type.STRING_IGNORE_CASE, true, 0),
    STRING_LIKE("StringLike", Type.STRING_LIKE, false, 0),
    STRING_NOT_LIKE("StringNotLike", Type.STRING_LIKE, true, 0),
    NUMERIC_EQUALS("NumericEquals", Type.NUMBER, false, Cmp.EQ),
    NUMERIC_NOT_EQUALS("NumericNotEquals", Type.NUMBER, true, Cmp.EQ),
    NUMERIC_LESS_THAN("NumericLessThan", Type.NUMBER, false, Cmp.LT),
    NUMERIC_LESS_THAN_EQUALS("NumericLessThanEquals", Type.NUMBER, false, Cmp.LE),
    NUMERIC_GREATER_THAN("NumericGreaterThan", Type.NUMBER, false, Cmp.GT),
    NUMERIC_GREATER_THAN_EQUALS("NumericGreaterThanEquals", Type.NUMBER, false, Cmp.GE),
    DATE_EQUALS("DateEquals", Type.DATE, false, Cmp.EQ),
    DATE_NOT_EQUALS("DateNotEquals", Type.DATE, true, Cmp.EQ),
    DATE_LESS_THAN("DateLessThan", Type.DATE, false, Cmp.LT),
    DATE_LESS_THAN_EQUALS("DateLessThanEquals", Type.DATE, false, Cmp.LE),
    DATE_GREATER_THAN("DateGreaterThan", Type.DATE, false, Cmp.GT),
    DATE_GREATER_THAN_EQUALS("DateGreaterThanEquals", Type.DATE, false, Cmp.GE),
    BOOL("Bool", Type.BOOL, false, 0),
    BINARY_EQUALS("BinaryEquals", Type.BINARY, false, 0),
    IP_ADDRESS("IpAddress", Type.IP, false, 0),
    NOT_IP_ADDRESS("NotIpAddress", Type.IP, true, 0),
    ARN_EQUALS("ArnEquals", Type.ARN, false, 0),
    ARN_LIKE("ArnLike", Type.ARN, false, 0),
    ARN_NOT_EQUALS("ArnNotEquals", Type.ARN, true, 0),
    ARN_NOT_LIKE("ArnNotLike", Type.ARN, true, 0),
    NULL("Null", Type.NULL, false, 0);

    /** How values compare. */
    enum Type { STRING, STRING_IGNORE_CASE, STRING_LIKE, NUMBER, DATE, BOOL, BINARY, IP, ARN, NULL }

    /** Comparisons of numbers and dates: request value {@code <op>} policy value. */
    static final class Cmp {
        static final int EQ = 1;
        static final int LT = 2;
        static final int LE = 3;
        static final int GT = 4;
        static final int GE = 5;

        private Cmp() {
        }
    }

    private final String policyName;
    private final Type type;
    private final boolean negated;
    private final int comparison;

    ConditionOperator(String policyName, Type type, boolean negated, int comparison) {
        this.policyName = policyName;
        this.type = type;
        this.negated = negated;
        this.comparison = comparison;
    }

    String policyName() {
        return policyName;
    }

    Type type() {
        return type;
    }

    boolean negated() {
        return negated;
    }

    /** Whether {@code c} (a {@code compareTo} result of request value against policy value) satisfies this operator. */
    boolean accepts(int c) {
        return switch (comparison) {
            case Cmp.EQ -> c == 0;
            case Cmp.LT -> c < 0;
            case Cmp.LE -> c <= 0;
            case Cmp.GT -> c > 0;
            case Cmp.GE -> c >= 0;
            default -> false;
        };
    }

    /** The operator named exactly {@code name} (no qualifier, no IfExists), or null. */
    static ConditionOperator named(String name) {
        for (ConditionOperator o : values()) {
            if (o.policyName.equals(name)) {
                return o;
            }
        }
        return null;
    }
}
