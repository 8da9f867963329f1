package dev.netportal.network;

import dev.netportal.audit.AuditLog;
import dev.netportal.common.DomainException;
import dev.netportal.common.Refusal;
import dev.netportal.common.Slice;
import dev.netportal.identity.Access;
import dev.netportal.identity.Actor;
import dev.netportal.identity.ProjectId;
import dev.netportal.identity.ProjectRole;
import dev.netportal.ipam.Address;
import dev.netportal.ipam.Family;
import dev.netportal.ipam.Prefix;
import dev.netportal.ipam.Range;
import dev.netportal.network.internal.NetworkRepository;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * IP addresses of a network (I1-I3): the lowest free address or a given one, reserved as {@code STATIC} by a
 * project member; allocations in one network queue on the network's row lock (docs/decisions/002).
 */
@Service
public class IpService {

    private final NetworkRepository networks;
    private final NetworkService networkService;
    private final AuditLog audit;
    private final TransactionalOperator tx;

    IpService(NetworkRepository networks, NetworkService networkService, AuditLog audit, TransactionalOperator tx) {
        this.networks = networks;
        this.networkService = networkService;
        this.audit = audit;
        this.tx = tx;
    }

    /** Reserves the lowest free IPv4 address, or {@code requested}, as a static IP of the network's project. */
    public Mono<IpAddress> allocate(Actor actor, NetworkId id, Optional<String> requested, String name, String description) {
        UUID networkId = id.value();
        if ((name != null && name.length() > 100) || (description != null && description.length() > 1000)) {
            return Mono.error(Refusal.IP_NAME.with());
        }
        // the network as read in the last seconds will do: its project, partition and prefixes never change, and
        // ip_reserve checks under the network's lock that it still exists and names it as it is now
        return networkService.getRemembered(actor, id).flatMap(network -> Access
                .require(actor, ProjectRole.MEMBER, network.project(), "reserve IPs")
                .then(Mono.defer(() -> {
                    Optional<Address> address = requested.filter(text -> !text.isBlank()).map(text -> checkRequested(network, text));
                    Prefix prefix = prefixFor(network, address.map(Address::family).orElse(Family.IPV4));
                    // one statement, the audit event included, and no transaction around it: the network's row is
                    // locked only while the database runs it (ip_reserve; the event gets the address as "ip")
                    return audit.columns(actor, new AuditLog.Change("ip.allocate", "ip", networkId + "/",
                                    network.project().value(), network.partition().value(), null,
                                    Map.of("network", network.name(), "kind", IpKind.STATIC)))
                            .flatMap(event -> networks.reserveIp(networkId, prefix, address.orElse(null), network.project(),
                                    name, description == null ? "" : description, event))
                            .flatMap(allocation -> {
                                if (allocation.outcome().equals("gone")) {
                                    networkService.forget(id);
                                    return Mono.error(DomainException.notFound("Network " + networkId));
                                }
                                return outcome(network, prefix, address, allocation);
                            });
                })));
    }

    /** Releases a static IP: it becomes free again, merged with its neighbours. */
    public Mono<Void> release(Actor actor, NetworkId id, String ip) {
        UUID networkId = id.value();
        return networkService.get(actor, id).flatMap(network -> Access
                .require(actor, ProjectRole.MEMBER, network.project(), "release IPs")
                .then(Mono.defer(() -> {
                    Address address = Address.parse(ip);
                    Prefix prefix = prefixFor(network, address.family());
                    Mono<Void> work = networks.lockNetwork(networkId)
                            .then(networks.deleteStaticIp(networkId, prefix, address))
                            .switchIfEmpty(Mono.error(() -> DomainException.notFound(
                                    "Static IP " + address + " in network " + network.name())))
                            // only once the address is known to be the network's (an address outside it has no neighbours there)
                            .then(Mono.defer(() -> giveBack(networkId, prefix, address)))
                            .then(audit.record(actor, new AuditLog.Change("ip.release", "ip", networkId + "/" + address,
                                    network.project().value(), network.partition().value(), Map.of("ip", address.toString()), null)));
                    return tx.transactional(work);
                })));
    }

    /**
     * Takes the addresses of a network for a machine or firewall (by the machine's UUID: the network module does not
     * know the machine module, which depends on it): one of each family the network has (M2, dual stack), each the
     * lowest free one or the one in {@code wanted} of that family, as {@code EPHEMERAL} IPs of {@code project} bound
     * to the machine (I2). {@code wanted} holds at most one address per family, each of a family the network has.
     * For the machine module, inside its transaction, after it has checked who may use the network; the address
     * rules (I1) are checked here, all before the first address is taken.
     */
    public Flux<IpAddress> allocateForMachine(UUID machine, ProjectId project, Network network, List<String> wanted) {
        return Flux.defer(() -> {
            Map<Family, Address> given = new EnumMap<>(Family.class);
            for (String text : wanted) {
                if (text == null || text.isBlank()) {
                    continue;
                }
                Address address = checkRequested(network, text);
                if (given.put(address.family(), address) != null) {
                    throw Refusal.M2_ONE_PER_FAMILY.with(network.name(), address.family());
                }
            }
            return Flux.fromIterable(network.prefixes()).concatMap(prefix -> {
                Optional<Address> address = Optional.ofNullable(given.get(prefix.family()));
                return networks.allocateIp(network.id().value(), prefix, address.orElse(null), project, IpKind.EPHEMERAL,
                                null, "", machine)
                        .flatMap(allocation -> outcome(network, prefix, address, allocation));
            });
        });
    }

    /** Gives back every address of a machine (M3), inside the caller's transaction; answers how many. */
    public Mono<Long> releaseMachine(UUID machine) {
        // the networks' locks first, in id order: allocations in those networks wait, and nobody deadlocks
        return networks.machineNetworks(machine).collectList()
                .flatMapMany(Flux::fromIterable).concatMap(networks::lockNetwork).then()
                .then(networks.deleteMachineIps(machine).collectList())
                .flatMapMany(Flux::fromIterable)
                .concatMap(released -> giveBack(released.network(), released.prefix(), released.address())
                        .then(networks.uncountAllocated(released.network(), released.prefix())))
                .count();
    }

    /** Gives back a machine's addresses in one network (a firewall detaching it), inside the caller's transaction. */
    public Mono<Void> releaseMachineIp(UUID machine, NetworkId networkId) {
        UUID network = networkId.value();
        return networks.lockNetwork(network).thenMany(networks.deleteMachineIp(machine, network)).collectList()
                .flatMapMany(Flux::fromIterable)
                .concatMap(released -> giveBack(released.network(), released.prefix(), released.address())
                        .then(networks.uncountAllocated(released.network(), released.prefix())))
                .then();
    }

    /** The network's IPs, lowest first: {@code limit} of them from the {@code offset}-th, and how many there are. */
    public Mono<Slice<IpAddress>> list(Actor actor, NetworkId id, long offset, int limit) {
        UUID networkId = id.value();
        Slice.check(offset, limit);
        return networkService.get(actor, id).flatMap(network -> networks.ips(networkId, offset, limit).collectList()
                .flatMap(items -> networks.ipCount(networkId).map(total -> new Slice<>(items, total))));
    }

    /** How many IPs the network holds, in all its prefixes. */
    public Mono<Long> count(Actor actor, NetworkId id) {
        UUID networkId = id.value();
        return networkService.get(actor, id).flatMap(network -> networks.ipCount(networkId));
    }

    /** The IP at an address of the network, if one is allocated there. */
    public Mono<IpAddress> find(Actor actor, NetworkId id, Address address) {
        UUID networkId = id.value();
        return networkService.get(actor, id).flatMap(network -> networks.ip(networkId, address));
    }

    private static Prefix prefixFor(Network network, Family family) {
        return network.prefixes().stream().filter(p -> p.family() == family).findFirst()
                .orElseThrow(() -> Refusal.I1_FAMILY.with(network.name(), family));
    }

    /**
     * Checks a requested address against the network's prefix and reserved addresses (I1), without asking the
     * database whether it is taken; answers the parsed address or throws the refusal that allocation would give.
     */
    public static Address checkRequested(Network network, String text) {
        Address address = Address.parse(text);
        checkAllocatable(network, prefixFor(network, address.family()), address);
        return address;
    }

    private static void checkAllocatable(Network network, Prefix prefix, Address address) {
        if (!prefix.contains(address)) {
            throw Refusal.I1_OUTSIDE.with(address, network.name(), prefix);
        }
        if (prefix.isReserved(address)) {
            String what = address.equals(prefix.network()) ? "the network address"
                    : prefix.gateway().map(address::equals).orElse(false) ? "the gateway" : "the broadcast address";
            throw Refusal.I1_RESERVED.with(address, what, network.name());
        }
    }

    private static Mono<IpAddress> outcome(Network network, Prefix prefix, Optional<Address> wanted,
            NetworkRepository.Allocation allocation) {
        return switch (allocation.outcome()) {
            case "ok" -> Mono.just(allocation.ip());
            case "quota" -> Mono.error(Refusal.N4_QUOTA_IPS.with(network.project(), allocation.quota()));
            case "full" -> Mono.error(Refusal.I3_NETWORK_FULL.with(network.name(), prefix));
            case "taken" -> Mono.error(Refusal.I1_IP_TAKEN.with(wanted.map(Address::toString).orElse("The address"), network.name()));
            default -> Mono.error(new IllegalStateException("ip_allocate answered " + allocation.outcome()));
        };
    }

    private Mono<Void> giveBack(UUID network, Prefix prefix, Address address) {
        Mono<Optional<Range>> before = networks.runEndingAt(network, prefix, address.plus(-1)).map(Optional::of)
                .defaultIfEmpty(Optional.empty());
        Mono<Optional<Range>> after = networks.runStartingAt(network, prefix, address.plus(1)).map(Optional::of)
                .defaultIfEmpty(Optional.empty());
        // one query after the other: they share the transaction's connection
        return before.flatMap(low -> after.flatMap(high -> {
            Range merged = new Range(low.map(Range::first).orElse(address), high.map(Range::last).orElse(address));
            return Mono.when(low.map(r -> networks.deleteRun(network, prefix, r)).orElse(Mono.empty()))
                    .then(Mono.when(high.map(r -> networks.deleteRun(network, prefix, r)).orElse(Mono.empty())))
                    .then(networks.insertRun(network, prefix, merged));
        }));
    }
}
