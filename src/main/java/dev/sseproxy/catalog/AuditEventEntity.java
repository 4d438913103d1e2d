package dev.sseproxy.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A row of {@code audit_event} (Flyway V6): one CloudTrail event. Written only by the audit writer,
 * in batches through a stateless session; see {@code dev.sseproxy.audit}.
 */
@Entity
@Table(name = "audit_event")
public class AuditEventEntity {
    @Id
    @Column(name = "event_id")
    public UUID eventId;
    @Column(name = "event_time")
    public Instant eventTime;
    @Column(name = "account_id")
    public String accountId;
    @Column(name = "event_source")
    public String eventSource;
    @Column(name = "event_name")
    public String eventName;
    @Column(name = "read_only")
    public boolean readOnly;
    public String username;
    @Column(name = "access_key_id")
    public String accessKeyId;
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "resource_names")
    public String[] resourceNames;
    public String resources;
    public String record;
    public boolean delivered;
}
