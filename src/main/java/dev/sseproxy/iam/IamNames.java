package dev.sseproxy.iam;

import java.util.regex.Pattern;

/**
 * IAM's constraints on names and paths, checked as IAM checks them (the messages are IAM's). The
 * patterns are fixed and the values bounded in length before they are matched.
 */
final class IamNames {
    static final String NAME_PATTERN = "[\\w+=,.@-]+";
    private static final Pattern NAME = Pattern.compile(NAME_PATTERN);
    static final String PATH_PATTERN = "(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)";
    static final String ACCESS_KEY_PATTERN = "[\\w]+";
    private static final Pattern ACCESS_KEY = Pattern.compile(ACCESS_KEY_PATTERN);
    static final int MAX_USER_NAME = 64;
    static final int MAX_POLICY_NAME = 128;
    static final int MAX_PATH = 512;
    static final int MAX_POLICY_ARN = 2048;

    private IamNames() {
    }

    /** A user name: 1 to 64 of {@code [\w+=,.@-]}. */
    static String userName(String member, String v) {
        return name(member, v, MAX_USER_NAME);
    }

    /** A policy name: 1 to 128 of {@code [\w+=,.@-]}. */
    static String policyName(String member, String v) {
        return name(member, v, MAX_POLICY_NAME);
    }

    private static String name(String member, String v, int max) {
        length(member, v, 1, max);
        if (!NAME.matcher(v).matches()) {
            throw IamException.invalid(member, v, "Member must satisfy regular expression pattern: " + NAME_PATTERN);
        }
        return v;
    }

    /** A path ({@code /} when absent): {@code /}, or {@code /.../} of printable ASCII, at most 512 characters. */
    static String path(String member, String v) {
        if (v == null) {
            return "/";
        }
        length(member, v, 1, MAX_PATH);
        boolean ok = v.equals("/") || v.length() >= 2 && v.charAt(0) == '/' && v.charAt(v.length() - 1) == '/'
                && v.chars().allMatch(c -> c >= 0x21 && c <= 0x7E);
        if (!ok) {
            throw IamException.invalid(member, v, "Member must satisfy regular expression pattern: " + PATH_PATTERN);
        }
        return v;
    }

    /** A path prefix ({@code /} when absent): starts with {@code /}, printable ASCII, at most 512 characters. */
    static String pathPrefix(String member, String v) {
        if (v == null) {
            return "/";
        }
        length(member, v, 1, MAX_PATH);
        if (v.charAt(0) != '/' || !v.chars().allMatch(c -> c >= 0x21 && c <= 0x7E)) {
            throw IamException.invalid(member, v,
                    "Member must satisfy regular expression pattern: \\u002F[\\u0021-\\u007F]*");
        }
        return v;
    }

    /** An access key id: 16 to 128 of {@code \w}. */
    static String accessKeyId(String member, String v) {
        length(member, v, 16, 128);
        if (!ACCESS_KEY.matcher(v).matches()) {
            throw IamException.invalid(member, v, "Member must satisfy regular expression pattern: " + ACCESS_KEY_PATTERN);
        }
        return v;
    }

    /** A required parameter. */
    static String required(String member, String v) {
        if (v == null) {
            throw IamException.invalid(member, null, "Member must not be null");
        }
        return v;
    }

    static void length(String member, String v, int min, int max) {
        required(member, v);
        if (v.length() < min) {
            throw IamException.invalid(member, v, "Member must have length greater than or equal to " + min);
        }
        if (v.length() > max) {
            // IAM echoes the value; a long one is cut so an error stays small
            throw IamException.invalid(member, v.substring(0, Math.min(v.length(), MAX_PATH)),
                    "Member must have length less than or equal to " + max);
        }
    }

    /** The parts of a customer managed policy's ARN in some account: {@code arn:aws:iam::<acct>:policy<path><name>}. */
    record PolicyArn(String accountId, String path, String name) {
    }

    /**
     * Parses a policy ARN; an ARN that is well formed but not a customer managed policy's (AWS managed
     * policies, {@code arn:aws:iam::aws:policy/...}, are not served) answers NoSuchEntity.
     */
    static PolicyArn policyArn(String member, String v) {
        length(member, v, 20, MAX_POLICY_ARN);
        String prefix = "arn:aws:iam::";
        if (!v.startsWith(prefix)) {
            throw new IamException(IamErrorCode.VALIDATION_ERROR, "ARN " + v + " is not valid.");
        }
        int colon = v.indexOf(':', prefix.length());
        if (colon < 0) {
            throw new IamException(IamErrorCode.VALIDATION_ERROR, "ARN " + v + " is not valid.");
        }
        String account = v.substring(prefix.length(), colon);
        String rest = v.substring(colon + 1);
        if (!rest.startsWith("policy/") || account.length() != 12 || !account.chars().allMatch(Character::isDigit)) {
            throw IamException.noSuchPolicy(v);
        }
        int lastSlash = rest.lastIndexOf('/');
        String path = rest.substring("policy".length(), lastSlash + 1);
        String name = rest.substring(lastSlash + 1);
        if (name.isEmpty() || name.length() > MAX_POLICY_NAME || !NAME.matcher(name).matches()) {
            throw IamException.noSuchPolicy(v);
        }
        return new PolicyArn(account, path, name);
    }
}
