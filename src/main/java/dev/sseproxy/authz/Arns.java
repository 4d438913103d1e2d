package dev.sseproxy.authz;

import java.util.Arrays;

/**
 * ARN comparison for the {@code Arn*} condition operators: both ARNs are split into their six
 * colon-separated parts ({@code arn:partition:service:region:account:resource}, the resource keeping any
 * further colons), and each part of the policy's ARN, which may hold {@code *} and {@code ?}, must match
 * the request's part (case-sensitively), as IAM documents for {@code ArnEquals} and {@code ArnLike} alike.
 */
final class Arns {
    private Arns() {
    }

    static boolean matches(PolicyText.Resolved pattern, String arn) {
        int[] p = cuts(pattern.text());
        int[] a = cuts(arn);
        if (p == null || a == null) {
            return false;
        }
        for (int k = 0; k < 6; k++) {
            String pp = pattern.text().substring(p[k], p[k + 1] - 1);
            String ap = arn.substring(a[k], a[k + 1] - 1);
            boolean[] lit = pattern.literal() == null ? null
                    : Arrays.copyOfRange(pattern.literal(), p[k], p[k] + pp.length());
            if (!Wildcard.matches(pp, lit, ap)) {
                return false;
            }
        }
        return true;
    }

    /** Start offsets of the six parts, and the text's length plus one; null when there are fewer than six. */
    private static int[] cuts(String s) {
        int[] c = new int[7];
        int k = 1;
        for (int i = 0; i < s.length() && k < 6; i++) {
            if (s.charAt(i) == ':') {
                c[k++] = i + 1;
            }
        }
        if (k < 6) {
            return null;
        }
        c[6] = s.length() + 1;
        return c;
    }
}
