package dev.netportal.machine;

import dev.netportal.machine.internal.MachineRepository;
import dev.netportal.network.NetworkType;
import dev.netportal.partition.PartitionId;
import dev.netportal.partition.PartitionService;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Builds the {@link Machine} a caller sees from a row: its networks, which one is primary, and the proxy hint. */
@Component
class MachineViews {

    private final MachineRepository machines;
    private final PartitionService partitions;

    MachineViews(MachineRepository machines, PartitionService partitions) {
        this.machines = machines;
        this.partitions = partitions;
    }

    Mono<Machine> of(MachineRepository.Row row) {
        return machines.attachments(row.id()).collectList().flatMap(attachments -> {
            List<Machine.Attachment> marked = markPrimary(row, attachments);
            Optional<Machine.Attachment> primary = marked.stream().filter(Machine.Attachment::primary).findFirst();
            if (row.role() != Machine.Role.MACHINE || primary.isEmpty()) {
                return Mono.just(new Machine(new MachineId(row.id()), row.name(), row.project(), new PartitionId(row.partition()), row.size(), row.role(),
                        marked, Optional.empty(), Optional.empty(), row.allocatedAt()));
            }
            boolean shared = primary.get().type() == NetworkType.CHILD_SHARED;
            return machines.projectFirewallIn(row.project(), primary.get().network().value()).map(Optional::of)
                    .defaultIfEmpty(Optional.empty())
                    .flatMap(firewall -> (firewall.isEmpty() && shared
                            ? partitions.get(new PartitionId(row.partition())).map(p -> p.proxy().map(x -> x.host() + ":" + x.port()))
                            : Mono.just(Optional.<String>empty()))
                            .map(proxy -> new Machine(new MachineId(row.id()), row.name(), row.project(), new PartitionId(row.partition()), row.size(),
                                    row.role(), marked, proxy, firewall, row.allocatedAt())));
        });
    }

    /** The primary network is the one stored at allocation (F1, M1). */
    private static List<Machine.Attachment> markPrimary(MachineRepository.Row row, List<Machine.Attachment> attachments) {
        return attachments.stream().map(a -> new Machine.Attachment(a.network(), a.name(), a.type(), a.project(),
                a.natType(), a.ips(), a.network().value().equals(row.primaryNetwork()))).toList();
    }
}
