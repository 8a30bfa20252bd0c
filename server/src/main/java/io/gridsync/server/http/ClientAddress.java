package io.gridsync.server.http;

import io.javalin.http.Context;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Who sent a request: the connection's peer address, or, when that peer is a proxy the operator
 * trusts (GRIDSYNC_TRUSTED_PROXIES: addresses and CIDR ranges), the address its
 * {@code X-Forwarded-For} names. The header is read from the right, past every trusted proxy; the
 * first address that is not one is the client. Without a trusted peer the header is ignored, since
 * any client can write it.
 */
public final class ClientAddress {

    private final List<Range> trusted;

    private ClientAddress(List<Range> trusted) {
        this.trusted = trusted;
    }

    /** @param trustedProxies addresses ({@code 10.0.0.5}, {@code ::1}) and ranges ({@code 10.0.0.0/8}) */
    public static ClientAddress trusting(List<String> trustedProxies) {
        List<Range> ranges = new ArrayList<>();
        for (String p : trustedProxies) {
            ranges.add(Range.parse(p.trim()));
        }
        return new ClientAddress(List.copyOf(ranges));
    }

    public String of(Context ctx) {
        return of(ctx.req().getRemoteAddr(), Collections.list(ctx.req().getHeaders("X-Forwarded-For")));
    }

    /** @param forwardedFor the X-Forwarded-For headers in order (each a comma-separated list) */
    String of(String peer, List<String> forwardedFor) {
        String client = peer;
        if (trusted.isEmpty() || forwardedFor.isEmpty()) {
            return client;
        }
        List<String> hops = new ArrayList<>();
        for (String h : forwardedFor) {
            hops.addAll(Arrays.asList(h.split(",")));
        }
        for (int i = hops.size() - 1; i >= 0 && isTrusted(client); i--) {
            String hop = hops.get(i).trim();
            if (literal(hop) == null) {
                break; // not an address: what the trusted proxy was given is not believed
            }
            client = hop;
        }
        return client;
    }

    private boolean isTrusted(String address) {
        byte[] a = literal(address);
        return a != null && trusted.stream().anyMatch(r -> r.contains(a));
    }

    /** The bytes of an IPv4 or IPv6 literal; null for anything else (never a name lookup). */
    static byte[] literal(String s) {
        if (s == null || s.isEmpty() || s.length() > 45 || !s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
            return null;
        }
        if (s.indexOf(':') < 0 && !s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return null;
        }
        try {
            return InetAddress.getByName(s).getAddress(); // a literal: no lookup
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** An address with a prefix length: 10.0.0.0/8, or one address. */
    private record Range(byte[] network, int bits) {

        static Range parse(String s) {
            int slash = s.indexOf('/');
            byte[] a = literal(slash < 0 ? s : s.substring(0, slash));
            if (a == null) {
                throw new IllegalArgumentException("GRIDSYNC_TRUSTED_PROXIES: '" + s
                        + "' is not an IP address or a CIDR range (e.g. 10.0.0.5, 10.0.0.0/8, ::1)");
            }
            int bits = a.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(s.substring(slash + 1));
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > a.length * 8) {
                    throw new IllegalArgumentException("GRIDSYNC_TRUSTED_PROXIES: '" + s + "' has a prefix length outside 0.." + a.length * 8);
                }
            }
            return new Range(a, bits);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((address[i / 8] & mask) != (network[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
