package dev.sseproxy.authz;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Resource or condition value of a policy, with its policy variables ({@code 2012-10-17} documents
 * only): {@code ${aws:username}}, {@code ${aws:userid}}, {@code ${aws:PrincipalAccount}}, or any other
 * request key, optionally with a default ({@code ${aws:username, 'nobody'}}); and the three escapes
 * {@code ${*}}, {@code ${?}}, {@code ${$}}, which stand for a literal {@code *}, {@code ?}, {@code $}.
 * Split into segments once when parsed; resolved per request in time linear in the result. Whatever a
 * variable puts into a pattern matches only itself (a user name holding {@code *} is no wildcard). A
 * variable whose key the request does not set, or sets to several values, and that has no default,
 * leaves the text unresolved: it then matches nothing.
 */
final class PolicyText {
    /** One piece: literal policy text (wildcards stay wildcards), or a variable. */
    private record Segment(String text, String variableKey, String defaultValue) {
    }

    private final String raw;
    private final List<Segment> segments; // null: no variables

    private PolicyText(String raw, List<Segment> segments) {
        this.raw = raw;
        this.segments = segments;
    }

    /** The text a policy gives, with variables when {@code variables} (the document's Version is 2012-10-17). */
    static PolicyText of(String raw, boolean variables) {
        if (!variables || !raw.contains("${")) {
            return new PolicyText(raw, null);
        }
        List<Segment> out = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < raw.length()) {
            int close = raw.startsWith("${", i) ? raw.indexOf('}', i + 2) : -1;
            if (close < 0) {
                literal.append(raw.charAt(i++));
                continue;
            }
            String inner = raw.substring(i + 2, close).trim();
            i = close + 1;
            if (inner.equals("*") || inner.equals("?") || inner.equals("$")) {
                flush(out, literal);
                out.add(new Segment(inner, null, null));
                continue;
            }
            String key = inner;
            String dflt = null;
            int comma = inner.indexOf(',');
            if (comma >= 0) {
                key = inner.substring(0, comma).trim();
                String d = inner.substring(comma + 1).trim();
                if (d.length() >= 2 && d.startsWith("'") && d.endsWith("'")) {
                    dflt = d.substring(1, d.length() - 1);
                }
            }
            flush(out, literal);
            out.add(new Segment(null, key.toLowerCase(Locale.ROOT), dflt));
        }
        flush(out, literal);
        return new PolicyText(raw, List.copyOf(out));
    }

    private static void flush(List<Segment> out, StringBuilder literal) {
        if (!literal.isEmpty()) {
            out.add(new Segment(literal.toString(), null, "")); // defaultValue "" marks policy text
            literal.setLength(0);
        }
    }

    String raw() {
        return raw;
    }

    boolean hasVariables() {
        return segments != null;
    }

    /** The keys this text's variables read (lower case). */
    List<String> variableKeys() {
        List<String> keys = new ArrayList<>();
        if (segments != null) {
            for (Segment s : segments) {
                if (s.variableKey != null) {
                    keys.add(s.variableKey);
                }
            }
        }
        return keys;
    }

    /** The text with this request's values put in, and which characters are literal; null: unresolved. */
    Resolved resolve(ConditionContext context) {
        if (segments == null) {
            return new Resolved(raw, null);
        }
        StringBuilder b = new StringBuilder();
        List<int[]> literalRuns = new ArrayList<>();
        for (Segment s : segments) {
            String piece;
            boolean literal;
            if (s.variableKey != null) {
                List<String> v = context.values(s.variableKey);
                piece = v.size() == 1 ? v.get(0) : s.defaultValue;
                literal = true;
            } else {
                piece = s.text;
                literal = s.defaultValue == null; // an escape: ${*} ${?} ${$}
            }
            if (piece == null) {
                return null;
            }
            if (literal) {
                literalRuns.add(new int[] {b.length(), b.length() + piece.length()});
            }
            b.append(piece);
        }
        boolean[] mask = new boolean[b.length()];
        for (int[] run : literalRuns) {
            for (int k = run[0]; k < run[1]; k++) {
                mask[k] = true;
            }
        }
        return new Resolved(b.toString(), mask);
    }

    /** Whether this text, as a wildcard pattern, matches {@code subject} (case-sensitively). */
    boolean matches(String subject, ConditionContext context) {
        Resolved r = resolve(context);
        return r != null && Wildcard.matches(r.text, r.literal, subject);
    }

    /** A resolved text; {@code literal} null: no character came from a variable. */
    record Resolved(String text, boolean[] literal) {
    }

    @Override
    public String toString() {
        return raw;
    }
}
