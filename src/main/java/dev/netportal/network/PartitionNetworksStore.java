package dev.netportal.network;

import dev.netportal.ipam.Prefix;
import dev.netportal.network.internal.PartitionNetworkRepository;
import dev.netportal.partition.PartitionNetworks;
import dev.netportal.partition.PartitionSpec;
import java.util.UUID;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** The network module's side of {@link PartitionNetworks}: pools and external networks as network rows. */
@Component
class PartitionNetworksStore implements PartitionNetworks {

    private final PartitionNetworkRepository repository;

    PartitionNetworksStore(PartitionNetworkRepository repository) {
        this.repository = repository;
    }

    @Override
    public Mono<Void> addPool(String partition, Prefix pool) {
        return repository.insertPool(partition, UUID.randomUUID(), pool);
    }

    @Override
    public Mono<Void> addExternal(String partition, PartitionSpec.ExternalNetworkSpec external) {
        return repository.insertExternal(partition, UUID.randomUUID(), external);
    }
}
