package dev.sseproxy.audit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.pgclient.PgException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class AuditWriterTest {
    static PgException pg(String state) {
        return new PgException("m", "ERROR", state, null);
    }

    @Test
    void rowsTheDatabaseRefusesAreToldFromADatabaseThatFails() {
        // data exceptions and integrity violations: the rows' fault, so the batch is split
        assertTrue(AuditRows.rowsRefused(pg("22021"))); // invalid byte sequence (a NUL in text)
        assertTrue(AuditRows.rowsRefused(new CompletionException(new RuntimeException(pg("22P02")))));
        assertTrue(AuditRows.rowsRefused(pg("23505"))); // duplicate key: written by an earlier try
        // the database or the connection: the batch is kept and retried whole
        assertFalse(AuditRows.rowsRefused(pg("53300"))); // too many connections
        assertFalse(AuditRows.rowsRefused(pg("57P01"))); // admin shutdown
        assertFalse(AuditRows.rowsRefused(pg("08006"))); // connection failure
        assertFalse(AuditRows.rowsRefused(new java.net.ConnectException("refused")));
    }
}
