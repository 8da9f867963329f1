package dev.netportal.machine;

import dev.netportal.audit.AuditLog;
import dev.netportal.common.DomainException;
import dev.netportal.common.Names;
import dev.netportal.identity.Actor;
import dev.netportal.identity.ProjectId;
import dev.netportal.identity.ProjectRole;
import dev.netportal.machine.internal.MachineRepository;
import dev.netportal.network.IpService;
import dev.netportal.network.Network;
import dev.netportal.network.NetworkService;
import dev.netportal.partition.PartitionService;
import dev.netportal.project.ProjectService;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Machines (M1-M4): a free machine of a size with one network and an IP there, freed with it in one go. */
@Service
public class MachineService {

    private final MachineRepository machines;
    private final MachineViews views;
    private final NetworkService networks;
    private final IpService ips;
    private final PartitionService partitions;
    private final ProjectService projects;
    private final AuditLog audit;
    private final TransactionalOperator tx;

    MachineService(MachineRepository machines, MachineViews views, NetworkService networks, IpService ips,
            PartitionService partitions, ProjectService projects, AuditLog audit, TransactionalOperator tx) {
        this.machines = machines;
        this.views = views;
        this.networks = networks;
        this.ips = ips;
        this.partitions = partitions;
        this.projects = projects;
        this.audit = audit;
        this.tx = tx;
    }

    /** Allocates a machine of the project: a free one of the size, its network, an IP (auto or the given one). */
    public Mono<Machine> allocate(Actor actor, ProjectId project, String name, String partition, String size,
            NetworkRequest network) {
        return require(actor, ProjectRole.MEMBER, project, "allocate machines")
                .then(Mono.defer(() -> {
                    String checkedName = Names.check("machine", name);
                    if (network == null || network.network() == null) {
                        throw DomainException.invalid("network-required", "A machine needs its network (M1).");
                    }
                    Mono<Machine> work = partitions.get(partition)
                            .then(lookup(network.network()))
                            .map(found -> Placement.machine(project, partition, List.of(found)))
                            .flatMap(primary -> projects.take(project, "machines")
                                    .then(take(machines, partition, size, Machine.Role.MACHINE, project, checkedName,
                                            primary.id(), null))
                                    .flatMap(id -> ips.allocateForMachine(id, project, primary, network.ip()).thenReturn(id)))
                            .flatMap(machines::find)
                            .flatMap(views::of)
                            .flatMap(created -> audit.record(actor, change("machine.allocate", created, null, summary(created)))
                                    .thenReturn(created));
                    return tx.transactional(work);
                }));
    }

    /** Frees a machine: its IPs are released and it returns to the inventory, in one transaction (M3). */
    public Mono<Void> free(Actor actor, UUID id) {
        return get(actor, id).flatMap(machine -> require(actor, ProjectRole.MEMBER, machine.project(), "free machines")
                .then(tx.transactional(projects.giveBack(machine.project(), "machines")
                        .then(machines.lock(id))
                        // the row as it is now: the same allocation the caller saw, not a later one of the same machine
                        .filter(row -> row.project().equals(machine.project()) && row.role() == Machine.Role.MACHINE
                                && row.allocatedAt().equals(machine.allocatedAt()))
                        .switchIfEmpty(Mono.error(() -> DomainException.notFound("Machine " + id)))
                        .then(ips.releaseMachine(id))
                        .then(machines.free(id))
                        .then(audit.record(actor, change("machine.free", machine, summary(machine), null))))));
    }

    /** One machine of a project the caller sees; another project's is "not found". */
    public Mono<Machine> get(Actor actor, UUID id) {
        return machines.find(id)
                .filter(row -> row.role() == Machine.Role.MACHINE && actor.has(ProjectRole.VIEWER, row.project()))
                .switchIfEmpty(Mono.error(() -> DomainException.notFound("Machine " + id)))
                .flatMap(views::of);
    }

    public Mono<List<Machine>> list(Actor actor, ProjectId project) {
        return require(actor, ProjectRole.VIEWER, project, "see machines")
                .thenMany(Flux.defer(() -> machines.ofProject(project, Machine.Role.MACHINE)))
                .concatMap(views::of).collectList();
    }

    private Mono<Network> lookup(UUID network) {
        return networks.lookup(network).switchIfEmpty(Mono.error(() -> DomainException.notFound("Network " + network)));
    }

    /**
     * Takes a free machine of the size for a machine or firewall; none free is a conflict naming partition and size,
     * a size the partition does not have is invalid.
     */
    static Mono<UUID> take(MachineRepository machines, String partition, String size, Machine.Role role, ProjectId project,
            String name, UUID primaryNetwork, String secret) {
        return machines.takeFree(partition, size, role, project, name, primaryNetwork, secret)
                .switchIfEmpty(Mono.defer(() -> machines.sizeExists(partition, size).flatMap(exists -> Mono.error(exists
                        ? new DomainException(DomainException.Kind.CONFLICT, "M1-no-free-machine", "Partition " + partition
                                + " has no free machine of size " + size + " left.")
                        : DomainException.invalid("M1-size", "Partition " + partition + " has no machines of size " + size + ".")))));
    }

    static Mono<Void> require(Actor actor, ProjectRole role, ProjectId project, String what) {
        if (actor.has(role, project)) {
            return Mono.empty();
        }
        return Mono.error(actor.roleIn(project).isPresent()
                ? DomainException.forbidden("Your role in project " + project + " does not allow you to " + what + ".")
                : DomainException.notFound("Project " + project));
    }

    static AuditLog.Change change(String action, Machine machine, Map<String, ?> before, Map<String, ?> after) {
        return new AuditLog.Change(action, machine.role() == Machine.Role.MACHINE ? "machine" : "firewall",
                machine.id().toString(), machine.project().value(), machine.partition(), before, after);
    }

    static Map<String, Object> summary(Machine machine) {
        return Map.of("name", machine.name(), "size", machine.size(), "networks", machine.networks().stream()
                .map(a -> a.name() + " " + a.ip()).toList());
    }
}
