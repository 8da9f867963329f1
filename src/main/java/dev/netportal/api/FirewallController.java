package dev.netportal.api;

import static dev.netportal.common.InputLimits.*;

import dev.netportal.common.DomainException;
import dev.netportal.common.Slice;
import dev.netportal.firewall.FirewallConfig;
import dev.netportal.firewall.FirewallId;
import dev.netportal.firewall.FirewallService;
import dev.netportal.firewall.FleetEntry;
import dev.netportal.firewall.Revision;
import dev.netportal.firewall.SyncState;
import dev.netportal.identity.Actor;
import dev.netportal.machine.Machine;
import dev.netportal.machine.NetworkRequest;
import dev.netportal.network.NetworkId;
import dev.netportal.partition.PartitionId;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
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

/** Firewalls of a project (F1-F3), their configuration and revisions (D4), and the admins' fleet. */
@RestController
@RequestMapping("/api/v1")
record FirewallController(FirewallService firewalls, Idempotency idempotency) {

    @GetMapping("/projects/{project}/firewalls")
    @Operation(summary = "The project's firewalls with their sync states, oldest first (viewer)")
    Mono<Page<FirewallView>> firewalls(Actor actor, @PathVariable String project, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        // the sync states of this page's firewalls only
        return Page.read(page, size, (offset, limit) -> firewalls.list(actor, Paths.project(project), offset, limit)
                .flatMap(slice -> firewalls.sync(slice.items()).map(sync -> new Slice<>(slice.items().stream()
                        .map(m -> FirewallView.of(m, sync.get(FirewallId.of(m)))).toList(), slice.total()))), view -> view);
    }

    @PostMapping("/projects/{project}/firewalls")
    @Operation(summary = "Allocate a firewall with its networks; the answer holds the agent credential, shown only this once (member)")
    Mono<ResponseEntity<NewFirewallView>> allocateFirewall(Actor actor, IdempotentWrite write, @PathVariable String project,
            @Valid @RequestBody NewFirewall body) {
        return idempotency.once(actor, write, body, NewFirewallView.class, () -> Mono.fromCallable(() -> body.networks() == null
                        ? List.<NetworkRequest>of()
                        : body.networks().stream().map(n -> new NetworkRequest(new NetworkId(Paths.required(n == null ? null : n.network(), "networks[].network")),
                                Paths.addresses(n.ip(), n.ips()))).toList())
                .flatMap(requests -> firewalls.allocate(actor, Paths.project(project), body.name(), new PartitionId(body.partition()),
                        Paths.size(body.size(), body.partition()), requests))
                .flatMap(created -> view(created.firewall()).map(view -> ResponseEntity
                        .created(URI.create("/api/v1/firewalls/" + created.firewall().id()))
                        .body(new NewFirewallView(view, created.agentCredential())))),
                // the credential is never stored for a replay: a replayed answer has none
                answer -> new NewFirewallView(answer.firewall(), null));
    }

    @GetMapping("/firewalls/{id}")
    @Operation(summary = "One firewall with its networks and IPs (viewer)")
    Mono<FirewallView> firewall(Actor actor, @PathVariable FirewallId id) {
        return firewalls.get(actor, id).flatMap(this::view);
    }

    @GetMapping("/firewalls/{id}/config")
    @Operation(summary = "The firewall's desired configuration (FRR, nftables), its revision and the agent's sync state (viewer)")
    Mono<FirewallConfig> config(Actor actor, @PathVariable FirewallId id) {
        return firewalls.config(actor, id)
                .switchIfEmpty(Mono.error(() -> DomainException.notFound("Configuration of firewall " + id)));
    }

    /** One revision in the history: what caused it and who, without the texts. */
    record RevisionSummary(int revision, String hash, String cause, String actorName, java.time.OffsetDateTime createdAt) {
    }

    @GetMapping("/firewalls/{id}/config/revisions")
    @Operation(summary = "The firewall's configuration revisions, newest first, with what caused each and who (viewer)")
    Mono<Page<RevisionSummary>> revisions(Actor actor, @PathVariable FirewallId id, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        return Page.read(page, size, (offset, limit) -> firewalls.history(actor, id, offset, limit),
                r -> new RevisionSummary(r.revision(), r.hash(), r.cause(), r.actorName(), r.createdAt()));
    }

    @GetMapping("/firewalls/{id}/config/revisions/{revision}")
    @Operation(summary = "One configuration revision of the firewall, with its FRR and nftables text (viewer)")
    Mono<Revision> revision(Actor actor, @PathVariable FirewallId id, @PathVariable int revision) {
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
    Mono<ResponseEntity<Void>> freeFirewall(Actor actor, IdempotentWrite write, @PathVariable FirewallId id) {
        return idempotency.once(actor, write, null, Void.class,
                () -> firewalls.free(actor, id).thenReturn(ResponseEntity.noContent().build()));
    }

    @PutMapping("/firewalls/{id}/networks/{network}")
    @Operation(summary = "Attach a shared network of the firewall's partition, with an IP (auto, or the one given) (member)")
    Mono<ResponseEntity<FirewallView>> attach(Actor actor, IdempotentWrite write, @PathVariable FirewallId id,
            @PathVariable NetworkId network, @Valid @RequestBody(required = false) Attach body) {
        Attach attach = body == null ? new Attach(null, null) : body;
        return idempotency.once(actor, write, attach, FirewallView.class, () -> firewalls
                .attach(actor, id, network, Paths.addresses(attach.ip(), attach.ips())).flatMap(this::view).map(ResponseEntity::ok));
    }

    @DeleteMapping("/firewalls/{id}/networks/{network}")
    @Operation(summary = "Detach a shared network; the firewall's IP there is released (member)")
    Mono<ResponseEntity<FirewallView>> detach(Actor actor, IdempotentWrite write, @PathVariable FirewallId id,
            @PathVariable NetworkId network) {
        return idempotency.once(actor, write, null, FirewallView.class,
                () -> firewalls.detach(actor, id, network).flatMap(this::view).map(ResponseEntity::ok));
    }

    /** {@code ip} or {@code ips}: the addresses wanted, at most one per family; the others are {@code auto} (M2). */
    record NetworkChoice(UUID network, @Size(max = ADDRESS) String ip,
                         @Size(max = ADDRESSES) List<@Size(max = ADDRESS) String> ips) {
    }

    record NewFirewall(@Size(max = NAME) String name, @Size(max = ID) String partition, @Size(max = ID) String size,
                       @Size(max = FIREWALL_NETWORKS) List<@Valid NetworkChoice> networks) {
    }

    record Attach(@Size(max = ADDRESS) String ip, @Size(max = ADDRESSES) List<@Size(max = ADDRESS) String> ips) {
    }

    /**
     * A firewall with its networks, the private AS number it runs BGP in towards the fabric (its own, fixed while it
     * is allocated), and its agent's sync state ({@code sync} is null before its first revision).
     */
    record FirewallView(UUID id, String name, String project, String partition, String size, List<AttachmentView> networks,
                        OffsetDateTime allocatedAt, Long asn, SyncState sync) {

        static FirewallView of(Machine m, SyncState sync) {
            return new FirewallView(m.id().value(), m.name(), m.project().value(), m.partition().value(), m.size(),
                    m.networks().stream().map(AttachmentView::of).toList(), m.allocatedAt(), m.asn().orElse(null), sync);
        }
    }

    private Mono<FirewallView> view(Machine firewall) {
        return firewalls.sync(List.of(firewall)).map(sync -> FirewallView.of(firewall, sync.get(FirewallId.of(firewall))));
    }

    /** A new firewall and its agent credential, which is never shown again (not even to a replay). */
    record NewFirewallView(FirewallView firewall, String agentCredential) {
    }
}
