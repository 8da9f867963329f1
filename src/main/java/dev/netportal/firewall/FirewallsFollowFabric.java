package dev.netportal.firewall;

import dev.netportal.firewall.internal.ConfigRepository;
import dev.netportal.partition.FabricChanges;
import dev.netportal.partition.FabricSettings;
import dev.netportal.partition.PartitionId;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Every firewall of a partition whose fabric settings changed gets a new revision with them (D5). */
@Component
class FirewallsFollowFabric implements FabricChanges {

    private final ConfigRepository repository;
    private final FirewallConfigs configs;

    FirewallsFollowFabric(ConfigRepository repository, FirewallConfigs configs) {
        this.repository = repository;
        this.configs = configs;
    }

    @Override
    public Mono<Void> changed(PartitionId partition, FabricSettings settings, String actorName) {
        return repository.firewallsInPartition(partition.value()).collectList()
                .flatMap(firewalls -> configs.updateAll(firewalls, "fabric settings of partition " + partition + " changed: BGP "
                        + settings.keepalive() + "/" + settings.holdTime() + " s, tenant prefixes to external networks "
                        + settings.externalExport(), actorName));
    }
}
