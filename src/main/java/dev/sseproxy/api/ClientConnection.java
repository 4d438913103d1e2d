package dev.sseproxy.api;

import dev.sseproxy.config.SseProxyConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Whether the client-facing hop of a request was TLS, which SSE-C requires (spec §3.8): the
 * connection itself is TLS; or it comes from a trusted proxy ({@code sse-proxy.trusted-proxies}:
 * addresses or CIDR ranges, IPv4 or IPv6) that says {@code X-Forwarded-Proto: https}; or
 * {@code sse-proxy.sse-c.allow-insecure} is set (development and tests only). The header from any
 * other address is ignored. Of a comma-separated header value the first entry counts (proxies in a
 * chain append theirs), so the edge proxy must replace a client's own {@code X-Forwarded-Proto}
 * rather than pass it on.
 */
final class ClientConnection {
    /** The header a trusted proxy sets to the scheme its client used. */
    static final String FORWARDED_PROTO = "X-Forwarded-Proto";
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final List<Cidr> trustedProxies;
    private final boolean allowInsecure;

    ClientConnection(List<String> trustedProxies, boolean allowInsecure) {
        this.trustedProxies = trustedProxies.stream().map(String::trim).filter(s -> !s.isEmpty()).map(Cidr::parse).toList();
        this.allowInsecure = allowInsecure;
    }

    static ClientConnection from(SseProxyConfig config) {
        return new ClientConnection(config.trustedProxies().orElse(List.of()), config.sseC().allowInsecure());
    }

    /**
     * @param tls            whether the connection to this process is TLS
     * @param remoteAddress  the peer's IP address as text (null when unknown, e.g. a Unix socket)
     * @param forwardedProto the {@code X-Forwarded-Proto} header, or null
     */
    boolean secure(boolean tls, String remoteAddress, String forwardedProto) {
        return allowInsecure || secureTransport(tls, remoteAddress, forwardedProto);
    }

    /** As {@link #secure} without the development switch: {@code aws:SecureTransport}. */
    boolean secureTransport(boolean tls, String remoteAddress, String forwardedProto) {
        if (tls) {
            return true;
        }
        if (forwardedProto == null || trustedProxies.isEmpty() || !trusted(remoteAddress)) {
            return false;
        }
        int comma = forwardedProto.indexOf(',');
        String first = comma < 0 ? forwardedProto : forwardedProto.substring(0, comma);
        return first.trim().equalsIgnoreCase("https");
    }

    /**
     * The client's address for {@code aws:SourceIp}: the peer's, unless the peer is a trusted proxy
     * ({@code sse-proxy.trusted-proxies}) that sent {@code X-Forwarded-For}; then the right-most entry
     * that is not itself a trusted proxy (the address the last untrusted hop connected from; entries to
     * its left are what that client claimed and are not believed). Null when unknown.
     */
    String sourceIp(String remoteAddress, String forwardedFor) {
        if (forwardedFor == null || trustedProxies.isEmpty() || !trusted(remoteAddress)) {
            return remoteAddress;
        }
        String[] hops = forwardedFor.split(",", 64);
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (address(hop) == null) {
                return remoteAddress;
            }
            if (!trusted(hop) || i == 0) {
                return hop;
            }
        }
        return remoteAddress;
    }

    private boolean trusted(String remoteAddress) {
        byte[] peer = address(remoteAddress);
        if (peer == null) {
            return false;
        }
        for (Cidr c : trustedProxies) {
            if (c.contains(peer)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The bytes of an IP literal (4 for IPv4 and IPv4-mapped IPv6, 16 for IPv6), or null for
     * anything else: never a DNS lookup.
     */
    static byte[] address(String text) {
        if (text == null) {
            return null;
        }
        String s = text.trim();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        int zone = s.indexOf('%');
        if (zone >= 0) {
            s = s.substring(0, zone);
        }
        if (!s.contains(":")) {
            return ipv4(s);
        }
        // with a ':' InetAddress parses an IPv6 literal or fails, never resolving a name
        try {
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static byte[] ipv4(String s) {
        if (!IPV4.matcher(s).matches()) {
            return null;
        }
        String[] parts = s.split("\\.");
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            int octet = Integer.parseInt(parts[i]);
            if (octet > 255) {
                return null;
            }
            out[i] = (byte) octet;
        }
        return out;
    }

    /** An address range: {@code address/prefix}, or one address (the full prefix length). */
    record Cidr(byte[] network, int prefix) {
        static Cidr parse(String entry) {
            int slash = entry.indexOf('/');
            byte[] addr = address(slash < 0 ? entry : entry.substring(0, slash));
            if (addr == null) {
                throw new IllegalArgumentException("sse-proxy.trusted-proxies: '" + entry
                        + "' is not an IP address or CIDR range");
            }
            int bits = addr.length * 8;
            int prefix;
            try {
                prefix = slash < 0 ? bits : Integer.parseInt(entry.substring(slash + 1).trim());
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("sse-proxy.trusted-proxies: '" + entry
                        + "' has a prefix length outside 0.." + bits);
            }
            return new Cidr(addr, prefix);
        }

        /** Whether {@code addr} lies in this range; an IPv4 address never lies in an IPv6 range or back. */
        boolean contains(byte[] addr) {
            if (addr.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (addr[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (addr[full] & mask) == (network[full] & mask);
        }
    }
}
