package dev.sseproxy.auth;

/**
 * CRC-64/NVME: reflected polynomial {@code 0x9a6c9329ac4bc9b5}, initial value and final XOR all
 * ones. Check value of {@code "123456789"} is {@code 0xae8b14860a799888}. Table-driven, slicing by
 * eight bytes.
 */
public final class Crc64Nvme {

    private static final long POLY_REFLECTED = 0x9a6c9329ac4bc9b5L;
    private static final long[][] TABLES = buildTables();

    private long crc = -1L;

    /** Adds bytes. */
    public void update(byte[] data, int offset, int length) {
        long c = crc;
        int i = offset;
        int end = offset + length;
        while (end - i >= 8) {
            c ^= (data[i] & 0xffL) | (data[i + 1] & 0xffL) << 8 | (data[i + 2] & 0xffL) << 16
                    | (data[i + 3] & 0xffL) << 24 | (data[i + 4] & 0xffL) << 32 | (data[i + 5] & 0xffL) << 40
                    | (data[i + 6] & 0xffL) << 48 | (data[i + 7] & 0xffL) << 56;
            c = TABLES[7][(int) (c & 0xff)] ^ TABLES[6][(int) ((c >>> 8) & 0xff)]
                    ^ TABLES[5][(int) ((c >>> 16) & 0xff)] ^ TABLES[4][(int) ((c >>> 24) & 0xff)]
                    ^ TABLES[3][(int) ((c >>> 32) & 0xff)] ^ TABLES[2][(int) ((c >>> 40) & 0xff)]
                    ^ TABLES[1][(int) ((c >>> 48) & 0xff)] ^ TABLES[0][(int) (c >>> 56)];
            i += 8;
        }
        while (i < end) {
            c = TABLES[0][(int) ((c ^ data[i]) & 0xff)] ^ (c >>> 8);
            i++;
        }
        crc = c;
    }

    /** The CRC of everything added so far. */
    public long getValue() {
        return ~crc;
    }

    private static long[][] buildTables() {
        long[][] t = new long[8][256];
        for (int n = 0; n < 256; n++) {
            long c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ POLY_REFLECTED : c >>> 1;
            }
            t[0][n] = c;
        }
        for (int n = 0; n < 256; n++) {
            for (int k = 1; k < 8; k++) {
                t[k][n] = t[0][(int) (t[k - 1][n] & 0xff)] ^ (t[k - 1][n] >>> 8);
            }
        }
        return t;
    }
}
