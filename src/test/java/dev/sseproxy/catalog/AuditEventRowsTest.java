package dev.sseproxy.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sseproxy.testing.LocalPostgres;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The audit trail's insert against the real PostgreSQL (V6 and V7 applied to a database of this test's
 * own): every column lands where it belongs, and a batch goes in whole or not at all.
 */
class AuditEventRowsTest {
    static final String DATABASE = "sseproxy_unit_audit_event_rows";
    static final Duration T = Duration.ofSeconds(30);
    static Vertx vertx;
    static Pool pool;
    static AuditEventRows table;

    @BeforeAll
    static void database() throws Exception {
        LocalPostgres.recreate(DATABASE);
        vertx = Vertx.vertx();
        pool = pool(vertx, DATABASE);
        LocalPostgres.migrate(pool, "V6__audit_events.sql", "V7__audit_event_time_index.sql");
        table = new AuditEventRows(pool);
    }

    @AfterAll
    static void close() {
        pool.closeAndAwait();
        vertx.closeAndAwait();
    }

    @BeforeEach
    void empty() {
        pool.query("DELETE FROM audit_event").execute().await().atMost(T);
    }

    static Pool pool(Vertx vertx, String database) {
        return LocalPostgres.pool(vertx, database, 5432, 2);
    }

    /** A row whose every text column holds its own value, so that two columns swapped show. */
    static AuditEventRows.Row row(int n, List<String> names) {
        return new AuditEventRows.Row(UUID.randomUUID(), Instant.parse("2026-01-02T03:04:05.123456Z").plusSeconds(n),
                "account-" + n, "source-" + n, "name-" + n, n % 2 == 0, "user-" + n, "AKIA" + n, names,
                "[{\"resources\":" + n + "}]", "{\"record\":" + n + "}");
    }

    static List<AuditEventRows.Row> stored() {
        List<AuditEventRows.Row> out = new ArrayList<>();
        for (Row r : pool.query("SELECT event_id, event_time, account_id, event_source, event_name, read_only, username, "
                + "access_key_id, resource_names, resources, record, delivered, array_lower(resource_names, 1) "
                + "FROM audit_event ORDER BY event_time").execute().await().atMost(T)) {
            assertEquals(false, r.getBoolean(11), "delivered");
            String[] names = r.getArrayOfStrings(8);
            if (names.length > 0) {
                assertEquals(1, r.getInteger(12), "resource_names counts from 1, as every array of the table");
            }
            out.add(new AuditEventRows.Row(r.getUUID(0), r.getOffsetDateTime(1).toInstant(), r.getString(2), r.getString(3),
                    r.getString(4), r.getBoolean(5), r.getString(6), r.getString(7), Arrays.asList(names), r.getString(9),
                    r.getString(10)));
        }
        return out;
    }

    @Test
    void everyColumnOfABatchIsStoredWhereItBelongs() {
        AuditEventRows.Row nullable = new AuditEventRows.Row(UUID.randomUUID(),
                Instant.parse("2026-01-02T03:04:05.123456Z").plusSeconds(3), "account-3", "source-3", "name-3", false, null,
                null, List.of(), "[]", "{}");
        List<AuditEventRows.Row> batch = List.of(row(0, List.of("b0", "arn:aws:s3:::b0", "arn:aws:s3:::b0/k\u00e9,\"{}")),
                row(1, List.of()), row(2, List.of("b2")), nullable, row(4, Arrays.asList("b4", null)));
        table.insert(batch).await().atMost(T);
        assertEquals(batch, stored());
        // LookupEvents' ResourceName filter finds each row by each of its own names, and no other row
        for (AuditEventRows.Row r : batch) {
            for (String name : r.resourceNames()) {
                if (name != null) {
                    assertEquals(List.of(r.eventId()), ids("resource_names @> ARRAY[$1::text]", name), name);
                }
            }
        }
        assertEquals(2, ids("resource_names = '{}'", null).size(), "an empty list is the empty array");
    }

    static List<UUID> ids(String where, String value) {
        List<UUID> out = new ArrayList<>();
        String sql = "SELECT event_id FROM audit_event WHERE " + where;
        for (Row r : (value == null ? pool.query(sql).execute() : pool.preparedQuery(sql).execute(Tuple.of(value)))
                .await().atMost(T)) {
            out.add(r.getUUID(0));
        }
        return out;
    }

    @Test
    void aResourceNameTooLongForTheIndexIsLeftOutOfItAndTheEventWritten() {
        // a PUT with a 3,000-byte key (answered KeyTooLongError, audited all the same) names this ARN:
        // the GIN index refused it with 54000 and the audit writer retried the batch forever. (The
        // index compresses its entries: a key of one letter repeated fits, random letters do not.)
        java.util.Random random = new java.util.Random(14);
        String arn = "arn:aws:s3:::b/" + letters(random, 3000, "abcdefghijklmnopqrstuvwxyz0123456789");
        String multibyte = "arn:aws:s3:::b/" + letters(random, 700, "\u20ac\u4e2d\u3042\ud55c"); // 715 chars, 2,115 UTF-8 bytes
        String longest = "arn:aws:s3:::b/" + letters(random, AuditEventRows.MAX_INDEXED_NAME_BYTES - 15, "abcdef0123456789");
        AuditEventRows.Row e = row(0, List.of("b", arn, multibyte, longest));
        AuditEventRows.Row next = row(1, List.of("b1"));
        table.insert(List.of(e, next)).await().atMost(T);
        assertEquals(List.of(row(e, List.of("b", longest)), next), stored());
        assertEquals(List.of(e.eventId()), ids("resource_names @> ARRAY[$1::text]", longest), "the longest name indexed");
    }

    static String letters(java.util.Random random, int n, String alphabet) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    static AuditEventRows.Row row(AuditEventRows.Row r, List<String> names) {
        return new AuditEventRows.Row(r.eventId(), r.eventTime(), r.accountId(), r.eventSource(), r.eventName(),
                r.readOnly(), r.username(), r.accessKeyId(), names, r.resources(), r.record());
    }

    @Test
    void aBatchWithOneRefusedRowStoresNothing() {
        AuditEventRows.Row noAccount = new AuditEventRows.Row(UUID.randomUUID(), Instant.now(), null, "s", "n", true, null,
                null, List.of(), "[]", "{}");
        AuditEventRows.Row noNames = new AuditEventRows.Row(UUID.randomUUID(), Instant.now(), "a", "s", "n", true, null,
                null, null, "[]", "{}");
        for (AuditEventRows.Row bad : List.of(noAccount, noNames)) {
            PgException e = assertThrows(PgException.class,
                    () -> table.insert(List.of(row(0, List.of("b")), bad, row(2, List.of()))).await().atMost(T));
            assertEquals("23502", e.getSqlState(), e::toString);
            assertEquals(List.of(), stored());
        }
    }

    @Test
    void anEventIdStoredBeforeFailsTheWholeBatch() {
        AuditEventRows.Row first = row(0, List.of("b"));
        table.insert(List.of(first)).await().atMost(T);
        PgException e = assertThrows(PgException.class,
                () -> table.insert(List.of(row(1, List.of()), first)).await().atMost(T));
        assertEquals("23505", e.getSqlState(), e::toString);
        assertEquals(List.of(first), stored());
    }
}
