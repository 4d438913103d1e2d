package dev.sseproxy.kms;

/**
 * What the KMS knows about a key: its newest version (used for every new encryption) and the
 * oldest version it still decrypts (Transit's {@code min_decryption_version}).
 */
public record KeyInfo(String name, int latestVersion, int minDecryptionVersion) {
    public KeyInfo {
        if (latestVersion < 1 || minDecryptionVersion < 1 || minDecryptionVersion > latestVersion) {
            throw new IllegalArgumentException("inconsistent key versions: latest " + latestVersion
                    + ", min decryption " + minDecryptionVersion);
        }
    }
}
