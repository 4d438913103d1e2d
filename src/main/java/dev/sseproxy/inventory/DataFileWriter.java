package dev.sseproxy.inventory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * Gzips report rows into one data file at a time, in memory, and says when the file is full: at
 * {@code maxRows} rows or {@code maxBytes} of uncompressed CSV, so a report of any bucket size holds
 * at most one data file (its compressed bytes) in memory.
 */
final class DataFileWriter {
    private final long maxRows;
    private final long maxBytes;
    private ByteArrayOutputStream buffer;
    private GZIPOutputStream gzip;
    private long rows;
    private long bytes;

    DataFileWriter(long maxRows, long maxBytes) {
        if (maxRows < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("a data file holds at least one row");
        }
        this.maxRows = maxRows;
        this.maxBytes = maxBytes;
    }

    void add(String row) {
        try {
            if (gzip == null) {
                buffer = new ByteArrayOutputStream(64 * 1024);
                gzip = new GZIPOutputStream(buffer, 64 * 1024);
            }
            byte[] b = row.getBytes(StandardCharsets.UTF_8);
            gzip.write(b);
            rows++;
            bytes += b.length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the current file reached a limit (take it with {@link #cut()}). */
    boolean full() {
        return rows >= maxRows || bytes >= maxBytes;
    }

    /** Whether the current file has any row. */
    boolean hasRows() {
        return rows > 0;
    }

    long rows() {
        return rows;
    }

    /** The current file's gzip bytes; the next row starts a new file. */
    byte[] cut() {
        try {
            gzip.finish();
            gzip.close();
            byte[] out = buffer.toByteArray();
            gzip = null;
            buffer = null;
            rows = 0;
            bytes = 0;
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
