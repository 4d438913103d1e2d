package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Bodies stream: a 1 GiB PUT and GET through a proxy running at -Xmx256m (see pom: it.proxy.heap),
 * and the proxy's heap after GC stays within 64 MiB of its idle heap.
 */
class StreamingIT {
    static final long GIB = 1024L * 1024 * 1024;
    static final long ALLOWED_GROWTH = 64L * 1024 * 1024;

    /** Deterministic incompressible bytes without holding them: a 1 MiB random block, each copy varied. */
    static final class Generated extends InputStream {
        private static final byte[] BLOCK = new byte[1 << 20];

        static {
            new Random(42).nextBytes(BLOCK);
        }

        private final long length;
        private long pos;

        Generated(long length) {
            this.length = length;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= length) {
                return -1;
            }
            int blockOff = (int) (pos & (BLOCK.length - 1));
            int n = (int) Math.min(Math.min(len, BLOCK.length - blockOff), length - pos);
            byte salt = (byte) (pos >>> 20);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) (BLOCK[blockOff + i] ^ salt);
            }
            pos += n;
            return n;
        }
    }

    static byte[] sha256(InputStream in) throws IOException {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
            return d.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void oneGibPutAndGetStreamWithBoundedHeap() throws Exception {
        ProxyProcess proxy = ProxyProcess.get();
        try (S3Client s3 = Clients.sdk()) {
            String bucket = Clients.bucketName("stream");
            s3.createBucket(b -> b.bucket(bucket));
            s3.putObject(b -> b.bucket(bucket).key("warmup"), RequestBody.fromString("w"));
            long idle = proxy.heapAfterGc();

            long t0 = System.nanoTime();
            s3.putObject(b -> b.bucket(bucket).key("one-gib"),
                    RequestBody.fromContentProvider(() -> new Generated(GIB), GIB, "application/octet-stream"));
            long afterPut = proxy.heapAfterGc();
            long t1 = System.nanoTime();
            byte[] got;
            try (InputStream in = s3.getObject(b -> b.bucket(bucket).key("one-gib"))) {
                got = sha256(in);
            }
            long t2 = System.nanoTime();
            long afterGet = proxy.heapAfterGc();
            assertArrayEquals(sha256(new Generated(GIB)), got, "GET returns the bytes PUT");
            assertEquals(GIB, s3.headObject(b -> b.bucket(bucket).key("one-gib")).contentLength());
            System.out.printf("StreamingIT: proxy -Xmx%s, heap after GC idle %.1f MiB, after 1 GiB PUT %.1f MiB, "
                    + "after 1 GiB GET %.1f MiB; PUT %.1f s, GET %.1f s%n", System.getProperty("proxy.heap", "256m"),
                    idle / 1048576.0, afterPut / 1048576.0, afterGet / 1048576.0, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
            assertTrue(afterPut - idle <= ALLOWED_GROWTH, "heap grew by " + (afterPut - idle) + " bytes on PUT");
            assertTrue(afterGet - idle <= ALLOWED_GROWTH, "heap grew by " + (afterGet - idle) + " bytes on GET");
            s3.deleteObject(b -> b.bucket(bucket).key("one-gib"));
        }
    }
}
