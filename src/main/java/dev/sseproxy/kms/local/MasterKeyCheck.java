package dev.sseproxy.kms.local;

import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The master key's check value in PostgreSQL ({@code kms_local_master_key_check}, see the package
 * documentation): the first node writes its own, every node compares at start and refuses another.
 * The row is {@link KeystoreStorage}'s.
 */
public final class MasterKeyCheck {
    private static final byte[] LABEL = "sse-proxy local kms master key check v1".getBytes(StandardCharsets.US_ASCII);

    private MasterKeyCheck() {
    }

    /** HMAC-SHA256(master key, label). */
    static byte[] checkValue(byte[] masterKey) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(masterKey, "HmacSHA256"));
            return mac.doFinal(LABEL);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** The first 4 bytes of the check value, in hex: names a master key without revealing it. */
    public static String fingerprint(byte[] masterKey) {
        return fingerprintOf(checkValue(masterKey));
    }

    private static String fingerprintOf(byte[] checkValue) {
        return HexFormat.of().formatHex(checkValue, 0, 4);
    }

    /**
     * Records this master key when the database has none yet, else compares.
     *
     * @param source where this node's master key came from, for the message
     * @param generatedHere whether this node generated its key file at this start
     * @return a failed Uni ({@link KeystoreException}) when the database holds another key's check value
     */
    static Uni<Void> verify(KeystoreStorage rows, byte[] masterKey, String source, boolean generatedHere) {
        byte[] mine = checkValue(masterKey);
        return rows.recordMasterKeyCheck(mine, OffsetDateTime.now(ZoneOffset.UTC))
                .map(r -> {
                    byte[] stored = r.checkValue();
                    if (!MessageDigest.isEqual(stored, mine)) {
                        throw new KeystoreException(mismatch(fingerprintOf(stored), fingerprintOf(mine),
                                r.createdAt(), source, generatedHere));
                    }
                    return null;
                });
    }

    static String mismatch(String expected, String actual, OffsetDateTime since, String source, boolean generatedHere) {
        StringBuilder m = new StringBuilder("sse-proxy does not start: this node's master key (fingerprint ")
                .append(actual).append(", from ").append(source)
                .append(") is not the master key the local KMS keystore in PostgreSQL is sealed under (fingerprint ")
                .append(expected).append(", recorded ").append(since).append(" by the first node). ")
                .append("Every node that shares this database must use the same master key: set SSE_PROXY_MASTER_KEY ")
                .append("(property sse-proxy.master-key) to the base64 key the other nodes use");
        if (generatedHere) {
            m.append("; this node generated ").append(source.replace(" (generated at this start)", ""))
                    .append(" just now because SSE_PROXY_MASTER_KEY was not set: remove that file once the variable is set");
        }
        m.append(". Nothing was written: keys and access-key secrets made by the other nodes are untouched.");
        return m.toString();
    }
}
