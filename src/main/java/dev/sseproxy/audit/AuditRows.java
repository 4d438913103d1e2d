package dev.sseproxy.audit;

import dev.sseproxy.catalog.AuditEventRows;
import io.micrometer.core.instrument.Counter;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Writes batches of audit events as rows of {@code audit_event} ({@code catalog.AuditEventRows}: one
 * statement per batch, so a batch goes in whole or not at all); a batch the database refuses for its
 * data is written again a row at a time, so that only the rows refused are dropped (and counted).
 */
final class AuditRows {
    private static final Logger LOG = Logger.getLogger(AuditRows.class);

    private final AuditEventRows table;
    private final Counter dropped;

    AuditRows(AuditEventRows table, Counter dropped) {
        this.table = table;
        this.dropped = dropped;
    }

    /** Writes {@code batch}; emits how many of its rows were refused and dropped (0 when the batch went in whole). */
    Uni<Integer> write(List<AuditEvent> batch) {
        return insert(batch).replaceWith(0).onFailure(AuditRows::rowsRefused).recoverWithUni(refused -> {
            // one row the database refuses (a data error) must not stop the trail: write the batch a
            // row at a time, and drop (and count) only the rows refused
            LOG.warnf("audit: the database refused a batch of %d events (%s); writing them one at a time", batch.size(),
                    refused.toString());
            return insertEach(batch);
        });
    }

    private Uni<Void> insert(List<AuditEvent> batch) {
        List<AuditEventRows.Row> rows = new ArrayList<>(batch.size());
        for (AuditEvent e : batch) {
            rows.add(row(e));
        }
        return table.insert(rows);
    }

    /**
     * Writes rows one by one; a row refused for its data is dropped and counted, any other failure
     * fails. Emits how many rows were dropped.
     */
    private Uni<Integer> insertEach(List<AuditEvent> batch) {
        return Multi.createFrom().iterable(batch).onItem().transformToUniAndConcatenate(e -> insert(List.of(e))
                .replaceWith(0).onFailure(AuditRows::rowsRefused).recoverWithItem(refused -> {
                    if (isDuplicate(refused)) { // written by an earlier try of this batch
                        return 0;
                    }
                    dropped.increment();
                    LOG.errorf("audit: event %s (%s) refused by the database and dropped: %s", e.eventId(),
                            e.eventName(), refused.toString());
                    return 1;
                })).collect().with(java.util.stream.Collectors.summingInt(Integer::intValue));
    }

    /** A failure the rows themselves cause (SQLSTATE classes 22 data exception, 23 integrity), not the database. */
    static boolean rowsRefused(Throwable t) {
        String state = sqlState(t);
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    private static boolean isDuplicate(Throwable t) {
        return "23505".equals(sqlState(t));
    }

    private static String sqlState(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof io.vertx.pgclient.PgException pg) {
                return pg.getSqlState();
            }
        }
        return null;
    }

    private static AuditEventRows.Row row(AuditEvent e) {
        return new AuditEventRows.Row(e.eventId(), e.eventTime(), e.accountId(), e.eventSource(), e.eventName(),
                e.readOnly(), e.username(), e.accessKeyId(), e.resourceNames(), e.resources(), e.record());
    }
}
