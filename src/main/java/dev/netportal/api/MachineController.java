package dev.netportal.api;

import static dev.netportal.common.InputLimits.*;

import dev.netportal.identity.Actor;
import dev.netportal.machine.Machine;
import dev.netportal.machine.MachineId;
import dev.netportal.machine.MachineService;
import dev.netportal.machine.NetworkRequest;
import dev.netportal.network.NetworkId;
import dev.netportal.partition.PartitionId;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Machines of a project (M1-M4). */
@RestController
@RequestMapping("/api/v1")
record MachineController(MachineService machines, Idempotency idempotency) {

    @GetMapping("/projects/{project}/machines")
    @Operation(summary = "The project's machines, oldest first (viewer)")
    Mono<Page<MachineView>> machines(Actor actor, @PathVariable String project, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        return Page.read(page, size, (offset, limit) -> machines.list(actor, Paths.project(project), offset, limit), MachineView::of);
    }

    @PostMapping("/projects/{project}/machines")
    @Operation(summary = "Allocate a machine: a free one of the size, one network, an IP (auto, or the one given) (member)")
    Mono<ResponseEntity<MachineView>> allocate(Actor actor, IdempotentWrite write, @PathVariable String project,
            @Valid @RequestBody NewMachine body) {
        return idempotency.once(actor, write, body, MachineView.class, () -> Mono.fromCallable(() -> Paths.required(body.network(), "network"))
                .flatMap(network -> machines.allocate(actor, Paths.project(project), body.name(), new PartitionId(body.partition()), Paths.size(body.size(), body.partition()),
                        new NetworkRequest(new NetworkId(network), Paths.addresses(body.ip(), body.ips()))))
                .map(created -> ResponseEntity.created(URI.create("/api/v1/machines/" + created.id())).body(MachineView.of(created))));
    }

    @GetMapping("/machines/{id}")
    @Operation(summary = "One machine with its network, IP and internet access (viewer)")
    Mono<MachineView> machine(Actor actor, @PathVariable MachineId id) {
        return machines.get(actor, id).map(MachineView::of);
    }

    @DeleteMapping("/machines/{id}")
    @Operation(summary = "Free a machine: its IP is released and it returns to the inventory (member)")
    Mono<ResponseEntity<Void>> free(Actor actor, IdempotentWrite write, @PathVariable MachineId id) {
        return idempotency.once(actor, write, null, Void.class,
                () -> machines.free(actor, id).thenReturn(ResponseEntity.noContent().build()));
    }


    /** {@code ip} or {@code ips}: the addresses wanted, at most one per family; the others are {@code auto} (M2). */
    record NewMachine(@Size(max = NAME) String name, @Size(max = ID) String partition, @Size(max = ID) String size,
                      UUID network, @Size(max = ADDRESS) String ip,
                      @Size(max = ADDRESSES) List<@Size(max = ADDRESS) String> ips) {
    }


    /**
     * A machine; {@code internetAccess} says how it reaches the internet: through the partition's proxy when that
     * is its only way out (M4), through its project's firewall in its network, or not at all.
     */
    record MachineView(UUID id, String name, String project, String partition, String size, UUID network, String ip,
                       List<String> ips, List<AttachmentView> networks, String internetAccess, OffsetDateTime allocatedAt) {

        static MachineView of(Machine m) {
            Optional<Machine.Attachment> primary = m.primary();
            return new MachineView(m.id().value(), m.name(), m.project().value(), m.partition().value(), m.size(),
                    primary.map(a -> a.network().value()).orElse(null), primary.map(Machine.Attachment::ip).orElse(null),
                    primary.map(Machine.Attachment::ips).orElse(List.of()),
                    m.networks().stream().map(AttachmentView::of).toList(),
                    m.internetAccess(), m.allocatedAt());
        }
    }

}
