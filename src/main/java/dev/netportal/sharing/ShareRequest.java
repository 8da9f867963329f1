package dev.netportal.sharing;

import dev.netportal.common.NatType;
import dev.netportal.identity.ProjectId;
import dev.netportal.network.NetworkId;
import dev.netportal.partition.PartitionId;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A request to promote a private network to a shared network (S1), with what the network is (for the review)
 * and, once decided, who decided and why.
 */
public record ShareRequest(ShareRequestId id, NetworkId network, String networkName, List<String> networkPrefixes,
                           PartitionId partition, ProjectId project, String projectName, String requestedBy,
                           String requestedByName, String reason, NatType natType, ShareStatus status, String decidedBy,
                           String decidedByName, String comment, OffsetDateTime createdAt, OffsetDateTime decidedAt) {

    /** The network's first prefix (IPv4). */
    public String networkPrefix() {
        return networkPrefixes.isEmpty() ? null : networkPrefixes.getFirst();
    }

    /** All of the network's prefixes for people, IPv4 first. */
    public String networkPrefixesText() {
        return String.join(", ", networkPrefixes);
    }
}
