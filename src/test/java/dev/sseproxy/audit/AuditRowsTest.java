package dev.sseproxy.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.catalog.AuditEventRows;
import dev.sseproxy.testing.LocalPostgres;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The writer's rows against the real PostgreSQL (V6 on a database of this test's own): a batch the
 * database refuses for one row is written a row at a time, and only that row is dropped and counted.
 */
class AuditRowsTest {
    static final String DATABASE = "sseproxy_unit_audit_rows";
    static final Duration T = Duration.ofSeconds(30);
    static Vertx vertx;
    static Pool pool;
    Counter dropped;
    AuditRows rows;

    @BeforeAll
    static void database() throws Exception {
        LocalPostgres.recreate(DATABASE);
        vertx = Vertx.vertx();
        pool = pool(5432);
        LocalPostgres.migrate(pool, "V6__audit_events.sql");
    }

    @AfterAll
    static void close() {
        pool.closeAndAwait();
        vertx.closeAndAwait();
    }

    @BeforeEach
    void empty() {
        pool.query("DELETE FROM audit_event").execute().await().atMost(T);
        dropped = new SimpleMeterRegistry().counter("dropped");
        rows = new AuditRows(new AuditEventRows(pool), dropped);
    }

    static Pool pool(int port) {
        return LocalPostgres.pool(vertx, DATABASE, port, 2);
    }

    static AuditEvent event(String account) {
        return new AuditEvent(UUID.randomUUID(), Instant.now(), account, "s3.amazonaws.com", "GetObject", true, "root",
                "AKIA", List.of("b", "arn:aws:s3:::b"), "[]", "{}");
    }

    static Set<UUID> stored() {
        Set<UUID> out = new HashSet<>();
        for (Row r : pool.query("SELECT event_id FROM audit_event").execute().await().atMost(T)) {
            out.add(r.getUUID(0));
        }
        return out;
    }

    @Test
    void aWholeBatchGoesInAtOnce() {
        List<AuditEvent> batch = List.of(event("1"), event("2"), event("3"));
        assertEquals(0, rows.write(batch).await().atMost(T));
        assertEquals(Set.of(batch.get(0).eventId(), batch.get(1).eventId(), batch.get(2).eventId()), stored());
        assertEquals(0, dropped.count());
    }

    @Test
    void onlyTheRowTheDatabaseRefusesIsDroppedAndCounted() {
        AuditEvent a = event("1");
        AuditEvent refused = event(null); // account_id is NOT NULL: 23502
        AuditEvent c = event("3");
        assertEquals(1, rows.write(List.of(a, refused, c)).await().atMost(T));
        assertEquals(Set.of(a.eventId(), c.eventId()), stored());
        assertEquals(1, dropped.count());
    }

    @Test
    void anEventWrittenByAnEarlierTryCountsAsWritten() {
        AuditEvent a = event("1");
        AuditEvent b = event("2");
        assertEquals(0, rows.write(List.of(a)).await().atMost(T));
        assertEquals(0, rows.write(List.of(a, b)).await().atMost(T)); // 23505 for the batch, then a row at a time
        assertEquals(Set.of(a.eventId(), b.eventId()), stored());
        assertEquals(0, dropped.count());
    }

    @Test
    void aDatabaseThatFailsFailsTheBatchForTheWriterToRetry() {
        Pool unreachable = pool(1);
        try {
            AuditRows nowhere = new AuditRows(new AuditEventRows(unreachable), dropped);
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> nowhere.write(List.of(event("1"))).await().atMost(T));
            assertTrue(!AuditRows.rowsRefused(e), e::toString);
            assertEquals(0, dropped.count());
        } finally {
            unreachable.closeAndAwait();
        }
    }
}
