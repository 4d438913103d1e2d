package dev.sseproxy.kms.registry;

import java.util.Arrays;

/** The states of a KMS key that sse-proxy supports, with AWS's names ({@code KeyState}). */
public enum KeyState {
    /** Usable for cryptographic operations. */
    ENABLED("Enabled"),
    /** Kept, but every cryptographic operation fails with {@code DisabledException}. */
    DISABLED("Disabled"),
    /** Scheduled for deletion at its deletion date; unusable until then, gone after. */
    PENDING_DELETION("PendingDeletion");

    private final String awsName;

    KeyState(String awsName) {
        this.awsName = awsName;
    }

    /** The name AWS uses on the wire and sse-proxy stores, e.g. {@code PendingDeletion}. */
    public String awsName() {
        return awsName;
    }

    /** The state named {@code awsName}. */
    public static KeyState fromAwsName(String awsName) {
        return Arrays.stream(values()).filter(s -> s.awsName.equals(awsName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown key state " + awsName));
    }
}
