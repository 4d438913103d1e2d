package dev.sseproxy.kms.local;

import dev.sseproxy.kms.KeyInfo;
import java.util.List;

/** A named key of the local KMS: versions 1..n (n is the latest) and the minimum decryption version. */
record LocalKey(String name, List<KeyVersion> versions, int minDecryptionVersion) {

    LocalKey {
        versions = List.copyOf(versions);
        for (int i = 0; i < versions.size(); i++) {
            if (versions.get(i).number() != i + 1) {
                throw new IllegalArgumentException("key versions must be numbered 1..n");
            }
        }
        if (versions.isEmpty() || minDecryptionVersion < 1 || minDecryptionVersion > versions.size()) {
            throw new IllegalArgumentException("inconsistent key versions");
        }
    }

    static LocalKey create(String name, KeyVersion first) {
        return new LocalKey(name, List.of(first), 1);
    }

    int latestVersion() {
        return versions.size();
    }

    KeyVersion latest() {
        return versions.get(versions.size() - 1);
    }

    KeyVersion version(int number) {
        return versions.get(number - 1);
    }

    KeyInfo info() {
        return new KeyInfo(name, latestVersion(), minDecryptionVersion);
    }
}
