package dev.netportal.machine;

import dev.netportal.identity.ProjectId;
import dev.netportal.machine.internal.MachineRepository;
import dev.netportal.network.NetworkType;
import dev.netportal.partition.Partition;
import dev.netportal.partition.PartitionId;
import dev.netportal.partition.PartitionService;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Builds the {@link Machine}s a caller sees from rows: their networks, which one is primary, and the proxy hint. A
 * page of rows takes a few queries together, not a few per row.
 */
@Component
class MachineViews {

    private final MachineRepository machines;
    private final PartitionService partitions;

    MachineViews(MachineRepository machines, PartitionService partitions) {
        this.machines = machines;
        this.partitions = partitions;
    }

    Mono<Machine> of(MachineRepository.Row row) {
        return of(List.of(row)).map(List::getFirst);
    }

    /** The machines of the rows, in their order; the queries run one after the other (they may share a transaction). */
    Mono<List<Machine>> of(List<MachineRepository.Row> rows) {
        if (rows.isEmpty()) {
            return Mono.just(List.of());
        }
        return machines.attachments(rows.stream().map(MachineRepository.Row::id).toList())
                .collectMultimap(Map.Entry::getKey, Map.Entry::getValue)
                .flatMap(found -> {
                    Map<UUID, List<Machine.Attachment>> networks = rows.stream().collect(Collectors.toMap(MachineRepository.Row::id,
                            row -> markPrimary(row, found.getOrDefault(row.id(), List.of())), (a, b) -> a));
                    // machines (not firewalls) go out through a firewall of their project in their primary network
                    Map<ProjectId, List<UUID>> primaries = rows.stream().filter(row -> row.role() == Machine.Role.MACHINE)
                            .collect(Collectors.groupingBy(MachineRepository.Row::project,
                                    Collectors.mapping(MachineRepository.Row::primaryNetwork, Collectors.toList())));
                    return Flux.fromIterable(primaries.entrySet())
                            .concatMap(e -> machines.projectFirewallsIn(e.getKey(), e.getValue()).map(byNetwork -> Map.entry(e.getKey(), byNetwork)))
                            .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                            .flatMap(firewalls -> proxies(rows, networks, firewalls).map(proxies -> rows.stream()
                                    .map(row -> machine(row, networks.get(row.id()), firewalls, proxies)).toList()));
                });
    }

    private static Machine machine(MachineRepository.Row row, List<Machine.Attachment> networks,
            Map<ProjectId, Map<UUID, String>> firewalls, Map<String, Optional<String>> proxies) {
        Optional<String> firewall = Optional.empty();
        Optional<String> proxy = Optional.empty();
        if (row.role() == Machine.Role.MACHINE && networks.stream().anyMatch(Machine.Attachment::primary)) {
            firewall = Optional.ofNullable(firewalls.getOrDefault(row.project(), Map.of()).get(row.primaryNetwork()));
            if (firewall.isEmpty() && sharedPrimary(networks)) {
                proxy = proxies.getOrDefault(row.partition(), Optional.empty());
            }
        }
        return new Machine(new MachineId(row.id()), row.name(), row.project(), new PartitionId(row.partition()), row.size(),
                row.role(), networks, proxy, firewall, row.allocatedAt(), Optional.ofNullable(row.asn()));
    }

    /**
     * The HTTP proxy of each partition where a machine's primary is a shared network without a firewall of its
     * project (M4: its only way out), one read per partition.
     */
    private Mono<Map<String, Optional<String>>> proxies(List<MachineRepository.Row> rows,
            Map<UUID, List<Machine.Attachment>> networks, Map<ProjectId, Map<UUID, String>> firewalls) {
        Collection<String> wanted = rows.stream()
                .filter(row -> row.role() == Machine.Role.MACHINE && sharedPrimary(networks.get(row.id()))
                        && !firewalls.getOrDefault(row.project(), Map.of()).containsKey(row.primaryNetwork()))
                .map(MachineRepository.Row::partition).distinct().toList();
        return Flux.fromIterable(wanted).concatMap(partition -> partitions.get(new PartitionId(partition)))
                .collectMap(p -> p.id().value(), MachineViews::proxy);
    }

    private static Optional<String> proxy(Partition partition) {
        return partition.proxy().map(x -> x.host() + ":" + x.port());
    }

    private static boolean sharedPrimary(List<Machine.Attachment> networks) {
        return networks.stream().filter(Machine.Attachment::primary).findFirst()
                .filter(primary -> primary.type() == NetworkType.CHILD_SHARED).isPresent();
    }

    /** The primary network is the one stored at allocation (F1, M1). */
    private static List<Machine.Attachment> markPrimary(MachineRepository.Row row, Collection<Machine.Attachment> attachments) {
        return attachments.stream().map(a -> new Machine.Attachment(a.network(), a.name(), a.type(), a.project(),
                a.natType(), a.ips(), a.network().value().equals(row.primaryNetwork()))).toList();
    }
}
