package dev.sseproxy.kms.local;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** An immutable snapshot of every local KMS key, by name. Readers never lock; writers publish a new one. */
record Keyring(Map<String, LocalKey> keys) {
    static final Keyring EMPTY = new Keyring(Map.of());

    Keyring {
        keys = Map.copyOf(keys);
    }

    Optional<LocalKey> find(String name) {
        return Optional.ofNullable(keys.get(name));
    }

    Keyring with(LocalKey key) {
        Map<String, LocalKey> next = new TreeMap<>(keys);
        next.put(key.name(), key);
        return new Keyring(next);
    }
}
