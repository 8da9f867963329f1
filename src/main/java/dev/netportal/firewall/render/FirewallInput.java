package dev.netportal.firewall.render;

import java.util.List;

/**
 * What a firewall's configuration is rendered from (R1-R4): its name and its networks ("legs"), each with the
 * network's VRF, prefixes and NAT type and the firewall's address there.
 */
public record FirewallInput(String firewall, List<Leg> legs) {

    /** What a network is to this firewall. */
    public enum Role {
        /** The primary network the firewall protects: its private network, or its own shared one. */
        PRIMARY,
        /** A shared network attached for its machines to reach. */
        SHARED,
        /** A way out of the partition (the internet, an uplink). */
        EXTERNAL
    }

    /**
     * One network of the firewall; both families where the network has both (dual stack).
     *
     * @param prefixes     the network's prefixes, IPv4 first
     * @param ips          the firewall's addresses in the network, one per family, IPv4 first
     * @param masquerade   whether IPv4 traffic from the primary network leaving through this one is masqueraded (R2);
     *                     IPv6 is never translated (no NAT66)
     * @param destinations for an external network: where it leads (e.g. 0.0.0.0/0, ::/0)
     * @param gateways     for an external network: the next hop towards the destinations, one per family
     */
    public record Leg(Role role, String network, int vrf, List<String> prefixes, List<String> ips, boolean masquerade,
                      List<String> destinations, List<String> gateways) {

        public Leg {
            prefixes = List.copyOf(prefixes);
            ips = List.copyOf(ips);
            destinations = List.copyOf(destinations);
            gateways = gateways == null ? List.of() : List.copyOf(gateways);
        }

        /** The firewall's first address in the network (IPv4 where the network has IPv4). */
        public String ip() {
            return ips.getFirst();
        }

        /** A leg with one address and at most one gateway. */
        public Leg(Role role, String network, int vrf, List<String> prefixes, String ip, boolean masquerade,
                List<String> destinations, String gateway) {
            this(role, network, vrf, prefixes, List.of(ip), masquerade, destinations,
                    gateway == null ? List.of() : List.of(gateway));
        }
    }
}
