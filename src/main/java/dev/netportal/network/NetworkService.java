package dev.netportal.network;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.netportal.audit.AuditLog;
import dev.netportal.common.DomainException;
import dev.netportal.common.InputLimits;
import dev.netportal.common.Names;
import dev.netportal.common.NatType;
import dev.netportal.common.Refusal;
import dev.netportal.common.Slice;
import dev.netportal.database.Retries;
import dev.netportal.identity.Access;
import dev.netportal.identity.Actor;
import dev.netportal.identity.ProjectId;
import dev.netportal.identity.ProjectRole;
import dev.netportal.ipam.Carving;
import dev.netportal.ipam.Family;
import dev.netportal.ipam.Prefix;
import dev.netportal.network.internal.NetworkRepository;
import dev.netportal.partition.PartitionId;
import dev.netportal.partition.PartitionService;
import dev.netportal.project.Counter;
import dev.netportal.project.ProjectService;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Private networks (N1-N4): carved first-fit from the partition's pools, each with a fresh VRF. */
@Service
public class NetworkService {

    private final NetworkRepository networks;
    private final PartitionService partitions;
    private final ProjectService projects;
    private final List<NetworkRenames> renames;
    private final AuditLog audit;
    private final TransactionalOperator tx;

    /**
     * How long {@link #getRemembered} may answer a network from memory: what a change does to it (a rename, a type
     * or NAT changed by sharing) shows at once on this instance and on others within this time.
     */
    static final Duration REMEMBERED_FOR = Duration.ofSeconds(10);

    private final Cache<UUID, Network> remembered = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(REMEMBERED_FOR).build();

    NetworkService(NetworkRepository networks, PartitionService partitions, ProjectService projects,
            List<NetworkRenames> renames, AuditLog audit, TransactionalOperator tx) {
        this.networks = networks;
        this.partitions = partitions;
        this.projects = projects;
        this.renames = renames;
        this.audit = audit;
        this.tx = tx;
    }

    /** Creates a private network for a project; members and owners only (N1, N4). */
    public Mono<Network> create(Actor actor, ProjectId project, NewNetwork request) {
        return Access.require(actor, ProjectRole.MEMBER, project, "create networks").then(Mono.defer(() -> {
            String name = Names.check(Names.Named.NETWORK, request.name());
            String description = request.description() == null ? "" : InputLimits.description(request.description());
            Map<String, String> labels = Labels.check(request.labels());
            return partitions.settings(new PartitionId(request.partition())).flatMap(settings -> {
                int length = request.prefixLength().orElse(settings.childLengthV4());
                if (length < settings.minChildLengthV4() || length > Family.IPV4.longestNetwork()) {
                    return Mono.error(Refusal.N1_PREFIX_LENGTH.with(settings.id(), Family.IPV4, settings.minChildLengthV4(),
                            Family.IPV4.longestNetwork(), length));
                }
                if (request.prefixLengthV6().isPresent() && !settings.hasIpv6Pool()) {
                    return Mono.error(Refusal.N1_NO_IPV6_POOL.with(settings.id()));
                }
                int lengthV6 = request.prefixLengthV6().orElse(settings.childLengthV6());
                if (settings.hasIpv6Pool() && (lengthV6 < settings.minChildLengthV6() || lengthV6 > Family.IPV6.longestNetwork())) {
                    return Mono.error(Refusal.N1_PREFIX_LENGTH_V6.with(settings.id(), Family.IPV6, settings.minChildLengthV6(),
                            Family.IPV6.longestNetwork(), lengthV6));
                }
                UUID id = UUID.randomUUID();
                Mono<Network> work = networks.lockPartition(settings.id())
                        .then(projects.take(project, Counter.NETWORKS))
                        .then(networks.insertNetwork(id, project, settings.id(), name, description, labels))
                        .then(carve(id, settings.id(), 4, length))
                        .then(settings.hasIpv6Pool() ? carve(id, settings.id(), 6, lengthV6) : Mono.empty())
                        .then(networks.find(id))
                        .flatMap(created -> audit.record(actor, new AuditLog.Change("network.create", "network",
                                id.toString(), project.value(), settings.id(), null,
                                Map.of("name", created.name(), "prefixes", texts(created.prefixes()), "vrf", created.vrf())))
                                .thenReturn(created));
                return tx.transactional(work);
            });
        }));
    }

    /** One network; another project's network is "not found" (viewers and up see their projects' networks). */
    public Mono<Network> get(Actor actor, NetworkId networkId) {
        UUID id = networkId.value();
        return networks.find(id)
                .filter(network -> network.project() != null && actor.has(ProjectRole.VIEWER, network.project()))
                .switchIfEmpty(Mono.error(() -> DomainException.notFound("Network " + id)));
    }

    /**
     * As {@link #get}, but from memory when this instance read the network in the last {@link #REMEMBERED_FOR}: for
     * writes that need only what never changes while a network exists (project, partition, prefixes, VRF) and whose
     * statement checks under the network's lock that it still exists (an IP reservation, {@code ip_reserve}). Its
     * name, type, NAT, description, labels and counts may be that old.
     */
    public Mono<Network> getRemembered(Actor actor, NetworkId networkId) {
        Network known = remembered.getIfPresent(networkId.value());
        if (known != null && actor.has(ProjectRole.VIEWER, known.project())) {
            return Mono.just(known);
        }
        return get(actor, networkId).doOnNext(network -> remembered.put(networkId.value(), network));
    }

    /** Forgets what {@link #getRemembered} knows of a network: it changed, or it is gone. */
    void forget(NetworkId networkId) {
        remembered.invalidate(networkId.value());
    }

    /**
     * One network its reader may see (V1): the caller's projects' networks; another project's shared network, which
     * every signed-in user may read (show it as the catalogue does: its owner alone sees how much it is used);
     * anything else is "not found".
     */
    public Mono<Network> read(Actor actor, NetworkId networkId) {
        UUID id = networkId.value();
        return networks.find(id)
                .filter(network -> network.project() != null)
                .flatMap(network -> actor.has(ProjectRole.VIEWER, network.project()) ? Mono.just(network)
                        : network.type() == NetworkType.CHILD_SHARED ? Mono.just(network) : Mono.empty())
                .switchIfEmpty(Mono.error(() -> DomainException.notFound("Network " + id)));
    }

    /**
     * A network the caller may name inside a request (V1): a network of one of their projects, any shared network,
     * or a partition's external network; anything else is "not found", checked before any other rule, so that no
     * refusal (not even "you may not change this firewall") depends on another project's private network.
     */
    public Mono<Network> nameable(Actor actor, NetworkId networkId) {
        UUID id = networkId.value();
        return networks.find(id)
                .filter(network -> network.project() == null || network.type() == NetworkType.CHILD_SHARED
                        || actor.has(ProjectRole.VIEWER, network.project()))
                .switchIfEmpty(Mono.error(() -> DomainException.notFound("Network " + id)));
    }

    /**
     * Any network, including external networks and other projects' networks, without a visibility check: for
     * modules that check their own rules on it (a firewall attaching a shared network of another project).
     */
    public Mono<Network> lookup(NetworkId networkId) {
        UUID id = networkId.value();
        return networks.find(id);
    }

    /**
     * Turns a private network into a shared one with the consumers' NAT type (S3), in the caller's transaction once
     * the sharing rules allowed it; answers whether it did (false: it is shared already).
     */
    public Mono<Boolean> promote(NetworkId networkId, NatType natType) {
        UUID network = networkId.value();
        return networks.promote(network, natType).doOnSuccess(promoted -> forget(networkId));
    }

    /** Any network by id, for other modules' checks (placement rules); "not found" if there is none. */
    public Mono<Network> require(NetworkId networkId) {
        UUID id = networkId.value();
        return networks.find(id).switchIfEmpty(Mono.error(() -> DomainException.notFound("Network " + id)));
    }

    /** The project's networks, oldest first. */
    public Mono<List<Network>> list(Actor actor, ProjectId project) {
        return Access.require(actor, ProjectRole.VIEWER, project, "see networks")
                .then(networks.ofProject(project).collectList());
    }

    /** A page of the project's networks, oldest first, read as such from the database, and how many there are. */
    public Mono<Slice<Network>> list(Actor actor, ProjectId project, long offset, int limit) {
        Slice.check(offset, limit);
        return Access.require(actor, ProjectRole.VIEWER, project, "see networks")
                .then(Mono.defer(() -> networks.ofProject(project, offset, limit).collectList()
                        .flatMap(items -> networks.countOfProject(project).map(total -> new Slice<>(items, total)))));
    }

    /**
     * A stretch of the networks of all projects, by partition and age, read as such from the database, and how many
     * there are; platform admins only. Only those of {@code partition} when given, and only those whose name,
     * project or a prefix contains {@code text} (in any case) when it is not blank.
     */
    public Mono<Slice<Network>> listAll(Actor actor, Optional<PartitionId> partition, String text, long offset, int limit) {
        Slice.check(offset, limit);
        String wanted = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        return Access.admin(actor, "see the networks of all projects").then(Mono.defer(() ->
                networks.allOfProjects(partition.map(PartitionId::value).orElse(null), wanted, offset, limit)));
    }

    /** Changes name, description or labels (N2); members and owners only. */
    public Mono<Network> update(Actor actor, NetworkId networkId, NetworkChange change) {
        UUID id = networkId.value();
        return get(actor, networkId).flatMap(before -> Access.require(actor, ProjectRole.MEMBER, before.project(), "change networks")
                .then(Mono.defer(() -> {
                    if (change.type().filter(type -> type.equals(NetworkType.CHILD.name())).isPresent()) {
                        throw Refusal.S4_UNSHARE_FORBIDDEN.with();
                    }
                    if (change.placement() || change.type().isPresent()) {
                        throw Refusal.N2_IMMUTABLE.with(before.id());
                    }
                    String name = Names.check(Names.Named.NETWORK, change.name().orElse(before.name()));
                    String description = InputLimits.description(change.description().orElse(before.description()));
                    Map<String, String> labels = change.labels().map(Labels::check).orElse(before.labels());
                    boolean renamed = !name.equals(before.name());
                    Mono<Network> work = (renamed ? Flux.fromIterable(renames).concatMap(listener -> listener.renaming(networkId)).then()
                                    : Mono.<Void>empty())
                            .then(networks.lockNetwork(id))
                            .then(networks.updateNetwork(id, name, description, labels))
                            // names are in the firewalls' configurations: they render again in this transaction
                            .then(!renamed ? Mono.<Void>empty() : Flux.fromIterable(renames)
                                    .concatMap(listener -> listener.renamed(networkId, name, actor.name())).then())
                            .then(networks.find(id))
                            .flatMap(after -> audit.record(actor, new AuditLog.Change("network.update", "network", id.toString(),
                                    after.project().value(), after.partition().value(),
                                    Map.of("name", before.name(), "description", before.description(), "labels", before.labels()),
                                    Map.of("name", after.name(), "description", after.description(), "labels", after.labels())))
                                    .thenReturn(after));
                    return Retries.whenBrokenUp(tx.transactional(work));
                })))
                .doOnSuccess(after -> forget(networkId));
    }

    /**
     * Deletes a private or shared network that nothing uses any more (N3): no machine or firewall of any project
     * in it, no IP, no pending share request: its prefixes go back to the pool, merged with
     * free neighbours, and its VRF id is freed.
     */
    public Mono<Void> delete(Actor actor, NetworkId networkId) {
        UUID id = networkId.value();
        return get(actor, networkId).flatMap(network -> Access.require(actor, ProjectRole.MEMBER, network.project(), "delete networks")
                .then(Mono.defer(() -> {
                    Mono<Void> work = networks.lockPartition(network.partition().value())
                            .then(networks.lockNetwork(id))
                            .then(networks.hasPendingShareRequest(id))
                            .flatMap(pending -> pending
                                    ? Mono.error(Refusal.N3_SHARE_REQUEST_PENDING.with(network.name()))
                                    : Mono.<Void>empty())
                            .then(networks.users(id, network.project()))
                            .flatMap(users -> users.own() != null
                                    ? Mono.<Void>error(Refusal.N3_NETWORK_IN_USE.with(network.name(), users.own()))
                                    : users.others() > 0
                                    ? Mono.<Void>error(Refusal.N3_NETWORK_IN_USE.with(network.name(), users.others() == 1
                                            ? "1 firewall of another project" : users.others() + " firewalls of other projects"))
                                    : Mono.<Void>empty())
                            .then(networks.hasIps(id))
                            .flatMap(used -> used
                                    ? Mono.error(Refusal.N3_NETWORK_HAS_IPS.with(network.name()))
                                    : networks.deleteNetwork(id))
                            .then(Flux.fromIterable(network.prefixes())
                                    .concatMap(prefix -> giveBack(network.partition().value(), prefix)).then())
                            .then(projects.giveBack(network.project(), Counter.NETWORKS))
                            .then(audit.record(actor, new AuditLog.Change("network.delete", "network", id.toString(),
                                    network.project().value(), network.partition().value(),
                                    Map.of("name", network.name(), "prefixes", texts(network.prefixes())), null)));
                    return tx.transactional(work);
                })))
                .doOnSuccess(done -> forget(networkId));
    }

    private static List<String> texts(List<Prefix> prefixes) {
        return prefixes.stream().map(Prefix::toString).toList();
    }

    /** Returns a child prefix to its pool, merging it with its buddy as long as the buddy is free. */
    private Mono<Void> giveBack(String partition, Prefix prefix) {
        return networks.poolHolding(partition, prefix).flatMap(pool -> merge(partition, pool, prefix));
    }

    private Mono<Void> merge(String partition, NetworkRepository.FreeBlock pool, Prefix block) {
        if (block.length() <= pool.block().length()) {
            return networks.insertFreeBlock(partition, pool.pool(), block);
        }
        Prefix buddy = block.buddy().orElseThrow();
        return networks.isFree(partition, buddy).flatMap(free -> free
                ? networks.deleteFreeBlock(partition, buddy).then(merge(partition, pool, block.parent().orElseThrow()))
                : networks.insertFreeBlock(partition, pool.pool(), block));
    }

    private Mono<Void> carve(UUID network, String partition, int family, int length) {
        return networks.firstFreeBlock(partition, family, length)
                .switchIfEmpty(Mono.error(() -> Refusal.N1_POOL_EXHAUSTED.with(partition, length, family)))
                .flatMap(free -> {
                    Carving.Split split = Carving.carve(free.block(), length);
                    return networks.replaceFreeBlock(partition, free, split.stillFree())
                            .then(networks.insertChildPrefix(network, partition, split.taken()));
                });
    }
}
