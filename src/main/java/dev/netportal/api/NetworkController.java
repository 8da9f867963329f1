package dev.netportal.api;

import static dev.netportal.common.InputLimits.*;

import dev.netportal.common.NatType;
import dev.netportal.identity.Actor;
import dev.netportal.identity.ProjectId;
import dev.netportal.identity.ProjectRole;
import dev.netportal.network.IpAddress;
import dev.netportal.network.IpKind;
import dev.netportal.network.IpService;
import dev.netportal.network.Network;
import dev.netportal.network.NetworkChange;
import dev.netportal.network.NetworkId;
import dev.netportal.network.NetworkService;
import dev.netportal.network.NetworkType;
import dev.netportal.network.NewNetwork;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Private networks of a project and their IP addresses. */
@RestController
@RequestMapping("/api/v1")
record NetworkController(NetworkService networks, IpService ips, Idempotency idempotency) {

    @GetMapping("/projects/{project}/networks")
    @Operation(summary = "The project's networks, oldest first (viewer)")
    Mono<Page<NetworkView>> list(Actor actor, @PathVariable String project, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        ProjectId id = Paths.project(project);
        return Page.read(page, size, (offset, limit) -> networks.list(actor, id, offset, limit), NetworkView::of);
    }

    @PostMapping("/projects/{project}/networks")
    @Operation(summary = "Create a private network: the lowest free prefix of the length, a fresh VRF (member)")
    Mono<ResponseEntity<NetworkView>> create(Actor actor, IdempotentWrite write, @PathVariable String project,
            @Valid @RequestBody CreateNetwork body) {
        return idempotency.once(actor, write, body, NetworkView.class, () -> networks.create(actor, Paths.project(project),
                        new NewNetwork(body.name(), body.partition(), Optional.ofNullable(body.prefixLength()),
                                Optional.ofNullable(body.prefixLengthV6()), body.description(), body.labels()))
                .map(created -> ResponseEntity.created(URI.create("/api/v1/networks/" + created.id())).body(NetworkView.of(created))));
    }

    @GetMapping("/networks/{id}")
    @Operation(summary = "One network with its usage (viewer); another project's shared network without labels and usage (V1)")
    Mono<NetworkView> get(Actor actor, @PathVariable NetworkId id) {
        return networks.read(actor, id).map(n -> actor.has(ProjectRole.VIEWER, n.project()) ? NetworkView.of(n)
                : NetworkView.forConsumers(n));
    }

    @PatchMapping("/networks/{id}")
    @Operation(summary = "Change name, description or labels; partition, prefix, VRF and type never change (member)")
    Mono<ResponseEntity<NetworkView>> update(Actor actor, IdempotentWrite write, @PathVariable NetworkId id,
            @Valid @RequestBody ChangeNetwork body) {
        return idempotency.once(actor, write, body, NetworkView.class, () -> networks.update(actor, id,
                new NetworkChange(Optional.ofNullable(body.name()), Optional.ofNullable(body.description()),
                        Optional.ofNullable(body.labels()), body.partition() != null || body.prefix() != null || body.vrf() != null,
                        Optional.ofNullable(body.type()))).map(updated -> ResponseEntity.ok(NetworkView.of(updated))));
    }

    @DeleteMapping("/networks/{id}")
    @Operation(summary = "Delete a network nothing uses any more; its prefix and VRF are freed (member)")
    Mono<ResponseEntity<Void>> delete(Actor actor, IdempotentWrite write, @PathVariable NetworkId id) {
        return idempotency.once(actor, write, null, Void.class,
                () -> networks.delete(actor, id).thenReturn(ResponseEntity.noContent().build()));
    }

    @GetMapping("/networks/{id}/ips")
    @Operation(summary = "The network's IP addresses, lowest first (viewer)")
    Mono<Page<IpView>> ips(Actor actor, @PathVariable NetworkId id, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        return Page.read(page, size, (offset, limit) -> ips.list(actor, id, offset, limit), IpView::of);
    }

    @PostMapping("/networks/{id}/ips")
    @Operation(summary = "Reserve a static IP: the lowest free one, or the one given (member)")
    Mono<ResponseEntity<IpView>> allocate(Actor actor, IdempotentWrite write, @PathVariable NetworkId id,
            @Valid @RequestBody(required = false) AllocateIp body) {
        AllocateIp request = body == null ? new AllocateIp(null, null, null) : body;
        return idempotency.once(actor, write, request, IpView.class, () -> ips
                .allocate(actor, id, Optional.ofNullable(request.ip()), request.name(), request.description())
                .map(ip -> ResponseEntity.created(URI.create("/api/v1/networks/" + id + "/ips/" + ip.ip())).body(IpView.of(ip))));
    }

    @DeleteMapping("/networks/{id}/ips/{ip}")
    @Operation(summary = "Release a static IP (member)")
    Mono<ResponseEntity<Void>> release(Actor actor, IdempotentWrite write, @PathVariable NetworkId id, @PathVariable String ip) {
        return idempotency.once(actor, write, null, Void.class,
                () -> ips.release(actor, id, ip).thenReturn(ResponseEntity.noContent().build()));
    }

    /** {@code prefixLength} is the IPv4 length; {@code prefixLengthV6} the IPv6 one, in a dual-stack partition. */
    record CreateNetwork(@Size(max = NAME) String name, @Size(max = ID) String partition, Integer prefixLength,
                         Integer prefixLengthV6, @Size(max = DESCRIPTION) String description,
                         @Size(max = LABELS) Map<@Size(max = LABEL_KEY) String, @Size(max = LABEL_VALUE) String> labels) {
    }

    /** Name, description and labels may change; the other fields are here to answer a clear refusal (N2, S4). */
    record ChangeNetwork(@Size(max = NAME) String name, @Size(max = DESCRIPTION) String description,
                         @Size(max = LABELS) Map<@Size(max = LABEL_KEY) String, @Size(max = LABEL_VALUE) String> labels,
                         @Size(max = ID) String partition, @Size(max = ADDRESS) String prefix, Integer vrf,
                         @Size(max = WORD) String type) {
    }

    record AllocateIp(@Size(max = ADDRESS) String ip, @Size(max = NAME) String name,
                      @Size(max = DESCRIPTION) String description) {
    }

    record Usage(long allocated, long total) {
    }

    /** IPv6 usage: a /64 holds more addresses than a JSON number keeps exactly, so the total is a decimal text. */
    record UsageV6(long allocated, String total) {
    }

    record IpView(String ip, UUID network, String project, IpKind kind, String name, String description,
                  OffsetDateTime createdAt) {

        static IpView of(IpAddress ip) {
            return new IpView(ip.ip().toString(), ip.network().value(), ip.project().value(), ip.kind(), ip.name(), ip.description(),
                    ip.createdAt());
        }
    }

    record NetworkView(UUID id, String name, String project, String partition, NetworkType type, NatType natType,
                       String prefix, List<String> prefixes, Integer vrf, String description,
                       Map<String, String> labels, Usage usage, UsageV6 usageV6, OffsetDateTime createdAt) {

        static NetworkView of(Network n) {
            return new NetworkView(n.id().value(), n.name(), n.project() == null ? null : n.project().value(), n.partition().value(),
                    n.type(), n.natType(), n.prefix() == null ? null : n.prefix().toString(),
                    n.prefixes().stream().map(Object::toString).toList(), n.vrf(), n.description(), n.labels(),
                    new Usage(n.allocated(), n.total()),
                    n.prefixes().size() > 1 ? new UsageV6(n.allocatedV6(), n.totalV6().toString()) : null, n.createdAt());
        }

        /** Another project's shared network: what the catalogue shows; no VRF, description, labels, usage or date (V1). */
        static NetworkView forConsumers(Network n) {
            NetworkView full = of(n);
            return new NetworkView(full.id(), full.name(), full.project(), full.partition(), full.type(), full.natType(),
                    full.prefix(), full.prefixes(), null, "", Map.of(), null, null, null);
        }
    }
}
