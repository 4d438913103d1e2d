package dev.sseproxy.kms.local;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
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
    static Uni<Void> verify(Pool pool, byte[] masterKey, String source, boolean generatedHere) {
        byte[] mine = checkValue(masterKey);
        return pool.preparedQuery("INSERT INTO kms_local_master_key_check (id, check_value, created_at) VALUES (1, $1, $2) "
                + "ON CONFLICT (id) DO NOTHING")
                .execute(Tuple.of(Buffer.buffer(mine), OffsetDateTime.now(ZoneOffset.UTC)))
                .chain(() -> pool.query("SELECT check_value, created_at FROM kms_local_master_key_check WHERE id = 1").execute())
                .map(rows -> {
                    Row r = rows.iterator().next();
                    byte[] stored = r.getBuffer("check_value").getBytes();
                    if (!MessageDigest.isEqual(stored, mine)) {
                        throw new KeystoreException(mismatch(fingerprintOf(stored), fingerprintOf(mine),
                                r.getOffsetDateTime("created_at"), source, generatedHere));
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
