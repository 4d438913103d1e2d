package dev.sseproxy.authz;

import java.util.HashMap;
import java.util.Map;

/**
 * IAM's wildcard match, without regular expressions: {@code *} matches any run of characters (none
 * included), {@code ?} exactly one; every other character matches itself (case-insensitively when
 * asked, as IAM compares action names). The whole text must match.
 *
 * <h2>Cost</h2>
 * A bit-parallel simulation of the pattern's automaton: the set of text positions the pattern read so
 * far can end at is a bit set of {@code |text| + 1} bits, and each pattern character updates it with
 * a shift and a mask ({@code ?}, a literal) or a fill ({@code *}). Time is
 * {@code O(|text| + |pattern| · ⌈(|text| + 1) / 64⌉)}, space {@code O(|text|)}, whatever the pattern:
 * no backtracking, so no pattern (such as {@code kms:} followed by 40 stars and a {@code q}) can make it
 * slow. For the texts it is used on, KMS action names of at most 63 characters, that is one word
 * operation per pattern character: linear in the pattern.
 */
public final class Wildcard {
    private Wildcard() {
    }

    /** Whether {@code pattern} matches the whole of {@code text}, characters compared exactly. */
    public static boolean matches(String pattern, String text) {
        return matches(pattern, text, false);
    }

    /** Whether {@code pattern} matches the whole of {@code text}, ignoring case (as IAM action names do). */
    public static boolean matchesIgnoreCase(String pattern, String text) {
        return matches(pattern, text, true);
    }

    /**
     * Like {@link #matches(String, String)}, but a pattern character whose {@code literal} flag is set
     * matches only itself, even a {@code *} or {@code ?} (the text a policy variable such as
     * {@code ${*}} or {@code ${aws:username}} put into the pattern).
     */
    static boolean matches(String pattern, boolean[] literal, String text) {
        return matches(pattern, literal, text, false);
    }

    private static boolean matches(String pattern, String text, boolean ignoreCase) {
        return matches(pattern, null, text, ignoreCase);
    }

    private static boolean matches(String pattern, boolean[] literal, String text, boolean ignoreCase) {
        int firstWildcard = firstWildcard(pattern, literal);
        if (firstWildcard < 0) { // no wildcard: a comparison
            return pattern.length() == text.length() && text.regionMatches(ignoreCase, 0, pattern, 0, pattern.length());
        }
        if (firstWildcard == pattern.length() - 1 && pattern.charAt(firstWildcard) == '*') { // a prefix and one star
            return text.length() >= firstWildcard && text.regionMatches(ignoreCase, 0, pattern, 0, firstWildcard);
        }
        int n = text.length();
        int words = (n + 1 + 63) >>> 6;
        // masks.get(c): bit j+1 set where text[j] == c (the positions a literal c can move to)
        Map<Character, long[]> masks = new HashMap<>();
        for (int j = 0; j < n; j++) {
            masks.computeIfAbsent(fold(text.charAt(j), ignoreCase), c -> new long[words])[(j + 1) >>> 6] |= 1L << (j + 1);
        }
        long[] valid = new long[words];
        for (int j = 0; j <= n; j++) {
            valid[j >>> 6] |= 1L << j;
        }
        long[] state = new long[words];
        state[0] = 1L; // the empty prefix of the pattern ends at position 0
        for (int i = 0; i < pattern.length(); i++) {
            char p = pattern.charAt(i);
            boolean plain = literal != null && literal[i];
            if (p == '*' && !plain) {
                if (!fillFromLowest(state, valid)) {
                    return false;
                }
            } else {
                long[] mask = p == '?' && !plain ? valid : masks.get(fold(p, ignoreCase));
                if (mask == null || !shiftAnd(state, mask)) {
                    return false;
                }
            }
        }
        return (state[n >>> 6] & (1L << n)) != 0;
    }

    /** The index of the pattern's first {@code *} or {@code ?} that is not literal, or -1. */
    private static int firstWildcard(String pattern, boolean[] literal) {
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if ((c == '*' || c == '?') && (literal == null || !literal[i])) {
                return i;
            }
        }
        return -1;
    }

    /** {@code state = {j : j >= min(state)} ∩ valid}; false when the state is empty. */
    private static boolean fillFromLowest(long[] state, long[] valid) {
        int w = 0;
        while (w < state.length && state[w] == 0) {
            w++;
        }
        if (w == state.length) {
            return false;
        }
        state[w] = -Long.lowestOneBit(state[w]) & valid[w]; // the lowest set bit and every bit above it
        for (int k = w + 1; k < state.length; k++) {
            state[k] = valid[k];
        }
        return true;
    }

    /** {@code state = (state << 1) & mask}; false when the result is empty. */
    private static boolean shiftAnd(long[] state, long[] mask) {
        long carry = 0;
        long any = 0;
        for (int k = 0; k < state.length; k++) {
            long next = state[k] >>> 63;
            state[k] = ((state[k] << 1) | carry) & mask[k];
            carry = next;
            any |= state[k];
        }
        return any != 0;
    }

    private static char fold(char c, boolean ignoreCase) {
        return ignoreCase ? Character.toLowerCase(Character.toUpperCase(c)) : c;
    }
}
