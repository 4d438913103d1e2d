package dev.sseproxy.crypto;

/** The body format of a stored object; {@link #id()} is what envelopes store. */
public enum Algorithm {
    /** 64 KiB AES-256-GCM frames ({@link FrameFormat}). */
    AES256_GCM_64K(FrameFormat.ALGORITHM_ID),
    /** The body is stored as plaintext. */
    NONE("NONE");

    private static final Algorithm[] VALUES = values();

    private final String id;

    Algorithm(String id) {
        this.id = id;
    }

    /** The stored id, e.g. {@code AES256-GCM-64K}. */
    public String id() {
        return id;
    }

    /** The algorithm with stored id {@code id}; {@link CryptoException.UnknownFormat} for any other. */
    public static Algorithm fromId(String id) {
        for (Algorithm a : VALUES) {
            if (a.id.equals(id)) {
                return a;
            }
        }
        throw new CryptoException.UnknownFormat("unknown algorithm id " + id);
    }
}
