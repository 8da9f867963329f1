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
 * @param inventory          machines by size
 */
public record PartitionSpec(String id, String name, String description, Prefix superNetworkV4,
                            Optional<Prefix> superNetworkV6, int childLengthV4, int minChildLengthV4,
                            Map<String, Integer> inventory, List<ExternalNetworkSpec> externalNetworks,
                            Optional<Proxy> proxy) {

    /** An external network: prefixes for firewall IPs, where it leads, and the NAT firewalls apply towards it. */
    public record ExternalNetworkSpec(String name, List<Prefix> prefixes, List<Prefix> destinations, NatType natType) {
    }

    /** The HTTP proxy that machines without a firewall use to reach the internet (M4). */
    public record Proxy(String host, int port) {
    }
}
