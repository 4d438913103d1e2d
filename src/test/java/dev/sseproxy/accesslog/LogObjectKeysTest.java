package dev.sseproxy.accesslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.catalog.BucketLogging;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Log object keys as S3 names them, and the bounded batches they are written from. */
class LogObjectKeysTest {
    static final Instant DELIVERED = Instant.parse("2024-03-05T07:08:09Z");
    static final Instant EVENT = Instant.parse("2024-03-04T23:59:59Z");

    @Test
    void simplePrefixKeys() {
        BucketLogging c = new BucketLogging("logs", "src/", false, false, false, List.of());
        assertEquals("src/2024-03-05-07-08-09-0123456789ABCDEF",
                LogObjectKeys.key(c, "000000000001", "us-east-1", "source", DELIVERED, EVENT, "0123456789ABCDEF"));
    }

    @Test
    void partitionedPrefixKeysByEventOrDeliveryTime() {
        BucketLogging event = new BucketLogging("logs", "p/", true, true, false, List.of());
        assertEquals("p/000000000001/us-east-1/source/2024/03/04/2024-03-04-23-59-59-0123456789ABCDEF",
                LogObjectKeys.key(event, "000000000001", "us-east-1", "source", DELIVERED, EVENT, "0123456789ABCDEF"));
        BucketLogging delivery = new BucketLogging("logs", "", true, true, true, List.of());
        assertEquals("000000000001/us-east-1/source/2024/03/05/2024-03-05-07-08-09-0123456789ABCDEF",
                LogObjectKeys.key(delivery, "000000000001", "us-east-1", "source", DELIVERED, EVENT, "0123456789ABCDEF"));
    }

    @Test
    void uniqueStringsAreSixteenUpperCaseHexDigits() {
        String u = LogObjectKeys.unique(new Random(1));
        assertTrue(u.matches("[0-9A-F]{16}"), u);
    }

    @Test
    void theBufferIsBoundedAndHandsBackFullBatches() {
        PendingLogs p = new PendingLogs(100, 30);
        BucketLogging c = new BucketLogging("logs", "", false, false, false, List.of());
        PendingLogs.Target t = new PendingLogs.Target("source", "000000000001", "us-east-1", c, null);
        assertNull(p.add(t, EVENT, "0123456789").full());
        assertNull(p.add(t, EVENT, "0123456789").full());
        PendingLogs.Added third = p.add(t, EVENT, "0123456789");
        assertNotNull(third.full(), "33 characters reach the 30 of an object");
        assertEquals(3, third.full().records);
        assertEquals(33, p.buffered());
        for (int i = 0; i < 6; i++) {
            assertTrue(p.add(t, EVENT, "0123456789").kept());
        }
        assertFalse(p.add(t, EVENT, "0123456789").kept(), "100 characters held at most");
        p.released(third.full());
        assertTrue(p.add(t, EVENT, "0123456789").kept());
        assertEquals(1, p.takeAll().size() + p.takeAll().size());
    }

    @Test
    void configurationsSurviveTheirStoredForm() {
        BucketLogging c = new BucketLogging("logs", "a\nb\\c/", true, true, true, List.of(
                new BucketLogging.TargetGrant("CanonicalUser", "000000000002", null, null, "READ"),
                new BucketLogging.TargetGrant("Group", null, "http://acs.amazonaws.com/groups/global/AllUsers", null, "WRITE")));
        assertEquals(c, BucketLogging.decode(c.encode()));
        BucketLogging plain = new BucketLogging("logs", "", false, false, false, List.of());
        assertEquals(plain, BucketLogging.decode(plain.encode()));
        assertNull(BucketLogging.decode(null));
    }
}
