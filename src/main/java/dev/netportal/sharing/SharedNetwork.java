package dev.netportal.sharing;

import dev.netportal.common.NatType;
import dev.netportal.identity.ProjectId;
import dev.netportal.network.NetworkId;
import dev.netportal.partition.PartitionId;
import java.util.List;

/** A shared network as its partition's catalogue shows it to everyone (S5): what to attach, whose it is, its NAT. */
public record SharedNetwork(NetworkId id, String name, PartitionId partition, ProjectId project, String projectName,
                            List<String> prefixes, NatType natType) {
}
