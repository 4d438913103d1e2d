package dev.sseproxy.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExposedDefaultSecretsTest {

    static Map<String, String> defaults(String httpHost, String managementHost) {
        Map<String, String> m = new HashMap<>();
        m.put("quarkus.http.host", httpHost);
        m.put("quarkus.management.host", managementHost);
        m.put("sse-proxy.root.secret-key", "sseproxy-root-secret-change-me");
        m.put("sse-proxy.backend.secret-key", "sseproxy-minio-secret");
        m.put("quarkus.datasource.password", "sseproxy");
        return m;
    }

    @Test
    void loopbackKeepsWorkingWithTheDefaults() {
        assertDoesNotThrow(() -> ExposedDefaultSecrets.check(defaults("127.0.0.1", "127.0.0.1")));
        assertDoesNotThrow(() -> ExposedDefaultSecrets.check(defaults("localhost", "::1")));
        assertDoesNotThrow(() -> ExposedDefaultSecrets.check(defaults("127.0.0.2", "[::1]")));
    }

    @Test
    void aPublicS3ListenerWithTheDefaultsIsRefusedNamingEverySetting() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ExposedDefaultSecrets.check(defaults("0.0.0.0", "127.0.0.1")));
        String m = e.getMessage();
        assertTrue(m.contains("quarkus.http.host=0.0.0.0"), m);
        assertFalse(m.contains("quarkus.management.host"), m);
        assertTrue(m.contains("sse-proxy.root.secret-key (SSE_PROXY_ROOT_SECRET_KEY)"), m);
        assertTrue(m.contains("sse-proxy.backend.secret-key (SSE_PROXY_BACKEND_SECRET_KEY)"), m);
        assertTrue(m.contains("quarkus.datasource.password (DB_PASSWORD)"), m);
    }

    @Test
    void aPublicManagementListenerAloneIsEnough() {
        for (String host : new String[] {"0.0.0.0", "::", "[::]", "192.0.2.10", "", "no-such-host.invalid"}) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ExposedDefaultSecrets.check(defaults("127.0.0.1", host)), host);
            assertTrue(e.getMessage().contains("quarkus.management.host=" + host), e.getMessage());
        }
    }

    @Test
    void onlyTheSettingsStillAtTheirDefaultAreNamed() {
        Map<String, String> m = defaults("0.0.0.0", "0.0.0.0");
        m.put("sse-proxy.root.secret-key", "a-real-secret");
        m.put("quarkus.datasource.password", "another");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ExposedDefaultSecrets.check(m));
        assertFalse(e.getMessage().contains("root.secret-key"), e.getMessage());
        assertFalse(e.getMessage().contains("DB_PASSWORD"), e.getMessage());
        assertTrue(e.getMessage().contains("sse-proxy.backend.secret-key"), e.getMessage());
        m.put("sse-proxy.backend.secret-key", "third");
        assertDoesNotThrow(() -> ExposedDefaultSecrets.check(m));
    }

    @Test
    void anUnsetListenerCountsAsTheWildcard() {
        Map<String, String> m = defaults("127.0.0.1", "127.0.0.1");
        m.remove("quarkus.management.host");
        assertThrows(IllegalStateException.class, () -> ExposedDefaultSecrets.check(m));
    }
}
