package dev.sseproxy.kms.vault;

import dev.sseproxy.kms.KeyInfo;
import dev.sseproxy.kms.KmsException;
import io.github.jopenlibs.vault.json.JsonObject;
import io.github.jopenlibs.vault.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code data} objects of Transit's answers (shapes per Vault's Transit API
 * documentation): {@code {"plaintext","ciphertext"[,"key_version"]}} for datakey,
 * {@code {"ciphertext"[,"key_version"]}} for encrypt and rewrap, {@code {"plaintext"}} for decrypt,
 * and the key description ({@code latest_version}, {@code keys}, {@code min_decryption_version},
 * {@code derived}, {@code type}) for key reads (and, since Vault 1.12, key create/rotate/config).
 */
final class TransitAnswers {
    private static final Pattern VERSION = Pattern.compile("^vault:v([1-9][0-9]{0,8}):");

    private TransitAnswers() {
    }

    static String string(TransitOp op, JsonObject data, String field) {
        JsonValue v = data.get(field);
        if (v == null || !v.isString() || v.asString().isEmpty()) {
            throw new KmsException.Unavailable("Vault's answer to " + op.description + " lacks '" + field + "'");
        }
        return v.asString();
    }

    static byte[] base64(TransitOp op, JsonObject data, String field) {
        try {
            return Base64.getDecoder().decode(string(op, data, field));
        } catch (IllegalArgumentException e) {
            throw new KmsException.Unavailable("Vault's answer to " + op.description + " has a '" + field
                    + "' that is not base64");
        }
    }

    /** The key version of a ciphertext answer: {@code key_version} when Vault sends it, else its {@code vault:v<N>:} prefix. */
    static int keyVersion(TransitOp op, JsonObject data, String ciphertext) {
        int v = data.getInt("key_version", 0);
        if (v > 0) {
            return v;
        }
        Matcher m = VERSION.matcher(ciphertext);
        if (!m.find()) {
            throw new KmsException.Unavailable("Vault's answer to " + op.description + " has no key version");
        }
        return Integer.parseInt(m.group(1));
    }

    static byte[] ciphertextBytes(String ciphertext) {
        return ciphertext.getBytes(StandardCharsets.UTF_8);
    }

    /** A stored ciphertext back as Transit's string; bytes that are no ciphertext fail without a call. */
    static String ciphertextString(String keyName, byte[] ciphertext) {
        String s = new String(ciphertext, StandardCharsets.UTF_8);
        if (s.isEmpty() || !s.startsWith("vault:") || s.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new KmsException.InvalidCiphertext("not a Vault Transit ciphertext (transit key '" + keyName + "')");
        }
        return s;
    }

    /** Whether {@code data} describes a key (Vault 1.12+ answers create/rotate/config with it; older ones with 204). */
    static boolean describesKey(JsonObject data) {
        return data.get("latest_version") != null || data.get("keys") != null;
    }

    static KeyInfo keyInfo(String name, JsonObject data) {
        int latest = data.getInt("latest_version", 0);
        JsonValue keys = data.get("keys");
        if (latest == 0 && keys != null && keys.isObject()) {
            for (String version : keys.asObject().names()) {
                latest = Math.max(latest, Integer.parseInt(version));
            }
        }
        int min = Math.max(1, data.getInt("min_decryption_version", 1));
        if (latest < 1) {
            throw new KmsException.Unavailable("Vault's description of transit key '" + name + "' has no versions");
        }
        return new KeyInfo(name, latest, min);
    }

    /** Refuses keys that would not bind the context: not {@code aes256-gcm96}, or not derived. */
    static void requireContextBinding(String name, JsonObject data) {
        String type = data.getString("type", "");
        if (!VaultTransitKmsClient.KEY_TYPE.equals(type)) {
            throw new KmsException.UnusableKey("transit key '" + name + "' is of type '" + type + "', sse-proxy needs "
                    + VaultTransitKmsClient.KEY_TYPE);
        }
        if (!data.getBoolean("derived", false)) {
            throw new KmsException.UnusableKey("transit key '" + name + "' was created without derived=true: Vault would"
                    + " ignore the encryption context, so sse-proxy refuses it (create it with derived=true)");
        }
    }
}
