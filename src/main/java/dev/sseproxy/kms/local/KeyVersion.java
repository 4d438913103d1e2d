package dev.sseproxy.kms.local;

/**
 * One version of a local KMS key: its number (from 1), when it was created, and its 32 key bytes.
 * Versions live as long as the process; the material is never printed.
 */
record KeyVersion(int number, long createdEpochSecond, byte[] material) {
    static final int KEY_BYTES = 32;

    KeyVersion {
        if (number < 1 || material.length != KEY_BYTES) {
            throw new IllegalArgumentException("invalid key version");
        }
    }

    @Override
    public String toString() {
        return "KeyVersion[number=" + number + ", created=" + createdEpochSecond + ", material=[redacted]]";
    }
}
