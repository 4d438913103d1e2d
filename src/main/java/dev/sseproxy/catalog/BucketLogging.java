package dev.sseproxy.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A bucket's server access logging configuration (PutBucketLogging's {@code LoggingEnabled}): where its
 * log objects go and how their keys are formed. Stored on the bucket row ({@link #encode} / {@link #decode},
 * migration V25) so that the cached {@link Bucket} carries it.
 *
 * @param targetBucket the bucket that receives the log objects
 * @param targetPrefix the key prefix of every log object ("" for none)
 * @param partitioned  {@code PartitionedPrefix} key format; false: {@code SimplePrefix} (also when none was given)
 * @param formatGiven  whether the configuration named a {@code TargetObjectKeyFormat} (GetBucketLogging echoes it)
 * @param deliveryTime with {@code PartitionedPrefix}: partition by delivery time; false: by event time
 * @param grants       the {@code TargetGrants} as given, kept to echo them
 */
public record BucketLogging(String targetBucket, String targetPrefix, boolean partitioned, boolean formatGiven,
        boolean deliveryTime, List<TargetGrant> grants) {

    /** One {@code TargetGrant}: grantee type ({@code CanonicalUser}, {@code Group}, {@code AmazonCustomerByEmail}) and its id. */
    public record TargetGrant(String granteeType, String id, String uri, String email, String permission) {
    }

    private static final String VERSION = "v1";

    public BucketLogging {
        targetPrefix = targetPrefix == null ? "" : targetPrefix;
        grants = grants == null ? List.of() : List.copyOf(grants);
    }

    /** The stored form: one field a line, each escaped so that no field holds a line break. */
    public String encode() {
        List<String> f = new ArrayList<>(List.of(VERSION, targetBucket, targetPrefix, partitioned ? "P" : "S",
                formatGiven ? "F" : "-", deliveryTime ? "D" : "E", Integer.toString(grants.size())));
        for (TargetGrant g : grants) {
            f.add(nullable(g.granteeType()));
            f.add(nullable(g.id()));
            f.add(nullable(g.uri()));
            f.add(nullable(g.email()));
            f.add(nullable(g.permission()));
        }
        StringBuilder sb = new StringBuilder();
        for (String s : f) {
            sb.append(escape(s)).append('\n');
        }
        return sb.toString();
    }

    /** The configuration stored as {@code text}; null (or a form this version does not know) is none. */
    public static BucketLogging decode(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        String[] f = text.split("\n", -1);
        if (f.length < 7 || !VERSION.equals(f[0])) {
            return null;
        }
        int n = Integer.parseInt(f[6]);
        List<TargetGrant> grants = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int at = 7 + 5 * i;
            grants.add(new TargetGrant(opt(f[at]), opt(f[at + 1]), opt(f[at + 2]), opt(f[at + 3]), opt(f[at + 4])));
        }
        return new BucketLogging(unescape(f[1]), unescape(f[2]), "P".equals(f[3]), "F".equals(f[4]), "D".equals(f[5]),
                grants);
    }

    /** The log objects' source-bucket partition date source, as the wire names it. */
    public Optional<String> partitionDateSource() {
        return partitioned ? Optional.of(deliveryTime ? "DeliveryTime" : "EventTime") : Optional.empty();
    }

    /** A field that may be absent: "" for none, else "=" and its text. */
    private static String nullable(String s) {
        return s == null ? "" : "=" + s;
    }

    private static String opt(String s) {
        return s.isEmpty() ? null : unescape(s).substring(1);
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    }

    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                sb.append(n == 'n' ? '\n' : n == 'r' ? '\r' : n);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
