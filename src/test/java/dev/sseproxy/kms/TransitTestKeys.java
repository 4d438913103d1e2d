package dev.sseproxy.kms;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key engine behind {@link TransitTestServer}: Transit's semantics for {@code aes256-gcm96}
 * keys, with the behaviour and error texts of Vault's {@code builtin/logical/transit} and
 * {@code sdk/helper/keysutil/policy.go}:
 * <ul>
 * <li>ciphertext {@code vault:v<N>:base64(nonce(12) || AES-GCM ciphertext || tag)}; version 0 reads as 1;</li>
 * <li>derived keys: the per-context key is HKDF-SHA256(version key, salt none, info = context), 32 bytes,
 *     and a missing context is refused; non-derived keys ignore the context entirely (policy.go
 *     {@code GetKey}: "Fast-path non-derived keys");</li>
 * <li>errors (all 400): {@code encryption key not found} (datakey, encrypt, decrypt, rewrap),
 *     {@code key not found} (rotate), {@code no existing key named <n> could be found} (config),
 *     {@code invalid ciphertext: no prefix | wrong number of fields | version number could not be decoded
 *     | version is too new | could not decode base64}, {@code invalid ciphertext length},
 *     {@code ciphertext or signature version is disallowed by policy (too old)},
 *     {@code cipher: message authentication failed} (Go's GCM open error),
 *     {@code cannot set min decryption version of <m>, latest key version is <n>}.</li>
 * </ul>
 * Key descriptions have the fields of {@code formatKeyPolicy} (Vault 1.12+), a superset of the
 * "Read key" sample response of the Transit API documentation.
 */
final class TransitTestKeys {
    static final String TYPE = "aes256-gcm96";
    private static final String MISSING_CONTEXT = "missing 'context' for key derivation; the key was created using a "
            + "derived key, which means additional, per-request information must be included in order to perform "
            + "operations with the key";

    /** A refusal with Vault's status and error text. */
    static final class Refusal extends RuntimeException {
        final int status;

        Refusal(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private static final class Key {
        final String name;
        final boolean derived;
        final List<byte[]> versions = new ArrayList<>();
        final List<Long> created = new ArrayList<>();
        int minDecryptionVersion = 1;

        Key(String name, boolean derived) {
            this.name = name;
            this.derived = derived;
        }
    }

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Key> keys = new HashMap<>();

    TransitTestKeys(Clock clock) {
        this.clock = clock;
    }

    synchronized boolean exists(String name) {
        return keys.containsKey(name);
    }

    /** POST keys/:name. An existing key is returned unchanged (Vault upserts, parameters are ignored). */
    synchronized Map<String, Object> create(String name, String type, boolean derived) {
        if (!keys.containsKey(name)) {
            if (!TYPE.equals(type)) {
                throw new Refusal(400, "unknown key type: " + type);
            }
            Key k = new Key(name, derived);
            addVersion(k);
            keys.put(name, k);
        }
        return describe(name);
    }

    /** GET keys/:name; null when there is no such key (Vault then answers 404 with {"errors":[]}). */
    synchronized Map<String, Object> describe(String name) {
        Key k = keys.get(name);
        if (k == null) {
            return null;
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("allow_plaintext_backup", false);
        d.put("auto_rotate_period", 0);
        d.put("deletion_allowed", false);
        d.put("derived", k.derived);
        d.put("exportable", false);
        d.put("imported_key", false);
        Map<String, Long> versions = new LinkedHashMap<>();
        for (int i = 0; i < k.versions.size(); i++) {
            versions.put(Integer.toString(i + 1), k.created.get(i));
        }
        d.put("keys", versions);
        if (k.derived) {
            d.put("kdf", "hkdf_sha256");
            d.put("convergent_encryption", false);
        }
        d.put("latest_version", k.versions.size());
        d.put("min_available_version", 0);
        d.put("min_decryption_version", k.minDecryptionVersion);
        d.put("min_encryption_version", 0);
        d.put("name", k.name);
        d.put("supports_decryption", true);
        d.put("supports_derivation", true);
        d.put("supports_encryption", true);
        d.put("supports_signing", false);
        d.put("type", TYPE);
        return d;
    }

    synchronized Map<String, Object> rotate(String name) {
        Key k = keys.get(name);
        if (k == null) {
            throw new Refusal(400, "key not found");
        }
        addVersion(k);
        return describe(name);
    }

    synchronized Map<String, Object> configure(String name, Integer minDecryptionVersion) {
        Key k = keys.get(name);
        if (k == null) {
            throw new Refusal(400, "no existing key named " + name + " could be found");
        }
        if (minDecryptionVersion != null) {
            int min = minDecryptionVersion;
            if (min < 0) {
                throw new Refusal(400, "min decryption version cannot be negative");
            }
            min = Math.max(1, min);
            if (min > k.versions.size()) {
                throw new Refusal(400, "cannot set min decryption version of " + min + ", latest key version is "
                        + k.versions.size());
            }
            k.minDecryptionVersion = min;
        }
        return describe(name);
    }

    synchronized Map<String, Object> datakey(String name, String type, String context, int bits) {
        if (!"plaintext".equals(type) && !"wrapped".equals(type)) {
            throw new Refusal(400, "Invalid path, must be 'plaintext' or 'wrapped'");
        }
        if (bits != 128 && bits != 256 && bits != 512) {
            throw new Refusal(400, "invalid bit length");
        }
        byte[] fresh = new byte[bits / 8];
        random.nextBytes(fresh);
        Key k = require(name);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("ciphertext", seal(k, decode(context, "failed to base64-decode context"), fresh));
        d.put("key_version", k.versions.size());
        if ("plaintext".equals(type)) {
            d.put("plaintext", Base64.getEncoder().encodeToString(fresh));
        }
        return d;
    }

    synchronized Map<String, Object> encrypt(String name, String plaintext, String context) {
        Key k = require(name);
        byte[] pt = decode(plaintext, "failed to base64-decode plaintext");
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("ciphertext", seal(k, decode(context, "failed to base64-decode context"), pt));
        d.put("key_version", k.versions.size());
        return d;
    }

    synchronized Map<String, Object> decrypt(String name, String ciphertext, String context) {
        if (ciphertext == null || ciphertext.isEmpty()) {
            throw new Refusal(400, "missing ciphertext to decrypt");
        }
        Key k = require(name);
        byte[] pt = open(k, decode(context, "failed to base64-decode context"), ciphertext);
        return Map.of("plaintext", Base64.getEncoder().encodeToString(pt));
    }

    synchronized Map<String, Object> rewrap(String name, String ciphertext, String context) {
        if (ciphertext == null || ciphertext.isEmpty()) {
            throw new Refusal(400, "missing ciphertext to decrypt");
        }
        Key k = require(name);
        byte[] ctx = decode(context, "failed to base64-decode context");
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("ciphertext", seal(k, ctx, open(k, ctx, ciphertext)));
        d.put("key_version", k.versions.size());
        return d;
    }

    private Key require(String name) {
        Key k = keys.get(name);
        if (k == null) {
            throw new Refusal(400, "encryption key not found");
        }
        return k;
    }

    private void addVersion(Key k) {
        byte[] material = new byte[32];
        random.nextBytes(material);
        k.versions.add(material);
        k.created.add(clock.instant().getEpochSecond());
    }

    private static byte[] decode(String b64, String error) {
        if (b64 == null || b64.isEmpty()) {
            return new byte[0];
        }
        try {
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new Refusal(400, error);
        }
    }

    private byte[] keyFor(Key k, int version, byte[] context) {
        byte[] base = k.versions.get(version - 1);
        if (!k.derived) {
            return base;
        }
        if (context.length == 0) {
            throw new Refusal(400, MISSING_CONTEXT);
        }
        return hkdfSha256(base, context);
    }

    private String seal(Key k, byte[] context, byte[] plaintext) {
        int version = k.versions.size();
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keyFor(k, version, context), "AES"), new GCMParameterSpec(128, nonce));
            byte[] ct = c.doFinal(plaintext);
            return "vault:v" + version + ":" + Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(12 + ct.length).put(nonce).put(ct).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] open(Key k, byte[] context, String value) {
        if (!value.startsWith("vault:v")) {
            throw new Refusal(400, "invalid ciphertext: no prefix");
        }
        String[] split = value.substring("vault:v".length()).split(":", 2);
        if (split.length != 2) {
            throw new Refusal(400, "invalid ciphertext: wrong number of fields");
        }
        int version;
        try {
            version = Math.max(1, Integer.parseInt(split[0]));
        } catch (NumberFormatException e) {
            throw new Refusal(400, "invalid ciphertext: version number could not be decoded");
        }
        if (version > k.versions.size()) {
            throw new Refusal(400, "invalid ciphertext: version is too new");
        }
        if (version < k.minDecryptionVersion) {
            throw new Refusal(400, "ciphertext or signature version is disallowed by policy (too old)");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(split[1]);
        } catch (IllegalArgumentException e) {
            throw new Refusal(400, "invalid ciphertext: could not decode base64");
        }
        if (raw.length < 12 + 16) {
            throw new Refusal(400, "invalid ciphertext length");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keyFor(k, version, context), "AES"),
                    new GCMParameterSpec(128, raw, 0, 12));
            return c.doFinal(raw, 12, raw.length - 12);
        } catch (AEADBadTagException e) {
            throw new Refusal(400, "cipher: message authentication failed");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 5869 with an empty salt and one 32-byte output block, as Go's hkdf.New(sha256.New, key, nil, info). */
    static byte[] hkdfSha256(byte[] ikm, byte[] info) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
            byte[] prk = mac.doFinal(ikm);
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            mac.update(info);
            mac.update((byte) 1);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
