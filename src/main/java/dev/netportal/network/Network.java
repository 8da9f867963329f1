package dev.netportal.network;

import dev.netportal.common.NatType;
import dev.netportal.identity.ProjectId;
import dev.netportal.ipam.Prefix;
import dev.netportal.partition.PartitionId;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * A network as the portal shows it.
 *
 * @param prefix    the IPv4 prefix
 * @param prefixes  all prefixes, IPv4 first
 * @param allocated   IPs handed out in the IPv4 prefix
 * @param total       allocatable IPs of the IPv4 prefix
 * @param allocatedV6 IPs handed out in the IPv6 prefix (0 without one)
 * @param totalV6     allocatable IPs of the IPv6 prefix (0 without one): a /64 holds more than a long
 */
public record Network(NetworkId id, String name, ProjectId project, PartitionId partition, NetworkType type, NatType natType,
                      Prefix prefix, List<Prefix> prefixes, Integer vrf, String description, Map<String, String> labels,
                      long allocated, long total, long allocatedV6, BigInteger totalV6, OffsetDateTime createdAt) {

    /** All prefixes for people, IPv4 first: {@code 10.0.4.0/22, fd00:1::/64}. */
    public String prefixesText() {
        return String.join(", ", prefixes.stream().map(Prefix::toString).toList());
    }
}
