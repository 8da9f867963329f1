package dev.netportal.partition;

import dev.netportal.audit.AuditLog;
import dev.netportal.common.DomainException;
import dev.netportal.identity.Actor;
import dev.netportal.ipam.Family;
import dev.netportal.ipam.Prefix;
import dev.netportal.partition.internal.PartitionRepository;
import java.util.Map;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Partitions and their pools (P1, P2): created and changed by platform admins, readable by everyone. */
@Service
public class PartitionService {

    private final PartitionRepository partitions;
    private final AuditLog audit;
    private final TransactionalOperator tx;

    PartitionService(PartitionRepository partitions, AuditLog audit, TransactionalOperator tx) {
        this.partitions = partitions;
        this.audit = audit;
        this.tx = tx;
    }

    /** Creates a partition with its pools, external networks and inventory; admins only. */
    public Mono<Void> create(Actor actor, PartitionSpec spec) {
        if (!actor.admin()) {
            return Mono.error(DomainException.forbidden("Only platform admins create partitions."));
        }
        if (spec.superNetworkV4().family() != Family.IPV4
                || spec.superNetworkV6().map(p -> p.family() != Family.IPV6).orElse(false)) {
            return Mono.error(DomainException.invalid("P1-pool-family",
                    "Partition " + spec.id() + ": the IPv4 pool must be IPv4 and the IPv6 pool IPv6."));
        }
        if (spec.minChildLengthV4() < spec.superNetworkV4().length() || spec.childLengthV4() < spec.minChildLengthV4()
                || spec.childLengthV4() > Family.IPV4.longestNetwork()) {
            return Mono.error(DomainException.invalid("P1-child-length", "Partition " + spec.id()
                    + ": child lengths must satisfy pool length <= shortest <= default <= /30."));
        }
        Mono<Void> work = partitions.insert(spec)
                .then(partitions.insertPool(spec.id(), UUID.randomUUID(), spec.superNetworkV4()))
                .then(Mono.justOrEmpty(spec.superNetworkV6())
                        .flatMap(v6 -> partitions.insertPool(spec.id(), UUID.randomUUID(), v6)))
                .thenMany(Flux.fromIterable(spec.externalNetworks())
                        .concatMap(external -> partitions.insertExternal(spec.id(), UUID.randomUUID(), external)))
                .thenMany(Flux.fromIterable(spec.inventory().entrySet())
                        .concatMap(size -> partitions.insertInventory(spec.id(), size.getKey(), size.getValue())))
                .then(audit.record(actor, new AuditLog.Change("partition.create", "partition", spec.id(), null,
                        spec.id(), null, Map.of("name", spec.name(), "superNetworkV4", spec.superNetworkV4().toString()))));
        return tx.transactional(work).onErrorMap(DataIntegrityViolationException.class, e -> new DomainException(
                DomainException.Kind.CONFLICT, "P2-prefix-overlap", "Partition " + spec.id()
                        + " cannot be created: its id is taken, or its pools and external prefixes overlap each other (P2)."));
    }

    /** Creates the partition unless one with its id exists; admins only. Answers whether it was created. */
    public Mono<Boolean> createIfAbsent(Actor actor, PartitionSpec spec) {
        return partitions.exists(spec.id()).flatMap(exists -> exists ? Mono.just(false) : create(actor, spec).thenReturn(true));
    }

    /** All partitions, by id; every signed-in user may see them. */
    public Mono<java.util.List<Partition>> list() {
        return partitions.ids().concatMap(partitions::find).collectList();
    }

    /** One partition; not found if it does not exist. */
    public Mono<Partition> get(String id) {
        return partitions.find(id).switchIfEmpty(Mono.error(() -> DomainException.notFound("Partition " + id)));
    }

    /** The ids of all partitions, in order; every signed-in user may see them. */
    public Mono<java.util.List<String>> ids() {
        return partitions.ids().collectList();
    }

    /** The settings new private networks of a partition get; not found if it does not exist. */
    public Mono<PartitionSettings> settings(String partitionId) {
        return partitions.settings(partitionId)
                .switchIfEmpty(Mono.error(() -> DomainException.notFound("Partition " + partitionId)));
    }

    /** Prefix settings of a partition, as the network module needs them. */
    public record PartitionSettings(String id, int childLengthV4, int minChildLengthV4, int childLengthV6,
                                    boolean hasIpv6Pool) {
    }

}
