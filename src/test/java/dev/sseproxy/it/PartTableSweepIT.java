package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The background sweep of single writes (issue 14): a PutObject over a key still removes the
 * key's out-of-line part tables last put before the write began, now gathered with the other
 * writes' sweeps into one statement per bucket, and still leaves a row put after the write began
 * and the rows of keys nobody wrote.
 */
class PartTableSweepIT {
    static S3Client s3;
    static ProxyProcess proxy;

    @BeforeAll
    static void setUp() {
        s3 = Clients.sdk();
        proxy = ProxyProcess.get();
    }

    @Test
    void singlePutsSweepTheirKeysTogetherAndNothingElse() throws Exception {
        String bucket = Clients.newBucket(s3, "sweep");
        int n = 24;
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < n; i++) {
            rows.append(row(bucket, "k" + i, "old", "clock_timestamp() - interval '1 minute'"));
        }
        rows.append(row(bucket, "k0", "newer", "clock_timestamp() + interval '1 hour'")); // put after the write began
        rows.append(row(bucket, "untouched", "old", "clock_timestamp() - interval '1 minute'"));
        proxy.sql(rows.toString());
        assertEquals(n + 2, count(bucket));

        List<CompletableFuture<Void>> puts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String key = "k" + i;
            puts.add(CompletableFuture.runAsync(() -> s3.putObject(b -> b.bucket(bucket).key(key),
                    RequestBody.fromString("small object " + key))));
        }
        CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();

        long deadline = System.nanoTime() + 20_000_000_000L;
        while (count(bucket) > 2 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals("k0:newer,untouched:old", proxy.sql("SELECT string_agg(object_key || ':' || encode(digest, 'escape'), ',' "
                + "ORDER BY object_key) FROM sse_part_table WHERE bucket = '" + bucket + "'").trim());
        for (int i = 0; i < n; i++) {
            String key = "k" + i;
            assertEquals("small object " + key, s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String());
        }
    }

    private static String row(String bucket, String key, String digest, String touched) {
        return "INSERT INTO sse_part_table (bucket, object_key, digest, part_table, touched_at) VALUES ('" + bucket + "', '"
                + key + "', convert_to('" + digest + "', 'UTF8'), 'not a table', " + touched + ");\n";
    }

    private static long count(String bucket) {
        return Long.parseLong(proxy.sql("SELECT count(*) FROM sse_part_table WHERE bucket = '" + bucket + "'").trim());
    }
}
