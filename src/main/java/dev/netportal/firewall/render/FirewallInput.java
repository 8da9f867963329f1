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
     * One network of the firewall.
     *
     * @param prefixes     the network's IPv4 prefixes
     * @param ip           the firewall's address in the network
     * @param masquerade   whether traffic from the primary network leaving through this one is masqueraded (R2)
     * @param destinations for an external network: where it leads (e.g. 0.0.0.0/0)
     * @param gateway      for an external network: the next hop towards the destinations
     */
    public record Leg(Role role, String network, int vrf, List<String> prefixes, String ip, boolean masquerade,
                      List<String> destinations, String gateway) {
    }
}
