package dev.netportal.firewall;

import dev.netportal.firewall.internal.ConfigRepository;
import dev.netportal.firewall.render.FirewallInput;
import dev.netportal.firewall.render.FirewallRenderer;
import dev.netportal.firewall.render.Rendered;
import dev.netportal.ipam.Prefix;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Keeps every firewall's desired configuration in step with its networks (D1): the machine and sharing modules
 * call it inside the transaction of each change (allocation, attach, detach, share approval), so the new revision
 * exists exactly when the change does. A rendering equal to the newest revision stores nothing (R4).
 */
@Service
public class FirewallConfigs {

    private final ConfigRepository configs;

    FirewallConfigs(ConfigRepository configs) {
        this.configs = configs;
    }

    /** Re-renders a firewall and stores a new revision if the output changed; answers the newest revision. */
    public Mono<Integer> update(UUID firewall) {
        return configs.head(firewall).flatMap(head -> configs.legs(firewall).collectList()
                .flatMap(legs -> {
                    Rendered rendered = FirewallRenderer.render(input(head, legs));
                    return configs.latest(firewall)
                            .map(latest -> latest.hash().equals(rendered.hash()) ? Mono.just(latest.revision())
                                    : store(firewall, latest.revision() + 1, rendered))
                            .defaultIfEmpty(Mono.defer(() -> store(firewall, 1, rendered)))
                            .flatMap(next -> next);
                }));
    }

    /** Re-renders every firewall with an address in the network (its type or NAT changed). */
    public Mono<Void> updateUsing(UUID network) {
        // the list first: no query runs while another's rows are still streaming on the transaction's connection
        return configs.firewallsIn(network).collectList().flatMapMany(reactor.core.publisher.Flux::fromIterable)
                .concatMap(this::update).then();
    }

    /** Drops a freed firewall's revisions and sync state. */
    public Mono<Void> forget(UUID firewall) {
        return configs.forget(firewall);
    }

    /** The newest revision and the sync state; empty for a firewall without one. */
    public Mono<FirewallConfig> current(UUID firewall) {
        return configs.current(firewall);
    }

    private Mono<Integer> store(UUID firewall, int revision, Rendered rendered) {
        return configs.store(firewall, revision, rendered.hash(), rendered.frr(), rendered.nftables()).thenReturn(revision);
    }

    /** R1: the primary is the private network, or else the firewall's own shared network. */
    static FirewallInput input(ConfigRepository.Head head, List<ConfigRepository.Leg> legs) {
        // the primary network is the one chosen at allocation (F1)
        UUID primary = head.primaryNetwork();
        return new FirewallInput(head.name(), legs.stream().map(leg -> {
            FirewallInput.Role role = leg.network().equals(primary) ? FirewallInput.Role.PRIMARY
                    : "EXTERNAL".equals(leg.type()) ? FirewallInput.Role.EXTERNAL : FirewallInput.Role.SHARED;
            Prefix prefix = Prefix.parse(leg.prefix());
            return new FirewallInput.Leg(role, leg.name(), leg.vrf(), List.of(prefix.toString()), leg.ip(),
                    role != FirewallInput.Role.PRIMARY && "IPV4_MASQUERADE".equals(leg.natType()),
                    role == FirewallInput.Role.EXTERNAL ? leg.destinations() : List.of(),
                    role == FirewallInput.Role.EXTERNAL ? prefix.gateway().map(Object::toString).orElse(null) : null);
        }).toList());
    }
}
