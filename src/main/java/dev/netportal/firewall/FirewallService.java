package dev.netportal.firewall;

import dev.netportal.audit.AuditLog;
import dev.netportal.common.DomainException;
import dev.netportal.common.Names;
import dev.netportal.common.Refusal;
import dev.netportal.common.Slice;
import dev.netportal.database.Retries;
import dev.netportal.identity.Access;
import dev.netportal.identity.Actor;
import dev.netportal.identity.ProjectId;
import dev.netportal.identity.ProjectRole;
import dev.netportal.machine.Inventory;
import dev.netportal.machine.Machine;
import dev.netportal.machine.NetworkRequest;
import dev.netportal.machine.Placement;
import dev.netportal.network.IpService;
import dev.netportal.network.Network;
import dev.netportal.network.NetworkId;
import dev.netportal.network.NetworkService;
import dev.netportal.network.NetworkType;
import dev.netportal.partition.PartitionId;
import dev.netportal.partition.PartitionService;
import dev.netportal.project.Counter;
import dev.netportal.project.ProjectService;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Firewalls (F1-F3, I2): allocated with a private network (or their own shared one), shared networks of any
 * project and external networks of their partition, each with an IP; shared networks attached and detached while
 * they run. Attach and detach queue on the firewall's row, so the rules hold under concurrent requests.
 */
@Service
public class FirewallService {

    /** A new firewall, and its agent's credential: shown this once, only a hash is kept. */
    public record Allocated(Machine firewall, String agentCredential) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Inventory inventory;
    private final NetworkService networks;
    private final IpService ips;
    private final PartitionService partitions;
    private final ProjectService projects;
    private final AuditLog audit;
    private final TransactionalOperator tx;
    private final FirewallConfigs configs;

    FirewallService(Inventory inventory, NetworkService networks, IpService ips,
            PartitionService partitions, ProjectService projects, AuditLog audit, TransactionalOperator tx,
            FirewallConfigs configs) {
        this.configs = configs;
        this.inventory = inventory;
        this.networks = networks;
        this.ips = ips;
        this.partitions = partitions;
        this.projects = projects;
        this.audit = audit;
        this.tx = tx;
    }

    /** Allocates a firewall of the project with its networks (F1); members and owners. */
    public Mono<Allocated> allocate(Actor actor, ProjectId project, String name, PartitionId partition, String size,
            List<NetworkRequest> requested) {
        return Flux.fromIterable(requested == null ? List.<NetworkRequest>of() : requested).filter(r -> r != null && r.network() != null)
                .concatMap(r -> networks.nameable(actor, r.network()))   // V1: "not found" before any other rule
                .then(Access.require(actor, ProjectRole.MEMBER, project, "allocate firewalls"))
                .then(Mono.defer(() -> {
                    String checkedName = Names.check(Names.Named.FIREWALL, name);
                    String credential = newCredential();
                    // the partition's row first: a change of its fabric settings then cannot miss this firewall
                    Mono<Allocated> work = partitions.getHeld(partition)
                            .thenMany(Flux.fromIterable(requested).concatMap(r -> networks.require(r.network())))
                            .collectList()
                            .flatMap(found -> {
                                Network primary = Placement.firewall(project, partition, found);
                                return projects.take(project, Counter.FIREWALLS)
                                        .then(inventory.take(partition, size, Machine.Role.FIREWALL, project,
                                                checkedName, primary.id(), dev.netportal.firewall.protocol.Credentials.hash(credential)))
                                        // networks locked in id order, as releases do, so no two requests deadlock
                                        .flatMap(machine -> Flux.range(0, found.size())
                                                .sort(java.util.Comparator.comparing(i -> found.get(i).id().value()))
                                                .concatMap(i -> ips.allocateForMachine(machine.value(), project, found.get(i),
                                                        requested.get(i).ips()))
                                                .then(configs.update(FirewallId.of(machine), "firewall allocated", actor.name()))
                                                .then(Mono.just(machine)));
                            })
                            .flatMap(machine -> inventory.find(machine, Machine.Role.FIREWALL))
                            .flatMap(created -> audit.record(actor, Inventory.change("firewall.allocate", created, null,
                                    Inventory.summary(created))).thenReturn(new Allocated(created, credential)));
                    return tx.transactional(work);
                }));
    }

    /**
     * Attaches a shared network of the firewall's partition to a running firewall (F2, F3), with an address of each
     * of its families: the wanted ones (at most one per family), else the lowest free (M2).
     */
    public Mono<Machine> attach(Actor actor, FirewallId firewall, NetworkId network, List<String> wantedIps) {
        return get(actor, firewall).flatMap(seen -> networks.nameable(actor, network)
                .then(Access.require(actor, ProjectRole.MEMBER, seen.project(), "change firewalls"))
                .then(Retries.whenBrokenUp(tx.transactional(inventory.lock(seen).flatMap(row -> networks.require(network).flatMap(wanted -> {
                    Placement.attachable(row.project(), row.partition(), row.networks(), wanted);
                    return ips.allocateForMachine(firewall.value(), row.project(), wanted, wantedIps)
                            .then(configs.update(firewall, "shared network " + wanted.name() + " attached", actor.name()))
                            .then(inventory.find(firewall.machine(), Machine.Role.FIREWALL))
                            .flatMap(after -> audit.record(actor, Inventory.change("firewall.attach", after,
                                    null, Map.of("network", wanted.name(), "ip", address(after, network))))
                                    .thenReturn(after));
                }))))));
    }

    /** Detaches a shared network from a firewall and releases the firewall's IP there (F2). */
    public Mono<Machine> detach(Actor actor, FirewallId firewall, NetworkId network) {
        return get(actor, firewall).flatMap(seen -> networks.nameable(actor, network)
                .then(Access.require(actor, ProjectRole.MEMBER, seen.project(), "change firewalls"))
                .then(Retries.whenBrokenUp(tx.transactional(inventory.lock(seen).flatMap(before -> {
                    Machine.Attachment attached = before.networks().stream().filter(a -> a.network().equals(network)).findFirst()
                            .orElseThrow(() -> DomainException.notFound("Network " + network + " on firewall " + before.name()));
                    if (attached.type() != NetworkType.CHILD_SHARED || attached.primary()) {
                        throw Refusal.F2_DETACH_SHARED_ONLY.with(attached.name(), (attached.primary() ? "primary network"
                                : attached.type() == NetworkType.CHILD ? "private network" : "external network"));
                    }
                    return ips.releaseMachineIp(firewall.value(), network)
                            .then(configs.update(firewall, "shared network " + attached.name() + " detached", actor.name()))
                            .then(inventory.find(firewall.machine(), Machine.Role.FIREWALL))
                            .flatMap(after -> audit.record(actor, Inventory.change("firewall.detach", after,
                                    Map.of("network", attached.name(), "ip", attached.addresses()), null)).thenReturn(after));
                })))));
    }

    /** Frees a firewall: its IPs in every network are released and it returns to the inventory. */
    public Mono<Void> free(Actor actor, FirewallId id) {
        return get(actor, id).flatMap(firewall -> Access.require(actor, ProjectRole.MEMBER, firewall.project(), "free firewalls")
                // the firewall first: a second free of it waits here and then finds it gone ("not found")
                .then(Retries.whenBrokenUp(tx.transactional(inventory.lock(firewall)
                        .then(projects.giveBack(firewall.project(), Counter.FIREWALLS))
                        .then(ips.releaseMachine(id.value()))
                        .then(configs.forget(id))
                        .then(inventory.free(id.machine()))
                        .then(audit.record(actor, Inventory.change("firewall.free", firewall,
                                Inventory.summary(firewall), null)))))));
    }

    /** One firewall of a project the caller sees; another project's is "not found". */
    public Mono<Machine> get(Actor actor, FirewallId id) {
        return inventory.find(id.machine(), Machine.Role.FIREWALL)
                .filter(firewall -> actor.has(ProjectRole.VIEWER, firewall.project()))
                .switchIfEmpty(Mono.error(() -> DomainException.notFound("Firewall " + id)));
    }

    /** A stretch of the project's firewalls, oldest first, read as such from the database, and how many there are. */
    public Mono<Slice<Machine>> list(Actor actor, ProjectId project, long offset, int limit) {
        Slice.check(offset, limit);
        return Access.require(actor, ProjectRole.VIEWER, project, "see firewalls")
                .then(Mono.defer(() -> inventory.ofProject(project, Machine.Role.FIREWALL, offset, limit)));
    }

    /** The firewall's desired configuration and sync state (D4), for a caller who may see the firewall. */
    public Mono<FirewallConfig> config(Actor actor, FirewallId id) {
        return get(actor, id).flatMap(firewall -> configs.current(id)
                // the agent's own words (validator output, its reasons) are for the firewall's project; an admin
                // from outside it sees that something failed, not the text
                .map(config -> actor.roleIn(firewall.project()).isPresent() ? config : config.withoutAgentWords()));
    }

    /**
     * The sync states of firewalls the caller has already read (through {@link #get} or {@link #list}), by id;
     * a firewall without a configuration yet is missing.
     */
    public Mono<Map<FirewallId, SyncState>> sync(List<Machine> seen) {
        return configs.sync(seen.stream().map(FirewallId::of).toList());
    }

    /** The firewall's stored revisions, newest first, with what caused each (for a caller who may see it). */
    public Mono<Slice<Revision>> history(Actor actor, FirewallId id, long offset, int limit) {
        return get(actor, id).flatMap(firewall -> {
            Slice.check(offset, limit);
            return configs.history(id, offset, limit);
        });
    }

    /** One stored revision of the firewall (for a caller who may see it). */
    public Mono<Revision> revision(Actor actor, FirewallId id, int revision) {
        return get(actor, id).flatMap(firewall -> configs.revision(id, revision))
                .switchIfEmpty(Mono.error(() -> DomainException.notFound("Revision " + revision + " of firewall " + id)));
    }

    /** A stretch of all firewalls with their sync states, those not in sync first, for admins (the fleet view). */
    public Mono<Slice<FleetEntry>> fleet(Actor actor, boolean notInSyncOnly, long offset, int limit) {
        return Access.admin(actor, "see the whole fleet of firewalls").then(Mono.defer(() -> {
            Slice.check(offset, limit);
            return configs.fleet(notInSyncOnly, offset, limit);
        }));
    }

    /** How many firewalls are in each sync state, for admins. */
    public Mono<Map<SyncStatus, Long>> fleetCounts(Actor actor) {
        return Access.admin(actor, "see the whole fleet of firewalls").then(configs.fleetCounts());
    }

    private static String address(Machine machine, NetworkId network) {
        return machine.networks().stream().filter(a -> a.network().equals(network)).map(Machine.Attachment::addresses)
                .findFirst().orElse("");
    }

    private static String newCredential() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }
}
