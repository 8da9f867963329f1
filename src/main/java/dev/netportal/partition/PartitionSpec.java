package dev.netportal.partition;

import dev.netportal.common.NatType;
import dev.netportal.ipam.Prefix;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an admin gives to create a partition (P1).
 *
 * @param superNetworkV4     the IPv4 pool private networks are carved from
 * @param superNetworkV6     the optional IPv6 pool
 * @param childLengthV4      default IPv4 prefix length of a private network
 * @param minChildLengthV4   the shortest IPv4 length a tenant may ask for
 * @param childLengthV6      default IPv6 prefix length of a private network (with an IPv6 pool)
 * @param minChildLengthV6   the shortest IPv6 length
 * @param inventory          machines by size
 * @param fabric             how its firewalls run their BGP sessions with the leaves
 */
public record PartitionSpec(String id, String name, String description, Prefix superNetworkV4,
                            Optional<Prefix> superNetworkV6, int childLengthV4, int minChildLengthV4,
                            int childLengthV6, int minChildLengthV6,
                            Map<String, Integer> inventory, List<ExternalNetworkSpec> externalNetworks,
                            Optional<Proxy> proxy, FabricSettings fabric) {

    /** The default IPv6 prefix length of a private network when none is given (P1). */
    public static final int DEFAULT_CHILD_LENGTH_V6 = 64;

    /** The default fabric settings. */
    public PartitionSpec(String id, String name, String description, Prefix superNetworkV4, Optional<Prefix> superNetworkV6,
            int childLengthV4, int minChildLengthV4, int childLengthV6, int minChildLengthV6, Map<String, Integer> inventory,
            List<ExternalNetworkSpec> externalNetworks, Optional<Proxy> proxy) {
        this(id, name, description, superNetworkV4, superNetworkV6, childLengthV4, minChildLengthV4, childLengthV6,
                minChildLengthV6, inventory, externalNetworks, proxy, FabricSettings.DEFAULTS);
    }

    /** These settings with other fabric settings. */
    public PartitionSpec withFabric(FabricSettings settings) {
        return new PartitionSpec(id, name, description, superNetworkV4, superNetworkV6, childLengthV4, minChildLengthV4,
                childLengthV6, minChildLengthV6, inventory, externalNetworks, proxy, settings);
    }

    /** IPv6 lengths by default: /64 networks, none shorter than the IPv6 pool; the default fabric settings. */
    public PartitionSpec(String id, String name, String description, Prefix superNetworkV4, Optional<Prefix> superNetworkV6,
            int childLengthV4, int minChildLengthV4, Map<String, Integer> inventory, List<ExternalNetworkSpec> externalNetworks,
            Optional<Proxy> proxy) {
        this(id, name, description, superNetworkV4, superNetworkV6, childLengthV4, minChildLengthV4, DEFAULT_CHILD_LENGTH_V6,
                superNetworkV6.map(Prefix::length).orElse(DEFAULT_CHILD_LENGTH_V6), inventory, externalNetworks, proxy);
    }

    /** An external network: prefixes for firewall IPs, where it leads, and the NAT firewalls apply towards it. */
    public record ExternalNetworkSpec(String name, List<Prefix> prefixes, List<Prefix> destinations, NatType natType) {
    }

    /** The HTTP proxy that machines without a firewall use to reach the internet (M4). */
    public record Proxy(String host, int port) {
    }
}
