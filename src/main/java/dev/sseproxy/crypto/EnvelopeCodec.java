package dev.sseproxy.crypto;

import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** The metadata form of {@link Envelope} (package specification, "Envelope"). */
final class EnvelopeCodec {
    private static final String EXTERNAL = "sha256:";
    private static final Set<String> NAMES_V1 = Set.of("v", "alg", "mode", "kms-key", "kms-ver", "wrap", "wk", "bk-id",
            "bk", "ctx", "size", "etag", "cks", "ssec", "parts");
    private static final Set<String> NAMES_V2 = Set.of("v", "alg", "mode", "kms-key", "kms-ver", "wrap", "wk", "bk-id",
            "bk", "ctx", "size", "etag", "cks", "ssec", "parts", "mac");
    /**
     * Fields under the prefix that are not the envelope's but stored beside it by the proxy, ignored here:
     * {@code replica-of}, which marks a replica (package {@code dev.sseproxy.replication}), and
     * {@code etag-ref} ({@link Envelope#ETAG_REF}).
     */
    private static final Set<String> COMPANIONS = Set.of("replica-of", "etag-ref");
    /** The packed layout's one entry, after the prefix ({@link Envelope#PACKED}). */
    static final String PACKED_FIELD = "envelope";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();

    private EnvelopeCodec() {
    }

    static Map<String, String> encode(Envelope e, boolean externalPartTable, EnvelopeLayout layout) {
        Map<String, String> m = fields(e, externalPartTable);
        if (layout == EnvelopeLayout.FIELDS) {
            return m;
        }
        StringBuilder packed = new StringBuilder(512);
        m.forEach((name, value) -> {
            if (packed.length() > 0) {
                packed.append(' ');
            }
            packed.append(name, Envelope.PREFIX.length(), name.length()).append('=').append(value);
        });
        Map<String, String> one = new LinkedHashMap<>();
        one.put(Envelope.PACKED, packed.toString());
        return one;
    }

    private static Map<String, String> fields(Envelope e, boolean externalPartTable) {
        Map<String, String> m = new LinkedHashMap<>();
        put(m, "v", Integer.toString(e.version()));
        put(m, "alg", e.algorithm().id());
        put(m, "mode", e.sseMode().name());
        put(m, "kms-key", e.kmsKeyArn());
        put(m, "kms-ver", e.kmsKeyVersion() == null ? null : e.kmsKeyVersion().toString());
        put(m, "wrap", e.wrappingScheme() == null ? null : e.wrappingScheme().name());
        put(m, "wk", b64(e.wrappedObjectKey()));
        put(m, "bk-id", e.bucketKeyId());
        put(m, "bk", b64(e.wrappedBucketKey()));
        put(m, "ctx", b64(e.encryptionContextHash()));
        put(m, "size", Long.toString(e.plaintextSize()));
        put(m, "etag", e.plaintextEtag());
        put(m, "cks", e.checksum() == null ? null : e.checksum().algorithm() + ":" + e.checksum().value());
        put(m, "ssec", b64(e.sseCustomerKeyHmac()));
        put(m, "parts", parts(e, externalPartTable));
        put(m, "mac", b64(e.tableMac()));
        return m;
    }

    private static String parts(Envelope e, boolean external) {
        if (e.partTable() == null || external) {
            byte[] digest = e.partTable() == null ? e.externalPartTableDigest() : Envelope.partTableDigest(e.partTable());
            return EXTERNAL + B64.encodeToString(digest);
        }
        String table = e.partTable().encode();
        if (table.length() > Envelope.PART_TABLE_BUDGET) {
            throw new Envelope.PartTableTooLarge(table.length());
        }
        return table;
    }

    static Optional<Envelope> decode(Map<String, String> metadata) {
        Map<String, String> f = reserved(metadata);
        if (f.isEmpty()) {
            return Optional.empty();
        }
        String version = f.get("v");
        Set<String> names = "1".equals(version) ? NAMES_V1 : "2".equals(version) ? NAMES_V2 : null;
        if (names == null) {
            throw new CryptoException.UnknownFormat("envelope version " + version + " is not supported");
        }
        for (String name : f.keySet()) {
            if (!names.contains(name) && !COMPANIONS.contains(name)) {
                throw new CryptoException.UnknownFormat("unknown envelope field " + Envelope.PREFIX + name);
            }
        }
        try {
            return Optional.of(build(f));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new CryptoException.UnknownFormat("malformed envelope: " + e.getMessage());
        }
    }

    private static Envelope build(Map<String, String> f) {
        Envelope.Builder b = Envelope.builder()
                .version(Integer.parseInt(f.get("v")))
                .tableMac(optional(f, "mac", EnvelopeCodec::unb64))
                .algorithm(Algorithm.fromId(required(f, "alg")))
                .sseMode(SseMode.valueOf(required(f, "mode")))
                .kmsKeyArn(f.get("kms-key"))
                .kmsKeyVersion(optional(f, "kms-ver", v -> Integer.valueOf(decimal(v))))
                .wrappingScheme(optional(f, "wrap", WrappingScheme::valueOf))
                .wrappedObjectKey(optional(f, "wk", EnvelopeCodec::unb64))
                .bucketKeyId(f.get("bk-id"))
                .wrappedBucketKey(optional(f, "bk", EnvelopeCodec::unb64))
                .encryptionContextHash(optional(f, "ctx", EnvelopeCodec::unb64))
                .plaintextEtag(f.get("etag"))
                .checksum(optional(f, "cks", EnvelopeCodec::checksum))
                .sseCustomerKeyHmac(optional(f, "ssec", EnvelopeCodec::unb64));
        String parts = required(f, "parts");
        if (parts.startsWith(EXTERNAL)) {
            b.externalPartTableDigest(unb64(parts.substring(EXTERNAL.length())));
        } else {
            b.partTable(PartTable.decode(parts));
        }
        return b.plaintextSize(Long.parseLong(decimal(required(f, "size")))).build();
    }

    /**
     * The fields under the prefix, keyed by the lower-case rest of the name, those of a packed entry
     * unpacked; a duplicate, an empty value, a packed entry beside envelope fields of their own, or a
     * companion inside a packed entry is malformed.
     */
    private static Map<String, String> reserved(Map<String, String> metadata) {
        Map<String, String> f = new HashMap<>();
        String[] packed = new String[1];
        metadata.forEach((name, value) -> {
            if (name != null && Envelope.isReservedHeader(name)) {
                String field = name.substring(Envelope.PREFIX.length()).toLowerCase(Locale.ROOT);
                if (value == null || (field.equals(PACKED_FIELD) ? packed[0] != null : f.put(field, value) != null)) {
                    throw new CryptoException.UnknownFormat("envelope field " + Envelope.PREFIX + field + " is duplicated or empty");
                }
                if (field.equals(PACKED_FIELD)) {
                    packed[0] = value;
                }
            }
        });
        if (packed[0] != null) {
            if (!COMPANIONS.containsAll(f.keySet())) {
                throw new CryptoException.UnknownFormat("an envelope both packed and in fields of its own");
            }
            unpack(packed[0], (field, value) -> {
                if (value.isEmpty() || COMPANIONS.contains(field) || f.put(field, value) != null) {
                    throw new CryptoException.UnknownFormat("packed envelope field " + field + " is duplicated, empty or misplaced");
                }
            });
        }
        return f;
    }

    /**
     * The packed entry's {@code name=value} tokens, split at single spaces; a token without {@code =}
     * or with an empty name is malformed. Linear in the value's length.
     */
    private static void unpack(String packed, java.util.function.BiConsumer<String, String> field) {
        int start = 0;
        int n = packed.length();
        while (start <= n) {
            int end = packed.indexOf(' ', start);
            if (end < 0) {
                end = n;
            }
            int eq = packed.indexOf('=', start);
            if (eq <= start || eq >= end) {
                throw new CryptoException.UnknownFormat("malformed packed envelope");
            }
            field.accept(packed.substring(start, eq), packed.substring(eq + 1, end));
            start = end + 1;
        }
    }

    /**
     * The entries under the prefix as full lower-case names, one per field whichever layout stored
     * them ({@link Envelope#storedFields}); lenient: for reading single fields of a listing or a HEAD,
     * never for decrypting.
     */
    static Map<String, String> storedFields(Map<String, String> metadata) {
        Map<String, String> f = new HashMap<>();
        if (metadata == null) {
            return f;
        }
        metadata.forEach((name, value) -> {
            if (name != null && value != null && Envelope.isReservedHeader(name)) {
                String lower = name.toLowerCase(Locale.ROOT);
                if (lower.equals(Envelope.PACKED)) {
                    try {
                        unpack(value, (field, v) -> f.putIfAbsent(Envelope.PREFIX + field, v));
                    } catch (CryptoException.UnknownFormat malformed) {
                        // the fields before the malformed token stay; decoding refuses the envelope
                    }
                } else {
                    f.putIfAbsent(lower, value);
                }
            }
        });
        return f;
    }

    private static Envelope.Checksum checksum(String v) {
        int colon = v.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("checksum without algorithm");
        }
        return new Envelope.Checksum(v.substring(0, colon), v.substring(colon + 1));
    }

    private static String required(Map<String, String> f, String name) {
        String v = f.get(name);
        if (v == null) {
            throw new IllegalArgumentException("missing field " + Envelope.PREFIX + name);
        }
        return v;
    }

    private static <T> T optional(Map<String, String> f, String name, Function<String, T> parse) {
        String v = f.get(name);
        return v == null ? null : parse.apply(v);
    }

    private static String decimal(String v) {
        if (!isDecimal(v)) {
            throw new IllegalArgumentException("not a decimal: " + v);
        }
        return v;
    }

    private static void put(Map<String, String> m, String name, String value) {
        if (value != null) {
            m.put(Envelope.PREFIX + name, value);
        }
    }

    private static String b64(byte[] b) {
        return b == null ? null : B64.encodeToString(b);
    }

    private static byte[] unb64(String s) {
        if (!isBase64Url(s)) {
            throw new IllegalArgumentException("not base64url without padding");
        }
        return UNB64.decode(s);
    }

    /** {@code 0|[1-9][0-9]{0,18}} without a regex (every GET decodes an envelope). */
    static boolean isDecimal(String v) {
        int n = v.length();
        if (n == 0 || n > 19 || (v.charAt(0) == '0' && n > 1)) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** {@code [A-Za-z0-9_-]+} without a regex. */
    static boolean isBase64Url(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
