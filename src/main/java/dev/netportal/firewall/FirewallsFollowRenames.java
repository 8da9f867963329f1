package dev.netportal.firewall;

import dev.netportal.network.NetworkId;
import dev.netportal.network.NetworkRenames;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Every firewall with an address in a renamed network gets a new revision with the new name (R4). */
@Component
class FirewallsFollowRenames implements NetworkRenames {

    private final FirewallConfigs configs;

    FirewallsFollowRenames(FirewallConfigs configs) {
        this.configs = configs;
    }

    @Override
    public Mono<Void> renaming(NetworkId network) {
        return configs.lockUsing(network);
    }

    @Override
    public Mono<Void> renamed(NetworkId network, String name, String actorName) {
        return configs.updateUsing(network, "network renamed to " + name, actorName);
    }
}
