package dev.netportal.partition;

import dev.netportal.common.NatType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A partition as everyone may see it: pools, child lengths per family, external networks, proxy, free machines by
 * size, and how its firewalls peer with its leaf switches.
 */
public record Partition(PartitionId id, String name, String description, List<String> superNetworks, int childLengthV4,
                        int minChildLengthV4, int childLengthV6, int minChildLengthV6, List<ExternalNetwork> externalNetworks,
                        Optional<PartitionSpec.Proxy> proxy, Map<String, Integer> freeInventory, FabricSettings fabric) {

    /** Whether the partition has an IPv6 pool: its private networks are then dual stack. */
    public boolean dualStack() {
        return superNetworks.stream().anyMatch(pool -> pool.contains(":"));
    }

    /** An external network of the partition. */
    public record ExternalNetwork(UUID id, String name, List<String> prefixes, List<String> destinationPrefixes,
                                  NatType natType) {
    }
}
