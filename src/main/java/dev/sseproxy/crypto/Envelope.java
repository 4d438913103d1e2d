package dev.sseproxy.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The self-describing, versioned metadata stored with every object the proxy writes (package
 * specification, "Envelope"). Byte-array components are copied in and out. Build one with
 * {@link #builder()}; store it with {@link #toMetadata(EnvelopeLayout)}; read it with {@link #fromMetadata(Map)}.
 *
 * @param algorithm               body format
 * @param sseMode                 the SSE the client sees
 * @param kmsKeyArn               KMS key ARN, or null
 * @param kmsKeyVersion           KMS key version, or null
 * @param wrappingScheme          how the object key is wrapped; null exactly when the algorithm is NONE
 * @param wrappedObjectKey        the wrapped object key; null exactly when the algorithm is NONE
 * @param bucketKeyId             which bucket key wrapped the object key, or null
 * @param wrappedBucketKey        the bucket key as the KMS wrapped it, or null
 * @param encryptionContextHash   hash of the encryption context, or null
 * @param plaintextSize           plaintext bytes of the whole object
 * @param plaintextEtag           the ETag clients see (no quotes), or null until known
 * @param checksum                the object's full checksum, or null
 * @param sseCustomerKeyHmac      salted HMAC that recognises the SSE-C key, or null
 * @param partTable               the part table, or null when it is stored elsewhere
 * @param externalPartTableDigest SHA-256 of the encoded table stored elsewhere; null exactly when
 *                                {@code partTable} is present
 * @param version                 envelope version: {@link #VERSION} for everything written now, 1 for
 *                                objects (and open uploads) written by older code
 * @param tableMac                the {@link TableMac} of size and part table (version 2); null in version 1
 *                                and in the provisional envelope of an open multipart upload
 */
public record Envelope(Algorithm algorithm, SseMode sseMode, String kmsKeyArn, Integer kmsKeyVersion,
                       WrappingScheme wrappingScheme, byte[] wrappedObjectKey, String bucketKeyId,
                       byte[] wrappedBucketKey, byte[] encryptionContextHash, long plaintextSize, String plaintextEtag,
                       Checksum checksum, byte[] sseCustomerKeyHmac, PartTable partTable,
                       byte[] externalPartTableDigest, int version, byte[] tableMac) {
    /** The envelope version this code writes. */
    public static final int VERSION = 2;
    /** The oldest envelope version this code reads. */
    public static final int OLDEST_VERSION = 1;
    /** Reserved user-metadata prefix; clients can neither write nor read names under it. */
    public static final String PREFIX = "x-amz-meta-sse-proxy-";
    /**
     * Stored beside an envelope without {@code etag} (not one of its fields): the random id of the write
     * whose ETag the catalog keeps (package documentation, "The MD5 ETag of a streamed SSE-S3 PUT").
     */
    public static final String ETAG_REF = PREFIX + "etag-ref";
    /**
     * The one user-metadata entry of the packed layout ({@link EnvelopeLayout#PACKED}): every field as
     * {@code name=value}, separated by single spaces (package documentation, "Envelope").
     */
    public static final String PACKED = PREFIX + EnvelopeCodec.PACKED_FIELD;
    /** Longest encoded part table stored inline, in characters. */
    public static final int PART_TABLE_BUDGET = 512;
    static final int MAX_TEXT = 512;

    /**
     * A checksum as S3 reports it.
     *
     * @param algorithm e.g. {@code CRC32C}, {@code SHA256}: upper-case letters and digits
     * @param value     the value as S3 prints it (base64)
     */
    public record Checksum(String algorithm, String value) {
        public Checksum {
            if (algorithm == null || !algorithm.matches("[A-Z0-9]{1,16}")) {
                throw new IllegalArgumentException("checksum algorithm must be upper-case letters and digits");
            }
            checkText("checksum value", value);
        }
    }

    /** Thrown by {@link #toMetadata(EnvelopeLayout)} when the part table exceeds {@link #PART_TABLE_BUDGET}: store it elsewhere. */
    public static final class PartTableTooLarge extends RuntimeException {
        private final int encodedLength;

        PartTableTooLarge(int encodedLength) {
            super("part table of " + encodedLength + " characters exceeds " + PART_TABLE_BUDGET);
            this.encodedLength = encodedLength;
        }

        /** Characters the encoded table would take. */
        public int encodedLength() {
            return encodedLength;
        }
    }

    public Envelope {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(sseMode, "sseMode");
        if (version < OLDEST_VERSION || version > VERSION) {
            throw new IllegalArgumentException("envelope version " + version + " is not supported");
        }
        if (tableMac != null && (version < 2 || tableMac.length != TableMac.LENGTH)) {
            throw new IllegalArgumentException("a table MAC is " + TableMac.LENGTH + " bytes, from envelope version 2");
        }
        boolean plain = algorithm == Algorithm.NONE;
        if (plain != (wrappingScheme == null) || plain != (wrappedObjectKey == null)) {
            throw new IllegalArgumentException("wrapping scheme and wrapped key are required exactly when the body is encrypted");
        }
        if (plain && sseMode != SseMode.NONE) {
            throw new IllegalArgumentException("a plaintext body cannot report " + sseMode);
        }
        if ((partTable == null) == (externalPartTableDigest == null)) {
            throw new IllegalArgumentException("exactly one of part table and external part-table digest");
        }
        if (externalPartTableDigest != null && externalPartTableDigest.length != 32) {
            throw new IllegalArgumentException("part-table digest must be 32 bytes");
        }
        if (partTable != null && partTable.plaintextLength() != plaintextSize) {
            throw new IllegalArgumentException("part table sums to " + partTable.plaintextLength() + ", not " + plaintextSize);
        }
        FrameFormat.checkLength(plaintextSize);
        checkOptionalText("KMS key ARN", kmsKeyArn);
        checkOptionalText("bucket-key id", bucketKeyId);
        checkOptionalText("ETag", plaintextEtag);
        if (kmsKeyVersion != null && kmsKeyVersion < 0) {
            throw new IllegalArgumentException("KMS key version must not be negative");
        }
        wrappedObjectKey = copy(wrappedObjectKey);
        wrappedBucketKey = copy(wrappedBucketKey);
        encryptionContextHash = copy(encryptionContextHash);
        sseCustomerKeyHmac = copy(sseCustomerKeyHmac);
        externalPartTableDigest = copy(externalPartTableDigest);
        tableMac = copy(tableMac);
    }

    /** A builder with nothing set. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this envelope's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@link ObjectKeyBinding#keyWrapAad}: the associated data that binds a wrapped object key to its object and use. */
    public static byte[] keyWrapAad(int version, ObjectIdentity identity, Algorithm algorithm, SseMode mode,
            WrappingScheme scheme) {
        return ObjectKeyBinding.keyWrapAad(version, identity, algorithm, mode, scheme);
    }

    /** {@link #keyWrapAad(int, ObjectIdentity, Algorithm, SseMode, WrappingScheme)} of this envelope. */
    public byte[] keyWrapAad(ObjectIdentity identity) {
        return keyWrapAad(version, identity, algorithm, sseMode, wrappingScheme);
    }

    /** {@link ObjectKeyBinding#kmsObjectKey}: the object key of a {@code KMS_DATA_KEY} envelope. */
    public static KeyMaterial kmsObjectKey(int version, KeyMaterial dataKey) {
        return ObjectKeyBinding.kmsObjectKey(version, dataKey);
    }

    /**
     * Checks size and part table against the table MAC under {@code objectKey} (package
     * specification, "Envelope integrity"); nothing to check in version 1.
     *
     * @throws CryptoException.Tampered if the MAC is missing (a provisional envelope) or does not match
     * @throws IllegalStateException    if the part table was stored elsewhere and not given back yet
     */
    public void verifyTable(KeyMaterial objectKey) {
        if (version < 2 || algorithm == Algorithm.NONE) {
            return;
        }
        if (partTable == null) {
            throw new IllegalStateException("the part table stored elsewhere was not loaded");
        }
        if (tableMac == null) {
            throw new CryptoException.Tampered("envelope has no table MAC (a multipart upload that never completed)");
        }
        if (!TableMac.matches(objectKey, partTable, tableMac)) {
            throw new CryptoException.Tampered("size or part table does not match the envelope's table MAC");
        }
    }

    /** Whether {@code headerName} is under the reserved prefix (case-insensitive). */
    public static boolean isReservedHeader(String headerName) {
        return headerName.toLowerCase(Locale.ROOT).startsWith(PREFIX);
    }

    /**
     * The envelope as user metadata in {@code layout}, part table inline.
     *
     * @throws PartTableTooLarge if the table exceeds {@link #PART_TABLE_BUDGET} characters
     */
    public Map<String, String> toMetadata(EnvelopeLayout layout) {
        return EnvelopeCodec.encode(this, false, layout);
    }

    /** The envelope as user metadata with only the part table's SHA-256; the caller stores the table. */
    public Map<String, String> toMetadataWithExternalPartTable(EnvelopeLayout layout) {
        return EnvelopeCodec.encode(this, true, layout);
    }

    /**
     * The entries of backend metadata under the reserved prefix (names in any case), one per field
     * whichever layout stored them, keyed by full lower-case name ({@code x-amz-meta-sse-proxy-size});
     * companions such as {@link #ETAG_REF} as they are. Lenient: for reading a field or two of a
     * listed or stat'ed object; {@link #fromMetadata} validates.
     */
    public static Map<String, String> storedFields(Map<String, String> metadata) {
        return EnvelopeCodec.storedFields(metadata);
    }

    /**
     * Reads an envelope from backend metadata (full header names, any case; other entries ignored).
     *
     * @return empty when no name is under the reserved prefix: a legacy plaintext object
     * @throws CryptoException.UnknownFormat for an unknown version or a malformed envelope
     */
    public static Optional<Envelope> fromMetadata(Map<String, String> metadata) {
        return EnvelopeCodec.decode(metadata);
    }

    /**
     * This envelope with the part table that was stored elsewhere.
     *
     * @throws CryptoException.Tampered if {@code table} is not the one whose digest the envelope holds
     */
    public Envelope withPartTable(PartTable table) {
        byte[] digest = partTableDigest(table);
        byte[] expected = externalPartTableDigest != null ? externalPartTableDigest : partTableDigest(partTable);
        if (!MessageDigest.isEqual(digest, expected)) {
            throw new CryptoException.Tampered("part table does not match the envelope's digest");
        }
        if (table.plaintextLength() != plaintextSize) {
            throw new CryptoException.Tampered("part table sums to " + table.plaintextLength() + ", not the envelope's size "
                    + plaintextSize);
        }
        return toBuilder().partTable(table).externalPartTableDigest(null).build();
    }

    /** SHA-256 of the table's encoded form. */
    public static byte[] partTableDigest(PartTable table) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(ascii(table.encode()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public byte[] wrappedObjectKey() {
        return copy(wrappedObjectKey);
    }

    @Override
    public byte[] wrappedBucketKey() {
        return copy(wrappedBucketKey);
    }

    @Override
    public byte[] encryptionContextHash() {
        return copy(encryptionContextHash);
    }

    @Override
    public byte[] sseCustomerKeyHmac() {
        return copy(sseCustomerKeyHmac);
    }

    @Override
    public byte[] externalPartTableDigest() {
        return copy(externalPartTableDigest);
    }

    @Override
    public byte[] tableMac() {
        return copy(tableMac);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Envelope e && algorithm == e.algorithm && sseMode == e.sseMode
                && Objects.equals(kmsKeyArn, e.kmsKeyArn) && Objects.equals(kmsKeyVersion, e.kmsKeyVersion)
                && wrappingScheme == e.wrappingScheme && Arrays.equals(wrappedObjectKey, e.wrappedObjectKey)
                && Objects.equals(bucketKeyId, e.bucketKeyId) && Arrays.equals(wrappedBucketKey, e.wrappedBucketKey)
                && Arrays.equals(encryptionContextHash, e.encryptionContextHash) && plaintextSize == e.plaintextSize
                && Objects.equals(plaintextEtag, e.plaintextEtag) && Objects.equals(checksum, e.checksum)
                && Arrays.equals(sseCustomerKeyHmac, e.sseCustomerKeyHmac) && Objects.equals(partTable, e.partTable)
                && Arrays.equals(externalPartTableDigest, e.externalPartTableDigest) && version == e.version
                && Arrays.equals(tableMac, e.tableMac);
    }

    @Override
    public int hashCode() {
        return Objects.hash(algorithm, sseMode, kmsKeyArn, kmsKeyVersion, wrappingScheme, Arrays.hashCode(wrappedObjectKey),
                bucketKeyId, plaintextSize, plaintextEtag, partTable, Arrays.hashCode(externalPartTableDigest), version);
    }

    @Override
    public String toString() {
        return "Envelope[v" + version + " " + algorithm.id() + " " + sseMode + " kms=" + kmsKeyArn + " wrap=" + wrappingScheme
                + " bucketKey=" + bucketKeyId + " size=" + plaintextSize + " etag=" + plaintextEtag + " parts="
                + (partTable != null ? partTable.encode() : "external") + "]";
    }

    static void checkText(String what, String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_TEXT || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException(what + " must be 1 to " + MAX_TEXT + " printable ASCII characters without spaces");
        }
    }

    private static void checkOptionalText(String what, String value) {
        if (value != null) {
            checkText(what, value);
        }
    }

    private static byte[] copy(byte[] b) {
        return b == null ? null : b.clone();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Mutable builder for {@link Envelope}; {@link #build()} validates. Defaults: AES256-GCM-64K, SSE_S3. */
    public static final class Builder {
        private Algorithm algorithm = Algorithm.AES256_GCM_64K;
        private SseMode sseMode = SseMode.SSE_S3;
        private String kmsKeyArn;
        private Integer kmsKeyVersion;
        private WrappingScheme wrappingScheme;
        private byte[] wrappedObjectKey;
        private String bucketKeyId;
        private byte[] wrappedBucketKey;
        private byte[] encryptionContextHash;
        private long plaintextSize;
        private String plaintextEtag;
        private Checksum checksum;
        private byte[] sseCustomerKeyHmac;
        private PartTable partTable;
        private byte[] externalPartTableDigest;
        private int version = VERSION;
        private byte[] tableMac;

        private Builder() {
        }

        private Builder(Envelope e) {
            algorithm = e.algorithm;
            sseMode = e.sseMode;
            kmsKeyArn = e.kmsKeyArn;
            kmsKeyVersion = e.kmsKeyVersion;
            wrappingScheme = e.wrappingScheme;
            wrappedObjectKey = e.wrappedObjectKey;
            bucketKeyId = e.bucketKeyId;
            wrappedBucketKey = e.wrappedBucketKey;
            encryptionContextHash = e.encryptionContextHash;
            plaintextSize = e.plaintextSize;
            plaintextEtag = e.plaintextEtag;
            checksum = e.checksum;
            sseCustomerKeyHmac = e.sseCustomerKeyHmac;
            partTable = e.partTable;
            externalPartTableDigest = e.externalPartTableDigest;
            version = e.version;
            tableMac = e.tableMac;
        }

        public Builder algorithm(Algorithm v) { algorithm = v; return this; }
        public Builder sseMode(SseMode v) { sseMode = v; return this; }
        public Builder kmsKeyArn(String v) { kmsKeyArn = v; return this; }
        public Builder kmsKeyVersion(Integer v) { kmsKeyVersion = v; return this; }
        public Builder wrappingScheme(WrappingScheme v) { wrappingScheme = v; return this; }
        public Builder wrappedObjectKey(byte[] v) { wrappedObjectKey = v; return this; }
        public Builder bucketKeyId(String v) { bucketKeyId = v; return this; }
        public Builder wrappedBucketKey(byte[] v) { wrappedBucketKey = v; return this; }
        public Builder encryptionContextHash(byte[] v) { encryptionContextHash = v; return this; }
        public Builder plaintextSize(long v) { plaintextSize = v; return this; }
        public Builder plaintextEtag(String v) { plaintextEtag = v; return this; }
        public Builder checksum(Checksum v) { checksum = v; return this; }
        public Builder sseCustomerKeyHmac(byte[] v) { sseCustomerKeyHmac = v; return this; }
        public Builder externalPartTableDigest(byte[] v) { externalPartTableDigest = v; return this; }
        public Builder version(int v) { version = v; return this; }
        public Builder tableMac(byte[] v) { tableMac = v; return this; }

        /** Sets the part table and, with it, the plaintext size (its sum). */
        public Builder partTable(PartTable v) {
            partTable = v;
            if (v != null) {
                plaintextSize = v.plaintextLength();
            }
            return this;
        }

        /** The envelope; {@link IllegalArgumentException} if the values are inconsistent. */
        public Envelope build() {
            return new Envelope(algorithm, sseMode, kmsKeyArn, kmsKeyVersion, wrappingScheme, wrappedObjectKey,
                    bucketKeyId, wrappedBucketKey, encryptionContextHash, plaintextSize, plaintextEtag, checksum,
                    sseCustomerKeyHmac, partTable, externalPartTableDigest, version, tableMac);
        }
    }
}
