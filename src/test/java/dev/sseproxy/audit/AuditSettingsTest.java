package dev.sseproxy.audit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Delivery and retention settings that cannot work are refused when the proxy starts. */
class AuditSettingsTest {
    @Test
    void aDeliveryIntervalAboveFiveMinutesIsRefused() {
        LogDelivery.checkInterval(Duration.ofMinutes(5));
        LogDelivery.checkInterval(Duration.ofSeconds(1));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LogDelivery.checkInterval(Duration.ofMinutes(5).plusSeconds(1)));
        assertTrue(e.getMessage().contains("sse-proxy.audit.delivery.interval"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> LogDelivery.checkInterval(Duration.ZERO));
    }

    @Test
    void retentionSettingsThatCannotWorkAreRefused() {
        AuditRetention.check(1, 1, Duration.ofSeconds(1));
        assertThrows(IllegalStateException.class, () -> AuditRetention.check(0, 10, Duration.ofHours(1)));
        assertThrows(IllegalStateException.class, () -> AuditRetention.check(90, 0, Duration.ofHours(1)));
        assertThrows(IllegalStateException.class, () -> AuditRetention.check(90, 10, Duration.ZERO));
    }
}
