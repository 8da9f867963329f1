package dev.netportal.machine;

import dev.netportal.audit.AuditLog;
import dev.netportal.common.DomainException;
import dev.netportal.common.Names;
import dev.netportal.common.Refusal;
import dev.netportal.common.Slice;
import dev.netportal.identity.Access;
import dev.netportal.identity.Actor;
import dev.netportal.identity.ProjectId;
import dev.netportal.identity.ProjectRole;
import dev.netportal.network.IpService;
import dev.netportal.network.NetworkService;
import dev.netportal.partition.PartitionId;
import dev.netportal.partition.PartitionService;
import dev.netportal.project.Counter;
import dev.netportal.project.ProjectService;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/** Machines (M1-M4): a free machine of a size with one network and an IP there, freed with it in one go. */
@Service
public class MachineService {

    private final Inventory inventory;
    private final NetworkService networks;
    private final IpService ips;
    private final PartitionService partitions;
    private final ProjectService projects;
    private final AuditLog audit;
    private final TransactionalOperator tx;

    MachineService(Inventory inventory, NetworkService networks, IpService ips, PartitionService partitions,
            ProjectService projects, AuditLog audit, TransactionalOperator tx) {
        this.inventory = inventory;
        this.networks = networks;
        this.ips = ips;
        this.partitions = partitions;
        this.projects = projects;
        this.audit = audit;
        this.tx = tx;
    }

    /** Allocates a machine of the project: a free one of the size, its network, an IP (auto or the given one). */
    public Mono<Machine> allocate(Actor actor, ProjectId project, String name, PartitionId partition, String size,
            NetworkRequest network) {
        Mono<Void> named = network == null || network.network() == null ? Mono.empty()
                : networks.nameable(actor, network.network()).then();   // V1: "not found" before any other rule
        return named.then(Access.require(actor, ProjectRole.MEMBER, project, "allocate machines"))
                .then(Mono.defer(() -> {
                    String checkedName = Names.check(Names.Named.MACHINE, name);
                    if (network == null || network.network() == null) {
                        throw Refusal.NETWORK_REQUIRED_MACHINE.with();
                    }
                    Mono<Machine> work = partitions.get(partition)
                            .then(networks.require(network.network()))
                            .map(found -> Placement.machine(project, partition, List.of(found)))
                            .flatMap(primary -> projects.take(project, Counter.MACHINES)
                                    .then(inventory.take(partition, size, Machine.Role.MACHINE, project, checkedName,
                                            primary.id(), null))
                                    .flatMap(id -> ips.allocateForMachine(id.value(), project, primary, network.ips()).then(Mono.just(id))))
                            .flatMap(id -> inventory.find(id, Machine.Role.MACHINE))
                            .flatMap(created -> audit.record(actor, Inventory.change("machine.allocate", created, null,
                                    Inventory.summary(created))).thenReturn(created));
                    return tx.transactional(work);
                }));
    }

    /** Frees a machine: its IPs are released and it returns to the inventory, in one transaction (M3). */
    public Mono<Void> free(Actor actor, MachineId id) {
        return get(actor, id).flatMap(machine -> Access.require(actor, ProjectRole.MEMBER, machine.project(), "free machines")
                // the machine first: a second free of it waits here and then finds it gone ("not found")
                .then(tx.transactional(inventory.lock(machine)
                        .then(projects.giveBack(machine.project(), Counter.MACHINES))
                        .then(ips.releaseMachine(id.value()))
                        .then(inventory.free(id))
                        .then(audit.record(actor, Inventory.change("machine.free", machine, Inventory.summary(machine), null))))));
    }

    /** One machine of a project the caller sees; another project's is "not found". */
    public Mono<Machine> get(Actor actor, MachineId id) {
        return inventory.find(id, Machine.Role.MACHINE)
                .filter(machine -> actor.has(ProjectRole.VIEWER, machine.project()))
                .switchIfEmpty(Mono.error(() -> DomainException.notFound("Machine " + id)));
    }

    /** A stretch of the project's machines, oldest first, read as such from the database, and how many there are. */
    public Mono<Slice<Machine>> list(Actor actor, ProjectId project, long offset, int limit) {
        Slice.check(offset, limit);
        return Access.require(actor, ProjectRole.VIEWER, project, "see machines")
                .then(Mono.defer(() -> inventory.ofProject(project, Machine.Role.MACHINE, offset, limit)));
    }
}
