package dev.sseproxy.kms;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The name of a key at the KMS backend: a Transit key name for Vault, a keystore entry for the
 * local KMS. Which AWS key id, ARN or alias maps to which name is the key registry's business.
 *
 * <p>Names follow Transit's own rule ({@code \w(([\w-.]+)?\w)?}, ASCII) and are at most 128
 * characters, so a name can never leave its URL path segment ({@code /}, {@code ..}, {@code ?}).
 */
public record KeyRef(String name) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,126}[A-Za-z0-9_])?");

    public KeyRef {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid KMS key name: 1-128 characters of letters, digits, "
                    + "'_', '-' and '.', starting and ending with a letter, digit or '_'");
        }
    }

    public static KeyRef of(String name) {
        return new KeyRef(name);
    }
}
