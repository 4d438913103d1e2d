package dev.sseproxy.kms;

import java.util.Objects;

/**
 * The name of a key at the KMS backend: a Transit key name for Vault, a keystore entry for the
 * local KMS. Which AWS key id, ARN or alias maps to which name is the key registry's business.
 *
 * <p>Names follow Transit's own rule ({@code \w(([\w-.]+)?\w)?}, ASCII) and are at most 128
 * characters, so a name can never leave its URL path segment ({@code /}, {@code ..}, {@code ?}).
 */
public record KeyRef(String name) {
    public KeyRef {
        Objects.requireNonNull(name, "name");
        if (!validName(name)) {
            throw new IllegalArgumentException("invalid KMS key name: 1-128 characters of letters, digits, "
                    + "'_', '-' and '.', starting and ending with a letter, digit or '_'");
        }
    }

    /** {@code [A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,126}[A-Za-z0-9_])?}, checked by hand (every KMS call builds one). */
    private static boolean validName(String name) {
        int n = name.length();
        if (n < 1 || n > 128 || !edge(name.charAt(0)) || !edge(name.charAt(n - 1))) {
            return false;
        }
        for (int i = 1; i < n - 1; i++) {
            char c = name.charAt(i);
            if (!edge(c) && c != '.' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean edge(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_';
    }

    public static KeyRef of(String name) {
        return new KeyRef(name);
    }
}
