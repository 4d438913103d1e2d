package dev.sseproxy.audit;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One audit event as stored (table {@code audit_event}): the columns LookupEvents filters on, and the
 * CloudTrail record itself as JSON text.
 *
 * @param resourceNames every {@code Resources[].ResourceName}
 * @param resources     LookupEvents' {@code Resources}: JSON {@code [{"ResourceType","ResourceName"}]}
 * @param record        the CloudTrail record, JSON
 */
public record AuditEvent(UUID eventId, Instant eventTime, String accountId, String eventSource, String eventName,
        boolean readOnly, String username, String accessKeyId, List<String> resourceNames, String resources,
        String record) {
}
