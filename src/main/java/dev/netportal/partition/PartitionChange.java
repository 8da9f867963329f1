package dev.netportal.partition;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an admin changes on a partition (P1). Absent fields stay as they are. Pools and external networks are only
 * ever added: the lists, when given, must still hold every existing one, unchanged, since tenants' networks and
 * firewalls depend on them.
 *
 * @param inventory   machine counts by size to set; a count of 0 removes the size
 * @param removeProxy true to take the proxy away (machines then have no internet access without a firewall)
 * @param fabric      the fabric settings to change
 */
public record PartitionChange(Optional<String> name, Optional<String> description, Optional<Integer> childLengthV4,
                              Optional<Integer> minChildLengthV4, Optional<Integer> childLengthV6,
                              Optional<Integer> minChildLengthV6, Optional<PartitionSpec.Proxy> proxy,
                              boolean removeProxy, Map<String, Integer> inventory,
                              Optional<List<String>> superNetworks,
                              Optional<List<PartitionSpec.ExternalNetworkSpec>> externalNetworks,
                              FabricSettings.FabricChange fabric) {
}
