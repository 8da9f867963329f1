package dev.netportal.api;

import dev.netportal.common.DomainException;
import dev.netportal.identity.Actor;
import dev.netportal.firewall.FirewallConfig;
import dev.netportal.firewall.FleetEntry;
import dev.netportal.firewall.Revision;
import dev.netportal.firewall.SyncState;
import dev.netportal.identity.ProjectId;
import dev.netportal.machine.FirewallService;
import dev.netportal.machine.Machine;
import dev.netportal.machine.MachineService;
import dev.netportal.machine.NetworkRequest;
import io.swagger.v3.oas.annotations.Operation;
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
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Machines and firewalls of a project (M1-M4, F1-F3). */
@RestController
@RequestMapping("/api/v1")
class MachineController {

    private final MachineService machines;
    private final FirewallService firewalls;
    private final Idempotency idempotency;

    MachineController(MachineService machines, FirewallService firewalls, Idempotency idempotency) {
        this.machines = machines;
        this.firewalls = firewalls;
        this.idempotency = idempotency;
    }

    @GetMapping("/projects/{project}/machines")
    @Operation(summary = "The project's machines (viewer)")
    Mono<Page<MachineView>> machines(Actor actor, @PathVariable String project, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        return machines.list(actor, projectId(project)).map(all -> Page.of(all.stream().map(MachineView::of).toList(), page, size));
    }

    @PostMapping("/projects/{project}/machines")
    @Operation(summary = "Allocate a machine: a free one of the size, one network, an IP (auto, or the one given) (member)")
    Mono<ResponseEntity<MachineView>> allocate(Actor actor, IdempotentWrite write, @PathVariable String project,
            @RequestBody NewMachine body) {
        return idempotency.once(actor, write, body, MachineView.class, () -> Mono.fromCallable(() -> required(body.network(), "network"))
                .flatMap(network -> machines.allocate(actor, projectId(project), body.name(), body.partition(), body.size(),
                        new NetworkRequest(network, Optional.ofNullable(body.ip()))))
                .map(created -> ResponseEntity.created(URI.create("/api/v1/machines/" + created.id())).body(MachineView.of(created))));
    }

    @GetMapping("/machines/{id}")
    @Operation(summary = "One machine with its network, IP and internet access (viewer)")
    Mono<MachineView> machine(Actor actor, @PathVariable UUID id) {
        return machines.get(actor, id).map(MachineView::of);
    }

    @DeleteMapping("/machines/{id}")
    @Operation(summary = "Free a machine: its IP is released and it returns to the inventory (member)")
    Mono<ResponseEntity<Void>> free(Actor actor, IdempotentWrite write, @PathVariable UUID id) {
        return idempotency.once(actor, write, null, Void.class,
                () -> machines.free(actor, id).thenReturn(ResponseEntity.noContent().build()));
    }

    @GetMapping("/projects/{project}/firewalls")
    @Operation(summary = "The project's firewalls (viewer)")
    Mono<Page<FirewallView>> firewalls(Actor actor, @PathVariable String project, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        return firewalls.list(actor, projectId(project)).flatMap(all -> firewalls.sync(all)
                .map(sync -> Page.of(all.stream().map(m -> FirewallView.of(m, sync.get(m.id()))).toList(), page, size)));
    }

    @PostMapping("/projects/{project}/firewalls")
    @Operation(summary = "Allocate a firewall with its networks; the answer holds the agent credential, shown only this once (member)")
    Mono<ResponseEntity<NewFirewallView>> allocateFirewall(Actor actor, IdempotentWrite write, @PathVariable String project,
            @RequestBody NewFirewall body) {
        return idempotency.once(actor, write, body, NewFirewallView.class, () -> Mono.fromCallable(() -> body.networks() == null
                        ? List.<NetworkRequest>of()
                        : body.networks().stream().map(n -> new NetworkRequest(required(n.network(), "networks[].network"),
                                Optional.ofNullable(n.ip()))).toList())
                .flatMap(requests -> firewalls.allocate(actor, projectId(project), body.name(), body.partition(), body.size(), requests))
                .flatMap(created -> view(created.firewall()).map(view -> ResponseEntity
                        .created(URI.create("/api/v1/firewalls/" + created.firewall().id()))
                        .body(new NewFirewallView(view, created.agentCredential())))),
                // the credential is never stored for a replay: a replayed answer has none
                answer -> new NewFirewallView(answer.firewall(), null));
    }

    @GetMapping("/firewalls/{id}")
    @Operation(summary = "One firewall with its networks and IPs (viewer)")
    Mono<FirewallView> firewall(Actor actor, @PathVariable UUID id) {
        return firewalls.get(actor, id).flatMap(this::view);
    }

    @GetMapping("/firewalls/{id}/config")
    @Operation(summary = "The firewall's desired configuration (FRR, nftables), its revision and the agent's sync state (viewer)")
    Mono<FirewallConfig> config(Actor actor, @PathVariable UUID id) {
        return firewalls.config(actor, id)
                .switchIfEmpty(Mono.error(() -> DomainException.notFound("Configuration of firewall " + id)));
    }

    /** One revision in the history: what caused it and who, without the texts. */
    record RevisionSummary(int revision, String hash, String cause, String actorName, java.time.OffsetDateTime createdAt) {
    }

    @GetMapping("/firewalls/{id}/config/revisions")
    @Operation(summary = "The firewall's configuration revisions, newest first, with what caused each and who (viewer)")
    Mono<Page<RevisionSummary>> revisions(Actor actor, @PathVariable UUID id, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        return Page.read(page, size, (offset, limit) -> firewalls.history(actor, id, offset, limit),
                r -> new RevisionSummary(r.revision(), r.hash(), r.cause(), r.actorName(), r.createdAt()));
    }

    @GetMapping("/firewalls/{id}/config/revisions/{revision}")
    @Operation(summary = "One configuration revision of the firewall, with its FRR and nftables text (viewer)")
    Mono<Revision> revision(Actor actor, @PathVariable UUID id, @PathVariable int revision) {
        return firewalls.revision(actor, id, revision);
    }

    @GetMapping("/firewalls")
    @Operation(summary = "Every firewall with its sync state, those not in sync first; notInSync=true lists only those (admin)")
    Mono<Page<FleetEntry>> fleet(Actor actor, @RequestParam(defaultValue = "false") boolean notInSync,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        return Page.read(page, size, (offset, limit) -> firewalls.fleet(actor, notInSync, offset, limit), entry -> entry);
    }

    @DeleteMapping("/firewalls/{id}")
    @Operation(summary = "Free a firewall: its IPs are released and it returns to the inventory (member)")
    Mono<ResponseEntity<Void>> freeFirewall(Actor actor, IdempotentWrite write, @PathVariable UUID id) {
        return idempotency.once(actor, write, null, Void.class,
                () -> firewalls.free(actor, id).thenReturn(ResponseEntity.noContent().build()));
    }

    @PutMapping("/firewalls/{id}/networks/{network}")
    @Operation(summary = "Attach a shared network of the firewall's partition, with an IP (auto, or the one given) (member)")
    Mono<ResponseEntity<FirewallView>> attach(Actor actor, IdempotentWrite write, @PathVariable UUID id,
            @PathVariable UUID network, @RequestBody(required = false) Attach body) {
        Attach attach = body == null ? new Attach(null) : body;
        return idempotency.once(actor, write, attach, FirewallView.class, () -> firewalls
                .attach(actor, id, network, Optional.ofNullable(attach.ip())).flatMap(this::view).map(ResponseEntity::ok));
    }

    @DeleteMapping("/firewalls/{id}/networks/{network}")
    @Operation(summary = "Detach a shared network; the firewall's IP there is released (member)")
    Mono<ResponseEntity<FirewallView>> detach(Actor actor, IdempotentWrite write, @PathVariable UUID id,
            @PathVariable UUID network) {
        return idempotency.once(actor, write, null, FirewallView.class,
                () -> firewalls.detach(actor, id, network).flatMap(this::view).map(ResponseEntity::ok));
    }

    private static UUID required(UUID value, String field) {
        if (value == null) {
            throw DomainException.invalid("network-required", "Say which network: " + field + " is missing.");
        }
        return value;
    }

    private static ProjectId projectId(String project) {
        if (!ProjectId.isValid(project)) {
            throw DomainException.notFound("Project " + project);
        }
        return new ProjectId(project);
    }

    record NewMachine(String name, String partition, String size, UUID network, String ip) {
    }

    record NetworkChoice(UUID network, String ip) {
    }

    record NewFirewall(String name, String partition, String size, List<NetworkChoice> networks) {
    }

    record Attach(String ip) {
    }

    record AttachmentView(UUID network, String name, String type, String project, String natType, String ip, boolean primary) {

        static AttachmentView of(Machine.Attachment a) {
            return new AttachmentView(a.network(), a.name(), a.type(), a.project(), a.natType(), a.ip(), a.primary());
        }
    }

    /**
     * A machine; {@code internetAccess} says how it reaches the internet: through the partition's proxy when that
     * is its only way out (M4), through its project's firewall in its network, or not at all.
     */
    record MachineView(UUID id, String name, String project, String partition, String size, UUID network, String ip,
                       List<AttachmentView> networks, String internetAccess, OffsetDateTime allocatedAt) {

        static MachineView of(Machine m) {
            Optional<Machine.Attachment> primary = m.primary();
            return new MachineView(m.id(), m.name(), m.project().value(), m.partition(), m.size(),
                    primary.map(Machine.Attachment::network).orElse(null), primary.map(Machine.Attachment::ip).orElse(null),
                    m.networks().stream().map(AttachmentView::of).toList(),
                    m.internetAccess(), m.allocatedAt());
        }
    }

    /** A firewall with its networks and its agent's sync state ({@code sync} is null before its first revision). */
    record FirewallView(UUID id, String name, String project, String partition, String size, List<AttachmentView> networks,
                        OffsetDateTime allocatedAt, SyncState sync) {

        static FirewallView of(Machine m, SyncState sync) {
            return new FirewallView(m.id(), m.name(), m.project().value(), m.partition(), m.size(),
                    m.networks().stream().map(AttachmentView::of).toList(), m.allocatedAt(), sync);
        }
    }

    private Mono<FirewallView> view(Machine firewall) {
        return firewalls.sync(List.of(firewall)).map(sync -> FirewallView.of(firewall, sync.get(firewall.id())));
    }

    /** A new firewall and its agent credential, which is never shown again (not even to a replay). */
    record NewFirewallView(FirewallView firewall, String agentCredential) {
    }
}
