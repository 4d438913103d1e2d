package dev.sseproxy.authz;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 CIDR block ({@code IpAddress} / {@code NotIpAddress} and {@code aws:SourceIp}); a bare
 * address is its own /32 (/128). Only literal addresses are read: IPv4 as four decimal octets, parsed
 * here; IPv6 (anything with a colon) by the JDK, which treats such text as a literal and never asks DNS.
 * An IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) is that IPv4 address, as the JDK reads it.
 */
record IpRange(byte[] network, int prefix) {

    /** The block {@code text} names, or null when it is not a literal address with an optional prefix. */
    static IpRange parse(String text) {
        int slash = text.indexOf('/');
        byte[] address = address(slash < 0 ? text : text.substring(0, slash));
        if (address == null) {
            return null;
        }
        // an IPv4-mapped IPv6 block (::ffff:a.b.c.d/120) is read as the IPv4 block it maps (/24)
        int mapped = address.length == 4 && text.indexOf(':') >= 0 ? 96 : 0;
        int bits = address.length * 8 + mapped;
        int prefix = bits;
        if (slash >= 0) {
            String p = text.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            prefix = Integer.parseInt(p);
            if (prefix > bits || prefix < mapped) {
                return null;
            }
        }
        return new IpRange(address, prefix - mapped);
    }

    /** The address {@code text} is, as bytes (4 or 16), or null. */
    static byte[] address(String text) {
        if (text.isEmpty() || text.length() > 45) {
            return null;
        }
        if (text.indexOf(':') >= 0) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
                if (!ok) {
                    return null; // no zone ids, no brackets, nothing the JDK might resolve
                }
            }
            try {
                return InetAddress.getByName(text).getAddress();
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return ipv4(text);
    }

    private static byte[] ipv4(String text) {
        byte[] out = new byte[4];
        int part = 0;
        int value = -1;
        int digits = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '.';
            if (c == '.') {
                if (value < 0 || part == 4) {
                    return null;
                }
                out[part++] = (byte) value;
                value = -1;
                digits = 0;
            } else if (c >= '0' && c <= '9' && digits < 3) {
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                digits++;
                if (value > 255) {
                    return null;
                }
            } else {
                return null;
            }
        }
        return part == 4 ? out : null;
    }

    /** Whether {@code address} (4 or 16 bytes) lies in this block; an address of the other family does not. */
    boolean contains(byte[] address) {
        if (address == null || address.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[full] & mask) == (network[full] & mask);
    }

    boolean isIpv4() {
        return network.length == 4;
    }
}
