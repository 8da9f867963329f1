package dev.netportal.partition;

import dev.netportal.audit.AuditLog;
import dev.netportal.common.DomainException;
import dev.netportal.common.Refusal;
import dev.netportal.common.Slice;
import dev.netportal.identity.Access;
import dev.netportal.identity.Actor;
import dev.netportal.ipam.Family;
import dev.netportal.ipam.Prefix;
import dev.netportal.partition.PartitionId;
import dev.netportal.partition.internal.PartitionRepository;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Partitions and their pools (P1, P2): created and changed by platform admins, readable by everyone. */
@Service
public class PartitionService {

    private final PartitionRepository partitions;
    private final PartitionNetworks networks;
    private final AuditLog audit;
    private final TransactionalOperator tx;
    private final List<FabricChanges> fabricChanges;

    PartitionService(PartitionRepository partitions, PartitionNetworks networks, AuditLog audit, TransactionalOperator tx,
            List<FabricChanges> fabricChanges) {
        this.partitions = partitions;
        this.networks = networks;
        this.audit = audit;
        this.tx = tx;
        this.fabricChanges = List.copyOf(fabricChanges);
    }

    /** Creates a partition with its pools, external networks and inventory; admins only. */
    public Mono<Void> create(Actor actor, PartitionSpec spec) {
        return Access.admin(actor, "create partitions").then(Mono.defer(() -> createChecked(actor, spec)));
    }

    private Mono<Void> createChecked(Actor actor, PartitionSpec spec) {
        if (spec.superNetworkV4().family() != Family.IPV4
                || spec.superNetworkV6().map(p -> p.family() != Family.IPV6).orElse(false)) {
            return Mono.error(Refusal.P1_POOL_FAMILY.with(spec.id()));
        }
        checkChildLengths(spec.id(), Family.IPV4, spec.superNetworkV4().length(), spec.minChildLengthV4(), spec.childLengthV4());
        checkChildLengths(spec.id(), Family.IPV6, spec.superNetworkV6().map(Prefix::length).orElse(1), spec.minChildLengthV6(),
                spec.childLengthV6());
        spec.fabric().check(spec.id());
        Mono<Void> work = partitions.insert(spec)
                .then(networks.addPool(spec.id(), spec.superNetworkV4()))
                .then(Mono.justOrEmpty(spec.superNetworkV6())
                        .flatMap(v6 -> networks.addPool(spec.id(), v6)))
                .thenMany(Flux.fromIterable(spec.externalNetworks())
                        .concatMap(external -> networks.addExternal(spec.id(), external)))
                .thenMany(Flux.fromIterable(spec.inventory().entrySet())
                        .concatMap(size -> partitions.insertInventory(spec.id(), size.getKey(), size.getValue())))
                .then(audit.record(actor, new AuditLog.Change("partition.create", "partition", spec.id(), null,
                        spec.id(), null, Map.of("name", spec.name(), "superNetworkV4", spec.superNetworkV4().toString()))));
        return tx.transactional(work).onErrorMap(DataIntegrityViolationException.class, e -> Refusal.P2_PREFIX_OVERLAP_CREATE.with(spec.id()));
    }

    /**
     * Changes a partition (P1): name, description, child lengths for new networks, proxy, inventory and fabric
     * settings (its firewalls then render again); adds pools and external networks. Existing networks keep their
     * prefixes. Admins only.
     */
    public Mono<Partition> update(Actor actor, PartitionId partition, PartitionChange change) {
        String id = partition.value();
        Mono<Partition> work = partitions.lock(id)
                .switchIfEmpty(Mono.error(() -> DomainException.notFound("Partition " + id)))
                .then(get(new PartitionId(id)))
                // one query after the other: they share the transaction's connection
                .flatMap(before -> partitions.allocatedBySize(id).flatMap(inUseBySize -> {
                    Plan plan = plan(before, change);
                    change.inventory().forEach((size, count) -> {
                        int inUse = inUseBySize.getOrDefault(size, 0);
                        if (count != null && count < inUse) {
                            throw Refusal.P1_INVENTORY_IN_USE.with(id, inUse, size);
                        }
                    });
                    return partitions.update(id, plan.name(), plan.description(), plan.childLength(), plan.minChildLength(),
                                    plan.childLengthV6(), plan.minChildLengthV6(), plan.proxy(), plan.fabric())
                            .thenMany(Flux.fromIterable(change.inventory().entrySet())
                                    .concatMap(size -> partitions.setInventory(id, size.getKey(), size.getValue())))
                            .thenMany(Flux.fromIterable(plan.newPools())
                                    .concatMap(pool -> networks.addPool(id, pool)))
                            .thenMany(Flux.fromIterable(plan.newExternals())
                                    .concatMap(external -> networks.addExternal(id, external)))
                            // its firewalls render again with the new settings, in this transaction
                            .then(plan.fabric().equals(before.fabric()) ? Mono.<Void>empty()
                                    : Flux.fromIterable(fabricChanges)
                                            .concatMap(listener -> listener.changed(partition, plan.fabric(), actor.name())).then())
                            .then(get(new PartitionId(id)))
                            .flatMap(after -> audit.record(actor, new AuditLog.Change("partition.update", "partition", id,
                                    null, id, summary(before), summary(after))).thenReturn(after));
                }));
        return Access.admin(actor, "change partitions").then(tx.transactional(work)).onErrorMap(
                DataIntegrityViolationException.class, e -> String.valueOf(e.getMessage()).contains("P1-inventory-in-use")
                ? Refusal.P1_INVENTORY_IN_USE_MEANWHILE.with(id)
                : Refusal.P2_PREFIX_OVERLAP.with(id));
    }

    private record Plan(String name, String description, int childLength, int minChildLength, int childLengthV6,
                        int minChildLengthV6, Optional<PartitionSpec.Proxy> proxy, List<Prefix> newPools,
                        List<PartitionSpec.ExternalNetworkSpec> newExternals, FabricSettings fabric) {
    }

    private static Plan plan(Partition before, PartitionChange change) {
        String name = change.name().map(String::strip).orElse(before.name());
        if (name.isEmpty() || name.length() > 100) {
            throw Refusal.P1_PARTITION_NAME.with(before.id());
        }
        List<Prefix> pools = before.superNetworks().stream().map(Prefix::parse).toList();
        List<Prefix> newPools = change.superNetworks().map(given -> {
            List<Prefix> wanted = given.stream().map(Prefix::parse).toList();
            pools.stream().filter(pool -> !wanted.contains(pool)).findFirst().ifPresent(missing -> {
                throw Refusal.P1_POOL_REMOVAL.with(missing, before.id());
            });
            return wanted.stream().filter(pool -> !pools.contains(pool)).distinct().toList();
        }).orElse(List.of());
        List<Prefix> allPools = Stream.concat(pools.stream(), newPools.stream()).toList();
        int minLength = change.minChildLengthV4().orElse(before.minChildLengthV4());
        int childLength = change.childLengthV4().orElse(before.childLengthV4());
        checkChildLengths(before.id().value(), Family.IPV4, shortest(allPools, Family.IPV4), minLength, childLength);
        int minLengthV6 = change.minChildLengthV6().orElse(before.minChildLengthV6());
        int childLengthV6 = change.childLengthV6().orElse(before.childLengthV6());
        checkChildLengths(before.id().value(), Family.IPV6, shortest(allPools, Family.IPV6), minLengthV6, childLengthV6);
        List<PartitionSpec.ExternalNetworkSpec> newExternals = change.externalNetworks().map(given -> {
            for (Partition.ExternalNetwork existing : before.externalNetworks()) {
                PartitionSpec.ExternalNetworkSpec same = given.stream().filter(e -> e.name().equals(existing.name()))
                        .findFirst().orElseThrow(() -> Refusal.P1_EXTERNAL_REMOVAL.with(existing.name(), before.id()));
                if (!same.prefixes().stream().map(Prefix::toString).toList().equals(existing.prefixes())
                        || !same.destinations().stream().map(Prefix::toString).toList().equals(existing.destinationPrefixes())
                        || !same.natType().equals(existing.natType())) {
                    throw Refusal.P1_EXTERNAL_CHANGE.with(existing.name(), before.id());
                }
            }
            return given.stream().filter(e -> before.externalNetworks().stream().noneMatch(x -> x.name().equals(e.name())))
                    .toList();
        }).orElse(List.of());
        change.inventory().forEach((size, count) -> {
            if (count == null || count < 0 || !size.matches("[a-z0-9][a-z0-9.-]{0,62}")) {
                throw Refusal.P1_INVENTORY_COUNT.with(before.id(), size);
            }
        });
        FabricSettings fabric = before.fabric().with(change.fabric());
        fabric.check(before.id().value());
        return new Plan(name, change.description().orElse(before.description()), childLength, minLength, childLengthV6,
                minLengthV6,
                change.removeProxy() ? Optional.empty() : change.proxy().or(before::proxy), newPools, newExternals, fabric);
    }

    /** The shortest pool of the family, or /1 when the partition has none of it (lengths are then only kept). */
    private static int shortest(List<Prefix> pools, Family family) {
        return pools.stream().filter(p -> p.family() == family).mapToInt(Prefix::length).min().orElse(1);
    }

    /**
     * P1, per family: pool length <= shortest length a tenant may ask for <= default <= the longest network (/30,
     * /126), so that every pool holds at least one network of every length a tenant may be given.
     */
    private static void checkChildLengths(String partition, Family family, int poolLength, int minLength, int childLength) {
        if (minLength < poolLength || childLength < minLength || childLength > family.longestNetwork()) {
            throw Refusal.P1_CHILD_LENGTH.with(partition, family, poolLength, minLength, childLength, family.longestNetwork());
        }
    }

    private static Map<String, Object> summary(Partition p) {
        return Map.of("name", p.name(), "superNetworks", p.superNetworks(), "childLengthV4", p.childLengthV4(),
                "minChildLengthV4", p.minChildLengthV4(), "childLengthV6", p.childLengthV6(),
                "minChildLengthV6", p.minChildLengthV6(),
                "proxy", p.proxy().map(x -> x.host() + ":" + x.port()).orElse("none"),
                "externalNetworks", p.externalNetworks().stream().map(Partition.ExternalNetwork::name).toList(),
                "inventory", p.freeInventory(),
                "fabric", Map.of("bgpKeepalive", p.fabric().keepalive(), "bgpHoldTime", p.fabric().holdTime(),
                        "externalExport", p.fabric().externalExport().name()));
    }

    /** Creates the partition unless one with its id exists; admins only. Answers whether it was created. */
    public Mono<Boolean> createIfAbsent(Actor actor, PartitionSpec spec) {
        return partitions.exists(spec.id()).flatMap(exists -> exists ? Mono.just(false) : create(actor, spec).thenReturn(true));
    }

    /** All partitions, by id, for choosing one (a dialog's choice list); every signed-in user may see them. */
    public Mono<List<Partition>> list() {
        return partitions.all();
    }

    /** A stretch of the partitions by id, read as such from the database, and how many there are; for everyone. */
    public Mono<Slice<Partition>> list(long offset, int limit) {
        Slice.check(offset, limit);
        return partitions.page(offset, limit);
    }

    /** One partition; not found if it does not exist. */
    public Mono<Partition> get(PartitionId id) {
        return partitions.find(id.value()).switchIfEmpty(Mono.error(() -> DomainException.notFound("Partition " + id)));
    }

    /**
     * The partition, its row held (shared) until the caller's transaction ends, for a firewall's allocation: a change
     * of the partition's fabric settings waits until the firewall is allocated and then renders it too, or the
     * allocation waits until the change committed and renders with the new settings. Take it first in the
     * transaction, before any other row, as network creation takes the partition's row first.
     */
    public Mono<Partition> getHeld(PartitionId id) {
        return partitions.lockShared(id.value()).then(get(id));
    }

    /** The ids of all partitions, in order; every signed-in user may see them. */
    public Mono<List<String>> ids() {
        return partitions.ids().collectList();
    }

    /** The settings new private networks of a partition get; not found if it does not exist. */
    public Mono<PartitionSettings> settings(PartitionId partitionId) {
        return partitions.settings(partitionId.value())
                .switchIfEmpty(Mono.error(() -> DomainException.notFound("Partition " + partitionId)));
    }

    /** Prefix settings of a partition, as the network module needs them. */
    public record PartitionSettings(String id, int childLengthV4, int minChildLengthV4, int childLengthV6,
                                    int minChildLengthV6, boolean hasIpv6Pool) {
    }

}
