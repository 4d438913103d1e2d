package dev.sseproxy.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which client connections count as secure for SSE-C (spec §3.8). */
class ClientConnectionTest {
    static final ClientConnection NOBODY_TRUSTED = new ClientConnection(List.of(), false);
    static final ClientConnection LB = new ClientConnection(List.of("10.1.0.0/16", "192.168.7.3", "fd00:ab::/32", "::1"), false);

    @Test
    void tlsConnectionIsSecureWhateverTheHeaders() {
        assertTrue(NOBODY_TRUSTED.secure(true, "203.0.113.9", null));
        assertTrue(NOBODY_TRUSTED.secure(true, "203.0.113.9", "http"));
    }

    @Test
    void plainHttpIsNotSecure() {
        assertFalse(NOBODY_TRUSTED.secure(false, "127.0.0.1", null));
        assertFalse(LB.secure(false, "10.1.2.3", null));
    }

    @Test
    void forwardedHttpsFromAnUntrustedAddressIsIgnored() {
        assertFalse(NOBODY_TRUSTED.secure(false, "10.1.2.3", "https"));
        assertFalse(LB.secure(false, "10.2.0.1", "https"));
        assertFalse(LB.secure(false, "192.168.7.4", "https"));
        assertFalse(LB.secure(false, "fd00:ac::1", "https"));
        assertFalse(LB.secure(false, null, "https"));
        assertFalse(LB.secure(false, "lb.example.com", "https"));
    }

    @Test
    void forwardedHttpsFromATrustedProxyIsSecure() {
        assertTrue(LB.secure(false, "10.1.255.254", "https"));
        assertTrue(LB.secure(false, "192.168.7.3", "HTTPS"));
        assertTrue(LB.secure(false, "fd00:ab:1234::7", " https "));
        assertTrue(LB.secure(false, "0:0:0:0:0:0:0:1", "https"));
        assertTrue(LB.secure(false, "[::1]", "https"));
        assertTrue(LB.secure(false, "fd00:ab::1%eth0", "https"));
    }

    @Test
    void forwardedHttpFromATrustedProxyIsNotSecure() {
        assertFalse(LB.secure(false, "10.1.0.1", "http"));
        assertFalse(LB.secure(false, "10.1.0.1", ""));
        assertFalse(LB.secure(false, "10.1.0.1", "httpsx"));
    }

    @Test
    void theFirstOfACommaListCountsAsProxiesAppend() {
        assertTrue(LB.secure(false, "10.1.0.1", "https, http"));
        assertTrue(LB.secure(false, "10.1.0.1", "https,http,http"));
        assertFalse(LB.secure(false, "10.1.0.1", "http, https"));
    }

    @Test
    void allowInsecureAcceptsPlainHttp() {
        ClientConnection dev = new ClientConnection(List.of(), true);
        assertTrue(dev.secure(false, "203.0.113.9", null));
    }

    @Test
    void ipv4MappedIpv6PeerMatchesAnIpv4Range() {
        assertTrue(LB.secure(false, "::ffff:10.1.0.9", "https"));
    }

    @Test
    void ipv4CidrBoundaries() {
        ClientConnection.Cidr c = ClientConnection.Cidr.parse("172.16.0.0/12");
        assertEquals(12, c.prefix());
        assertTrue(c.contains(ClientConnection.address("172.16.0.0")));
        assertTrue(c.contains(ClientConnection.address("172.31.255.255")));
        assertFalse(c.contains(ClientConnection.address("172.32.0.0")));
        assertFalse(c.contains(ClientConnection.address("172.15.255.255")));
        assertTrue(ClientConnection.Cidr.parse("0.0.0.0/0").contains(ClientConnection.address("8.8.8.8")));
        assertEquals(32, ClientConnection.Cidr.parse("10.0.0.1").prefix());
    }

    @Test
    void ipv6CidrBoundaries() {
        ClientConnection.Cidr c = ClientConnection.Cidr.parse("2001:db8:80::/41");
        assertTrue(c.contains(ClientConnection.address("2001:db8:80::")));
        assertTrue(c.contains(ClientConnection.address("2001:db8:ff:ffff:ffff:ffff:ffff:ffff")));
        assertFalse(c.contains(ClientConnection.address("2001:db8:7f:ffff::")));
        assertFalse(c.contains(ClientConnection.address("2001:db8:100::")));
        assertEquals(128, ClientConnection.Cidr.parse("::1").prefix());
    }

    @Test
    void ipv4AndIpv6NeverMatchEachOther() {
        assertFalse(ClientConnection.Cidr.parse("::/0").contains(ClientConnection.address("10.0.0.1")));
        assertFalse(ClientConnection.Cidr.parse("0.0.0.0/0").contains(ClientConnection.address("fd00::1")));
    }

    @Test
    void addressesAreLiteralsOnly() {
        assertArrayEquals(new byte[] {10, 0, 0, 1}, ClientConnection.address("10.0.0.1"));
        assertEquals(16, ClientConnection.address("fd00::1").length);
        assertNull(ClientConnection.address("localhost"));
        assertNull(ClientConnection.address("256.0.0.1"));
        assertNull(ClientConnection.address("10.0.0"));
        assertNull(ClientConnection.address("fd00:::1:::"));
        assertNull(ClientConnection.address(""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"lb.internal", "10.0.0.0/33", "fd00::/129", "10.0.0.0/-1", "10.0.0.0/x", "10.0.0.0/", "/8"})
    void badTrustedProxyEntriesStopTheStart(String entry) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ClientConnection(List.of(entry), false));
        assertTrue(e.getMessage().startsWith("sse-proxy.trusted-proxies: '" + entry + "'"), e.getMessage());
    }

    @Test
    void blankEntriesAreSkipped() {
        assertFalse(new ClientConnection(List.of(" ", ""), false).secure(false, "10.0.0.1", "https"));
    }
}
