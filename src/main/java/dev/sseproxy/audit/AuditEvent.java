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
 *
 * <p>PostgreSQL's text cannot hold U+0000, which a client can put in a key or an access key id
 * ({@code %00}): in the text columns it becomes U+FFFD. (The JSON of the record escapes it, so the
 * record keeps the key as sent.) One such row used to fail its whole batch, and every retry of it.
 */
public record AuditEvent(UUID eventId, Instant eventTime, String accountId, String eventSource, String eventName,
        boolean readOnly, String username, String accessKeyId, List<String> resourceNames, String resources,
        String record) {

    public AuditEvent {
        accountId = storable(accountId);
        eventName = storable(eventName);
        username = storable(username);
        accessKeyId = storable(accessKeyId);
        resourceNames = resourceNames == null ? null : resourceNames.stream().map(AuditEvent::storable).toList();
        resources = storable(resources);
        record = storable(record);
    }

    static String storable(String s) {
        return s == null || s.indexOf('\u0000') < 0 ? s : s.replace('\u0000', '\uFFFD');
    }
}
