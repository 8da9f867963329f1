package dev.netportal.firewall;

import dev.netportal.common.NatType;
import dev.netportal.firewall.internal.ConfigRepository;
import dev.netportal.firewall.render.FirewallInput;
import dev.netportal.firewall.render.FirewallRenderer;
import dev.netportal.firewall.render.Rendered;
import dev.netportal.ipam.Prefix;
import dev.netportal.network.NetworkId;
import dev.netportal.network.NetworkType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Keeps every firewall's desired configuration in step with its networks (D1): FirewallService and ShareService
 * call it inside the transaction of each change (allocation, attach, detach, share approval), so the new revision
 * exists exactly when the change does. A rendering equal to the newest revision stores nothing (R4).
 */
@Service
public class FirewallConfigs {

    private final ConfigRepository configs;

    FirewallConfigs(ConfigRepository configs) {
        this.configs = configs;
    }

    /**
     * Re-renders a firewall and stores a new revision if the output changed; answers the newest revision.
     *
     * @param cause     the change, in words, for the revision history
     * @param actorName who made it
     */
    public Mono<Integer> update(FirewallId firewallId, String cause, String actorName) {
        UUID firewall = firewallId.value();
        return configs.head(firewall).flatMap(head -> configs.legs(firewall).collectList()
                .flatMap(legs -> {
                    Rendered rendered = FirewallRenderer.render(input(head, legs));
                    return configs.latest(firewall)
                            // the same text as the newest revision of this allocation: nothing new (R4); a new
                            // allocation always gets a revision of its own, whatever an earlier one rendered
                            .map(latest -> latest.current() && latest.hash().equals(rendered.hash())
                                    ? Mono.just(latest.revision())
                                    : store(firewall, latest.revision() + 1, rendered, cause, actorName))
                            .defaultIfEmpty(Mono.defer(() -> store(firewall, 1, rendered, cause, actorName)))
                            .flatMap(next -> next);
                }));
    }

    /**
     * Locks the firewalls with an address in the network, in id order, before a change to the network that will
     * render them (rename, share approval) locks the network: every path locks a firewall before its networks, so
     * none deadlocks with another.
     */
    public Mono<Void> lockUsing(NetworkId networkId) {
        return configs.lockFirewallsIn(networkId.value());
    }

    /**
     * What the firewall's configuration is now, rendered from its networks as they are, without storing anything
     * (to check that the newest revision is in step with them); empty if it is not an allocated firewall.
     */
    public Mono<Rendered> renderNow(FirewallId firewallId) {
        UUID firewall = firewallId.value();
        return configs.head(firewall, false).flatMap(head -> configs.legs(firewall).collectList()
                .map(legs -> FirewallRenderer.render(input(head, legs))));
    }

    /** Re-renders every firewall with an address in the network (its type, NAT or name changed). */
    public Mono<Void> updateUsing(NetworkId networkId, String cause, String actorName) {
        UUID network = networkId.value();
        // the list first: no query runs while another's rows are still streaming on the transaction's connection
        return configs.firewallsIn(network).collectList().flatMap(firewalls -> updateAll(firewalls, cause, actorName));
    }

    /** How many firewalls one set of statements renders (a change that touches more takes several, in id order). */
    static final int CHUNK = 500;

    /**
     * {@link #update} for many firewalls, with a few statements for all of them instead of a few for each: their
     * rows locked in id order, their networks and newest revisions read at once, the new revisions stored at once.
     * Firewalls that are no longer allocated are left out.
     */
    Mono<Void> updateAll(List<UUID> firewalls, String cause, String actorName) {
        return updateAll(firewalls, cause, actorName, CHUNK);
    }

    /** As above, {@code chunk} firewalls per set of statements. */
    Mono<Void> updateAll(List<UUID> firewalls, String cause, String actorName, int chunk) {
        List<UUID> sorted = firewalls.stream().distinct().sorted().toList();
        return Flux.range(0, (sorted.size() + chunk - 1) / chunk)
                .concatMap(i -> updateChunk(sorted.subList(i * chunk, Math.min(sorted.size(), (i + 1) * chunk)), cause, actorName))
                .then();
    }

    private Mono<Void> updateChunk(List<UUID> firewalls, String cause, String actorName) {
        return load(firewalls, true).flatMap(loaded -> configs.latest(firewalls).collectMap(Map.Entry::getKey, Map.Entry::getValue)
                // rendering hundreds of firewalls takes tens of milliseconds of CPU: not on the database driver's event loop
                .publishOn(Schedulers.parallel())
                .flatMap(latest -> {
                    List<ConfigRepository.NewRevision> changed = new ArrayList<>();
                    loaded.forEach((firewall, inputs) -> {
                        Rendered rendered = FirewallRenderer.render(input(inputs.head(), inputs.legs()));
                        ConfigRepository.Latest newest = latest.get(firewall);
                        // the same text as the newest revision of this allocation: nothing new (R4); a new allocation
                        // always gets a revision of its own, whatever an earlier one rendered
                        if (newest == null || !newest.current() || !newest.hash().equals(rendered.hash())) {
                            changed.add(new ConfigRepository.NewRevision(firewall, newest == null ? 1 : newest.revision() + 1,
                                    rendered.hash(), rendered.frr(), rendered.nftables()));
                        }
                    });
                    return configs.storeAll(changed, cause, actorName);
                }));
    }

    /** What one firewall is rendered from: its row and its networks. */
    private record Inputs(ConfigRepository.Head head, List<ConfigRepository.Leg> legs) {
    }

    /**
     * What each of the allocated firewalls among the given ones is rendered from, in id order, read with one query
     * for their rows (locked in id order with {@code lock}) and one for their networks.
     */
    private Mono<Map<UUID, Inputs>> load(List<UUID> firewalls, boolean lock) {
        return configs.heads(firewalls, lock).collectMap(Map.Entry::getKey, Map.Entry::getValue, LinkedHashMap::new)
                .flatMap(heads -> configs.legs(firewalls).collectMultimap(Map.Entry::getKey, Map.Entry::getValue)
                        .map(legs -> {
                            Map<UUID, Inputs> loaded = new LinkedHashMap<>();
                            heads.forEach((firewall, head) -> loaded.put(firewall,
                                    new Inputs(head, List.copyOf(legs.getOrDefault(firewall, List.of())))));
                            return loaded;
                        }));
    }

    /** What a firewall's configuration would become if a network changed its type and NAT; nothing is stored. */
    public record Preview(FirewallId firewall, String name, String project, Rendered now, Rendered then) {

        public boolean changes() {
            return !now.hash().equals(then.hash());
        }
    }

    /**
     * Renders, without storing, every firewall that uses the network as it is and as it would be with the given
     * type and NAT (the approval queue shows this before a share is approved).
     */
    public Flux<Preview> preview(NetworkId networkId, NetworkType type, NatType natType) {
        UUID network = networkId.value();
        return configs.firewallsIn(network).collectList()
                .flatMapMany(firewalls -> Flux.range(0, (firewalls.size() + CHUNK - 1) / CHUNK)
                        .concatMap(chunk -> load(firewalls.subList(chunk * CHUNK, Math.min(firewalls.size(), (chunk + 1) * CHUNK)), false)
                                .flatMapIterable(Map::entrySet)))
                .map(entry -> {
                    ConfigRepository.Head head = entry.getValue().head();
                    List<ConfigRepository.Leg> legs = entry.getValue().legs();
                    return new Preview(new FirewallId(entry.getKey()), head.name(), head.project(),
                            FirewallRenderer.render(input(head, legs)),
                            FirewallRenderer.render(input(head, legs.stream().map(leg -> !leg.network().equals(network) ? leg
                                    : new ConfigRepository.Leg(leg.network(), leg.name(), type, leg.project(), leg.vrf(),
                                            natType, leg.prefixes(), leg.ips(), leg.destinations())).toList())));
                });
    }

    /**
     * Drops a freed firewall's sync state; its revisions stay, so that the machine's next firewall continues the
     * numbering (its history shows only its own).
     */
    public Mono<Void> forget(FirewallId firewallId) {
        UUID firewall = firewallId.value();
        return configs.forget(firewall);
    }

    /** The newest revision and the sync state; empty for a firewall without one. */
    public Mono<FirewallConfig> current(FirewallId firewallId) {
        UUID firewall = firewallId.value();
        return configs.current(firewall);
    }

    /** The sync states of the given firewalls, by id (one query for a whole list). */
    public Mono<java.util.Map<FirewallId, SyncState>> sync(List<FirewallId> firewalls) {
        return firewalls.isEmpty() ? Mono.just(java.util.Map.of())
                : configs.sync(firewalls.stream().map(FirewallId::value).toList())
                        .collectMap(entry -> new FirewallId(entry.getKey()), java.util.Map.Entry::getValue);
    }

    /** A stretch of the firewall's revisions, newest first, and how many there are. */
    public Mono<dev.netportal.common.Slice<Revision>> history(FirewallId firewallId, long offset, int limit) {
        UUID firewall = firewallId.value();
        return configs.history(firewall, offset, limit);
    }

    /** One stored revision of the firewall. */
    public Mono<Revision> revision(FirewallId firewallId, int revision) {
        UUID firewall = firewallId.value();
        return configs.revision(firewall, revision);
    }

    /** A stretch of the allocated firewalls with their sync states (callers check that the reader is an admin). */
    public Mono<dev.netportal.common.Slice<FleetEntry>> fleet(boolean notInSyncOnly, long offset, int limit) {
        return configs.fleet(notInSyncOnly, offset, limit);
    }

    /** How many allocated firewalls are in each sync state (PENDING, IN_SYNC, FAILING). */
    public Mono<java.util.Map<SyncStatus, Long>> fleetCounts() {
        return configs.fleetCounts();
    }

    private Mono<Integer> store(UUID firewall, int revision, Rendered rendered, String cause, String actorName) {
        return configs.store(firewall, revision, rendered.hash(), rendered.frr(), rendered.nftables(), cause, actorName)
                .thenReturn(revision);
    }

    /** R1: the primary is the private network, or else the firewall's own shared network. */
    static FirewallInput input(ConfigRepository.Head head, List<ConfigRepository.Leg> legs) {
        // the primary network is the one chosen at allocation (F1)
        UUID primary = head.primaryNetwork();
        return new FirewallInput(head.name(), head.asn(), head.fabric(), legs.stream().map(leg -> {
            FirewallInput.Role role = leg.network().equals(primary) ? FirewallInput.Role.PRIMARY
                    : leg.type() == NetworkType.EXTERNAL ? FirewallInput.Role.EXTERNAL : FirewallInput.Role.SHARED;
            List<Prefix> prefixes = leg.prefixes().stream().map(Prefix::parse).toList();
            return new FirewallInput.Leg(role, leg.name(), leg.vrf(), prefixes.stream().map(Prefix::toString).toList(), leg.ips(),
                    role != FirewallInput.Role.PRIMARY && leg.natType() == NatType.IPV4_MASQUERADE,
                    role == FirewallInput.Role.EXTERNAL ? leg.destinations() : List.of(),
                    role == FirewallInput.Role.EXTERNAL
                            ? prefixes.stream().flatMap(p -> p.gateway().stream()).map(Object::toString).toList() : List.of());
        }).toList());
    }
}
