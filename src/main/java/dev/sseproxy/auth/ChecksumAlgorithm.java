package dev.sseproxy.auth;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * The flexible-checksum algorithms S3 accepts in {@code x-amz-checksum-*} headers and trailers.
 * Values on the wire are base64 of the big-endian digest.
 */
public enum ChecksumAlgorithm {
    CRC32("CRC32", 4, () -> new JdkCrc(new CRC32(), 4)),
    CRC32C("CRC32C", 4, () -> new JdkCrc(new CRC32C(), 4)),
    CRC64NVME("CRC64NVME", 8, Crc64Running::new),
    SHA1("SHA1", 20, () -> new Sha("SHA-1")),
    SHA256("SHA256", 32, () -> new Sha("SHA-256"));

    private final String displayName;
    private final int digestLength;
    private final Supplier<RunningChecksum> factory;

    ChecksumAlgorithm(String displayName, int digestLength, Supplier<RunningChecksum> factory) {
        this.displayName = displayName;
        this.digestLength = digestLength;
        this.factory = factory;
    }

    /** The header name, e.g. {@code x-amz-checksum-crc32}. */
    public String headerName() {
        return "x-amz-checksum-" + name().toLowerCase(Locale.ROOT);
    }

    /** The name S3 uses in messages and in {@code x-amz-sdk-checksum-algorithm}, e.g. {@code CRC32C}. */
    public String displayName() {
        return displayName;
    }

    /** Digest length in bytes. */
    public int digestLength() {
        return digestLength;
    }

    /** A new, empty running checksum. */
    public RunningChecksum newChecksum() {
        return factory.get();
    }

    /** The algorithm of a checksum header name (case-insensitive), e.g. {@code x-amz-checksum-sha256}. */
    public static Optional<ChecksumAlgorithm> fromHeaderName(String headerName) {
        String lower = headerName.trim().toLowerCase(Locale.ROOT);
        for (ChecksumAlgorithm a : values()) {
            if (a.headerName().equals(lower)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** The algorithm of a name such as {@code crc32c} or {@code CRC64NVME} (case-insensitive). */
    public static Optional<ChecksumAlgorithm> fromName(String name) {
        for (ChecksumAlgorithm a : values()) {
            if (a.displayName.equalsIgnoreCase(name.trim())) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** True when {@code base64} is canonical base64 of exactly {@link #digestLength()} bytes. */
    public boolean isValidEncoded(String base64) {
        if (base64 == null) {
            return false;
        }
        try {
            byte[] raw = Base64.getDecoder().decode(base64);
            return raw.length == digestLength && Base64.getEncoder().encodeToString(raw).equals(base64);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** CRC32 / CRC32C through {@link Checksum}. */
    private static final class JdkCrc implements RunningChecksum {
        private final Checksum crc;
        private final int length;

        JdkCrc(Checksum crc, int length) {
            this.crc = crc;
            this.length = length;
        }

        @Override
        public void update(ByteBuffer data) {
            crc.update(data.duplicate());
        }

        @Override
        public void update(byte[] data, int offset, int length) {
            crc.update(data, offset, length);
        }

        @Override
        public byte[] digest() {
            byte[] wide = ByteBuffer.allocate(8).putLong(crc.getValue()).array();
            return Arrays.copyOfRange(wide, 8 - length, 8);
        }
    }

    /** CRC-64/NVME. */
    private static final class Crc64Running implements RunningChecksum {
        private final Crc64Nvme crc = new Crc64Nvme();

        @Override
        public void update(ByteBuffer data) {
            ByteBuffer d = data.duplicate();
            if (d.hasArray()) {
                crc.update(d.array(), d.arrayOffset() + d.position(), d.remaining());
                return;
            }
            byte[] buf = new byte[Math.min(d.remaining(), 8192)];
            while (d.hasRemaining()) {
                int n = Math.min(buf.length, d.remaining());
                d.get(buf, 0, n);
                crc.update(buf, 0, n);
            }
        }

        @Override
        public void update(byte[] data, int offset, int length) {
            crc.update(data, offset, length);
        }

        @Override
        public byte[] digest() {
            return ByteBuffer.allocate(8).putLong(crc.getValue()).array();
        }
    }

    /** SHA-1 / SHA-256 through {@link MessageDigest}. */
    private static final class Sha implements RunningChecksum {
        private final MessageDigest md;

        Sha(String algorithm) {
            try {
                md = MessageDigest.getInstance(algorithm);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(algorithm + " unavailable", e);
            }
        }

        @Override
        public void update(ByteBuffer data) {
            md.update(data.duplicate());
        }

        @Override
        public void update(byte[] data, int offset, int length) {
            md.update(data, offset, length);
        }

        @Override
        public byte[] digest() {
            try {
                return ((MessageDigest) md.clone()).digest();
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("digest not cloneable", e);
            }
        }
    }
}
