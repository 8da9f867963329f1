package dev.netportal.firewall.render;

import java.util.List;

/**
 * What a firewall's configuration is rendered from (R1-R4): its name, its own AS number, its partition's fabric
 * settings, and its networks ("legs"), each with the network's VRF, prefixes and NAT type and the firewall's
 * address there.
 *
 * @param asn    the firewall's private AS number, its own (one per firewall: the fabric passes a firewall's routes
 *               on to the others, and eBGP drops routes that carry the receiver's own AS)
 * @param fabric how its BGP sessions towards the fabric run, as its partition says
 */
public record FirewallInput(String firewall, long asn, Fabric fabric, List<Leg> legs) {

    /** The first AS number of the private 4-byte range (RFC 6996) that firewalls take theirs from. */
    public static final long FIRST_PRIVATE_ASN = 4_200_000_000L;
    /** The last AS number of the private 4-byte range (4294967295 is reserved, RFC 7300). */
    public static final long LAST_PRIVATE_ASN = 4_294_967_294L;

    public FirewallInput {
        if (asn < 1 || asn > LAST_PRIVATE_ASN) {
            throw new IllegalArgumentException("AS number " + asn + " is out of range");
        }
        legs = List.copyOf(legs);
    }

    /** A firewall with the first private AS number and the default fabric settings (tests and benchmarks). */
    public FirewallInput(String firewall, List<Leg> legs) {
        this(firewall, FIRST_PRIVATE_ASN, Fabric.DEFAULTS, legs);
    }

    /**
     * A partition's settings for the firewalls' BGP sessions with its leaf switches.
     *
     * @param keepalive        seconds between keepalives
     * @param hold             seconds without a message after which a session is down (at least three keepalives)
     * @param externalNoExport whether tenant prefixes announced to an external network carry the well-known
     *                         community {@code no-export}, so that its routers keep them to themselves
     */
    public record Fabric(int keepalive, int hold, boolean externalNoExport) {

        /** What partitions get unless an admin says otherwise: 3 s keepalives, 9 s hold time, no-export on. */
        public static final Fabric DEFAULTS = new Fabric(3, 9, true);

        public Fabric {
            if (keepalive < 1 || hold < 3L * keepalive || hold > 65535) {
                throw new IllegalArgumentException("BGP timers " + keepalive + "/" + hold + " are out of range");
            }
        }
    }

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

        /** Whether the firewall peers with the fabric in this network: shared and external ones lead to it. */
        public boolean facesTheFabric() {
            return role != Role.PRIMARY;
        }
    }
}
