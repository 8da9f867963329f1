package dev.netportal.partition;

import dev.netportal.ipam.Prefix;
import reactor.core.publisher.Mono;

/**
 * The networks a partition brings, kept by the network module (the only writer of networks): the partition
 * module asks for them here, in its own transaction, without depending on the network module.
 */
public interface PartitionNetworks {

    /** Adds a pool (super network) to the partition, its whole prefix free for private networks. */
    Mono<Void> addPool(String partition, Prefix pool);

    /** Adds an external network to the partition, with its prefixes, NAT type and destinations. */
    Mono<Void> addExternal(String partition, PartitionSpec.ExternalNetworkSpec external);
}
