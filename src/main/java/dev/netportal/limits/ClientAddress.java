package dev.netportal.limits;

import inet.ipaddr.HostName;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.net.InetAddress;
import java.util.List;

/**
 * The address a rate limit counts a client by. Behind trusted proxies (an ingress) the client is the right-most
 * address of {@code X-Forwarded-For} that is not itself a trusted proxy; from anyone else the header is ignored,
 * so a client cannot choose its own address. An IPv6 client counts by its /64, which one host usually holds whole.
 */
public final class ClientAddress {

    private final List<IPAddress> trusted;

    public ClientAddress(List<String> trustedProxies) {
        this.trusted = trustedProxies.stream().map(text -> {
            IPAddress address = new IPAddressString(text).getAddress();
            if (address == null) {
                throw new IllegalArgumentException("netportal.rate-limits.trusted-proxies: '" + text
                        + "' is not an address or CIDR range");
            }
            return address.toPrefixBlock();
        }).toList();
    }

    /**
     * The key of the client: {@code peer} is the connection's remote address (null if unknown),
     * {@code forwardedFor} the values of the {@code X-Forwarded-For} headers in order.
     */
    public String keyOf(InetAddress peer, List<String> forwardedFor) {
        if (peer == null) {
            return "unknown";
        }
        IPAddress client = new IPAddressString(peer.getHostAddress()).getAddress();
        if (client == null) {
            return "unknown";
        }
        if (isTrusted(client) && forwardedFor != null) {
            List<String> hops = forwardedFor.stream()
                    .flatMap(value -> java.util.Arrays.stream(value.split(",")))
                    .map(String::strip).filter(s -> !s.isEmpty()).toList();
            for (int i = hops.size() - 1; i >= 0; i--) {
                IPAddress hop = hop(hops.get(i));
                if (hop == null) {
                    break;   // a malformed hop: count by the last address we can trust
                }
                client = hop;
                if (!isTrusted(hop)) {
                    break;
                }
            }
        }
        return key(client);
    }

    /** One hop of the header: an address, with a port as some proxies write it ({@code 192.0.2.7:5060}, {@code [2001:db8::7]:443}). */
    private static IPAddress hop(String text) {
        IPAddress plain = new IPAddressString(text).getAddress();
        if (plain != null) {
            return plain;
        }
        HostName withPort = new HostName(text);
        return withPort.isAddress() ? withPort.asAddress() : null;
    }

    private boolean isTrusted(IPAddress address) {
        return trusted.stream().anyMatch(range -> range.contains(address));
    }

    private static String key(IPAddress address) {
        if (address.isIPv6()) {
            IPAddress v4 = address.toIPv6().isIPv4Mapped() ? address.toIPv6().getEmbeddedIPv4Address() : null;
            return v4 != null ? v4.toCanonicalString() : address.setPrefixLength(64).toPrefixBlock().toCanonicalString();
        }
        return address.withoutPrefixLength().toCanonicalString();
    }
}
