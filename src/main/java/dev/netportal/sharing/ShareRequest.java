package dev.netportal.sharing;

import dev.netportal.common.NatType;
import dev.netportal.identity.ProjectId;
import dev.netportal.network.NetworkId;
import dev.netportal.partition.PartitionId;
import java.time.OffsetDateTime;

/**
 * A request to promote a private network to a shared network (S1), with what the network is (for the review)
 * and, once decided, who decided and why.
 */
public record ShareRequest(ShareRequestId id, NetworkId network, String networkName, String networkPrefix, PartitionId partition,
                           ProjectId project, String projectName, String requestedBy, String requestedByName,
                           String reason, NatType natType, ShareStatus status, String decidedBy, String decidedByName,
                           String comment, OffsetDateTime createdAt, OffsetDateTime decidedAt) {
}
