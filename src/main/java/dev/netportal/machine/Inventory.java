package dev.netportal.machine;

import dev.netportal.audit.AuditLog;
import dev.netportal.common.DomainException;
import dev.netportal.common.Refusal;
import dev.netportal.common.Slice;
import dev.netportal.identity.ProjectId;
import dev.netportal.machine.internal.MachineRepository;
import dev.netportal.network.NetworkId;
import dev.netportal.partition.PartitionId;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * A partition's machines as the machine and firewall modules use them: take a free one of a size, read and lock
 * an allocation, give it back. The only writer of the {@code machine} table; role checks are the caller's.
 */
@Component
public class Inventory {

    private final MachineRepository machines;
    private final MachineViews views;

    Inventory(MachineRepository machines, MachineViews views) {
        this.machines = machines;
        this.views = views;
    }

    /**
     * Takes a free machine of the size for a machine or firewall; none free is a conflict naming partition and size,
     * a size the partition does not have is invalid. {@code secret} is the hash of a firewall's agent credential.
     */
    public Mono<MachineId> take(PartitionId partition, String size, Machine.Role role, ProjectId project, String name,
            NetworkId primaryNetwork, String secret) {
        return machines.takeFree(partition.value(), size, role, project, name, primaryNetwork.value(), secret).map(MachineId::new)
                .switchIfEmpty(Mono.defer(() -> machines.sizeExists(partition.value(), size).flatMap(exists -> Mono.error(exists
                        ? Refusal.M1_NO_FREE_MACHINE.with(partition, size)
                        : Refusal.M1_SIZE.with(partition, size)))));
    }

    /** The allocated machine of the role, as a caller sees it; empty if there is none. */
    public Mono<Machine> find(MachineId id, Machine.Role role) {
        return machines.find(id.value()).filter(row -> row.role() == role).flatMap(views::of);
    }

    /**
     * The allocation the caller saw, locked until the transaction ends (attach, detach and free queue on it); "not
     * found" if the machine was freed since, or is a later allocation of the same machine.
     */
    public Mono<Machine> lock(Machine seen) {
        return machines.lock(seen.id().value())
                .filter(row -> row.role() == seen.role() && row.project().equals(seen.project())
                        && row.allocatedAt().equals(seen.allocatedAt()))
                .switchIfEmpty(Mono.error(() -> DomainException.notFound(seen.kind() + " " + seen.id())))
                .flatMap(views::of);
    }

    /** A stretch of the project's allocations of the role, oldest first, and how many there are. */
    public Mono<Slice<Machine>> ofProject(ProjectId project, Machine.Role role, long offset, int limit) {
        return machines.ofProject(project, role, offset, limit)
                .flatMap(rows -> views.of(rows.items()).map(items -> new Slice<>(items, rows.total())));
    }

    /** Returns the machine to the free inventory (its IPs are released by the caller first). */
    public Mono<Void> free(MachineId id) {
        return machines.free(id.value());
    }

    /** The audit record of a change to a machine or firewall. */
    public static AuditLog.Change change(String action, Machine machine, Map<String, ?> before, Map<String, ?> after) {
        return new AuditLog.Change(action, machine.role() == Machine.Role.MACHINE ? "machine" : "firewall",
                machine.id().toString(), machine.project().value(), machine.partition().value(), before, after);
    }

    /** What the audit log keeps of an allocation: name, size and networks with addresses. */
    public static Map<String, Object> summary(Machine machine) {
        return Map.of("name", machine.name(), "size", machine.size(), "networks", machine.networks().stream()
                .map(a -> a.name() + " " + a.addresses()).toList());
    }
}
