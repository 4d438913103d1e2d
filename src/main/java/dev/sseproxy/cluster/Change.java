package dev.sseproxy.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One notification of the change feed: a kind and the id of what changed (package documentation,
 * "Payload"). {@link #parse} never fails: what it cannot read is {@link Kind#ALL}, "drop everything".
 */
public record Change(Kind kind, String id) {
    /** The channel every node listens on. */
    public static final String CHANNEL = "sse_proxy_changes";
    /** The longest payload PostgreSQL accepts is 7999 bytes. */
    public static final int MAX_PAYLOAD_BYTES = 7999;
    /** Drop every cache. */
    public static final Change ALL = new Change(Kind.ALL, "");
    /** Drop every cached bucket key (a KMS key was rotated). */
    public static final Change BUCKET_KEYS = new Change(Kind.BUCKET_KEYS, "*");

    /** The kinds of change, with their wire names; {@link #UNKNOWN} is what an unreadable payload becomes. */
    public enum Kind {
        BUCKET("bucket"), BUCKET_ENCRYPTION("bucket-encryption"), ACCESS_KEY("access-key"), KMS_KEY("kms-key"),
        KMS_ALIAS("kms-alias"), KMS_KEY_NEW("kms-key-new"), KMS_ALIAS_NEW("kms-alias-new"), BUCKET_KEYS("bucket-keys"),
        IAM_USER("iam-user"), IAM_POLICY("iam-policy"), ACCOUNT_PUBLIC_ACCESS_BLOCK("account-public-access-block"),
        COVERAGE("coverage"), BUCKET_NOTIFICATION("bucket-notification"), ALL("*"), UNKNOWN("unknown");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        /** The name in payloads and in the metrics' {@code kind} tag. */
        public String wireName() {
            return wireName;
        }

        static Optional<Kind> of(String wireName) {
            for (Kind k : values()) {
                if (k != UNKNOWN && k != ALL && k.wireName.equals(wireName)) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }
    }

    public Change {
        if (kind == null || id == null) {
            throw new IllegalArgumentException("a change needs a kind and an id");
        }
    }

    /** What a payload says; {@code *} is {@link #ALL}; anything unreadable is {@link Kind#UNKNOWN} (drop everything too). */
    public static Change parse(String payload) {
        if (payload == null) {
            return new Change(Kind.UNKNOWN, "");
        }
        if (payload.equals("*")) {
            return ALL;
        }
        int colon = payload.indexOf(':');
        if (colon <= 0 || colon == payload.length() - 1) {
            return new Change(Kind.UNKNOWN, "");
        }
        String id = payload.substring(colon + 1);
        return Kind.of(payload.substring(0, colon)).map(k -> new Change(k, id))
                .orElseGet(() -> new Change(Kind.UNKNOWN, ""));
    }

    /** The payload; a change too long to send is sent as {@code *}. */
    public String payload() {
        if (kind == Kind.ALL || kind == Kind.UNKNOWN) {
            return "*";
        }
        String p = kind.wireName + ":" + id;
        return p.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES ? "*" : p;
    }
}
