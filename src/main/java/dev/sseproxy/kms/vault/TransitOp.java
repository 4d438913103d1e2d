package dev.sseproxy.kms.vault;

/** The Vault calls this adapter makes, named as they appear in error messages. */
enum TransitOp {
    DATAKEY("generate a data key"),
    ENCRYPT("encrypt"),
    DECRYPT("decrypt"),
    REWRAP("rewrap"),
    READ_KEY("read key"),
    CREATE_KEY("create key"),
    ROTATE_KEY("rotate key"),
    CONFIGURE_KEY("configure key"),
    LOGIN("log in");

    final String description;

    TransitOp(String description) {
        this.description = description;
    }

    /** Whether a 400 from Vault means the ciphertext (or its context) was refused. */
    boolean readsCiphertext() {
        return this == DECRYPT || this == REWRAP;
    }
}
