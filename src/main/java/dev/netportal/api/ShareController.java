package dev.netportal.api;

import static dev.netportal.common.InputLimits.*;

import dev.netportal.common.NatType;
import dev.netportal.common.Refusal;
import dev.netportal.identity.Actor;
import dev.netportal.network.NetworkId;
import dev.netportal.partition.PartitionId;
import dev.netportal.partition.PartitionService;
import dev.netportal.sharing.ShareRequest;
import dev.netportal.sharing.ShareRequestId;
import dev.netportal.sharing.ShareService;
import dev.netportal.sharing.ShareStatus;
import dev.netportal.sharing.SharedNetwork;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Share requests (S1-S3) and the shared-network catalogue of a partition (S5). */
@RestController
@RequestMapping("/api/v1")
record ShareController(ShareService shares, PartitionService partitions, Idempotency idempotency) {

    @PostMapping("/networks/{id}/share-requests")
    @Operation(summary = "Ask for a private network to become shared, for good (owner)")
    Mono<ResponseEntity<ShareRequestView>> file(Actor actor, IdempotentWrite write, @PathVariable NetworkId id,
            @Valid @RequestBody FileRequest body) {
        return idempotency.once(actor, write, body, ShareRequestView.class, () -> shares
                .file(actor, id, body.reason(), body.natType())
                .map(filed -> ResponseEntity.created(URI.create("/api/v1/share-requests/" + filed.id()))
                        .body(ShareRequestView.of(filed))));
    }

    @GetMapping("/share-requests")
    @Operation(summary = "Share requests: admins all, others their projects'; pending oldest first, others newest first")
    Mono<Page<ShareRequestView>> list(Actor actor,
            @Parameter(description = "PENDING, APPROVED, REJECTED or WITHDRAWN; all if absent")
            @RequestParam(required = false) @Size(max = WORD) String status,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        Optional<ShareStatus> wanted = Optional.ofNullable(status).map(ShareController::status);
        return Page.read(page, size, (offset, limit) -> shares.list(actor, wanted, offset, limit), ShareRequestView::of);
    }

    @GetMapping("/share-requests/{id}")
    @Operation(summary = "One share request (viewer of its project, or admin)")
    Mono<ShareRequestView> get(Actor actor, @PathVariable ShareRequestId id) {
        return shares.get(actor, id).map(ShareRequestView::of);
    }

    @PostMapping("/share-requests/{id}/approve")
    @Operation(summary = "Approve: the network becomes shared with the request's NAT type (admin, not the requester)")
    Mono<ResponseEntity<ShareRequestView>> approve(Actor actor, IdempotentWrite write, @PathVariable ShareRequestId id,
            @Valid @RequestBody(required = false) Decision body) {
        return decide(actor, write, body, comment -> shares.approve(actor, id, comment));
    }

    @PostMapping("/share-requests/{id}/reject")
    @Operation(summary = "Reject, with a comment that says why (admin, not the requester)")
    Mono<ResponseEntity<ShareRequestView>> reject(Actor actor, IdempotentWrite write, @PathVariable ShareRequestId id,
            @Valid @RequestBody(required = false) Decision body) {
        return decide(actor, write, body, comment -> shares.reject(actor, id, comment));
    }

    @PostMapping("/share-requests/{id}/withdraw")
    @Operation(summary = "Withdraw a pending request (the requester)")
    Mono<ResponseEntity<ShareRequestView>> withdraw(Actor actor, IdempotentWrite write, @PathVariable ShareRequestId id,
            @Valid @RequestBody(required = false) Decision body) {
        return decide(actor, write, body, comment -> shares.withdraw(actor, id, comment));
    }

    /** A decision on a request, once per idempotency key; the body (a comment) is optional. */
    private Mono<ResponseEntity<ShareRequestView>> decide(Actor actor, IdempotentWrite write, Decision body,
            java.util.function.Function<String, Mono<ShareRequest>> decision) {
        Decision given = body == null ? new Decision(null) : body;
        return idempotency.once(actor, write, given, ShareRequestView.class,
                () -> decision.apply(given.comment()).map(done -> ResponseEntity.ok(ShareRequestView.of(done))));
    }

    @GetMapping("/networks")
    @Operation(summary = "The shared networks of a partition that firewalls may attach, by name (any signed-in user)")
    Mono<Page<SharedNetworkView>> catalogue(
            @Parameter(description = "the partition whose shared networks to list") @RequestParam(required = false) @Size(max = ID) String partition,
            @Parameter(description = "CHILD_SHARED: the only type listed here") @RequestParam(required = false) @Size(max = WORD) String type,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        if (type != null && !"CHILD_SHARED".equals(type)) {
            return Mono.error(Refusal.NETWORK_TYPE.with());
        }
        if (partition == null || partition.isBlank()) {
            return Mono.error(Refusal.PARTITION_REQUIRED.with());
        }
        return partitions.get(new PartitionId(partition)).then(Mono.defer(() -> Page.read(page, size,
                (offset, limit) -> shares.catalogue(new PartitionId(partition), offset, limit), SharedNetworkView::of)));
    }

    private static ShareStatus status(String text) {
        return Arrays.stream(ShareStatus.values()).filter(s -> s.name().equals(text)).findFirst()
                .orElseThrow(() -> Refusal.SHARE_STATUS.with(text));
    }

    record FileRequest(@Size(max = REASON) String reason, @Size(max = WORD) String natType) {
    }

    record Decision(@Size(max = REASON) String comment) {
    }

    record Person(String subject, String name) {
    }

    /** {@code prefix} is the network's first (IPv4) prefix, {@code prefixes} all of them. */
    record ShareRequestView(UUID id, UUID network, String networkName, String prefix, List<String> prefixes,
                            String partition, String project, Person requestedBy, String reason, NatType natType, String status, Person decidedBy,
                            String comment, OffsetDateTime createdAt, OffsetDateTime decidedAt) {

        static ShareRequestView of(ShareRequest r) {
            return new ShareRequestView(r.id().value(), r.network().value(), r.networkName(), r.networkPrefix(),
                    r.networkPrefixes(), r.partition().value(),
                    r.project().value(), new Person(r.requestedBy(), r.requestedByName()), r.reason(), r.natType(),
                    r.status().name(), r.decidedBy() == null ? null : new Person(r.decidedBy(), r.decidedByName()),
                    r.comment(), r.createdAt(), r.decidedAt());
        }
    }

    /** Only what consumers need (S5): name, owner project's name, prefixes and NAT type, and the id to attach. */
    record SharedNetworkView(UUID id, String name, String partition, String projectName, List<String> prefixes,
                             NatType natType) {

        static SharedNetworkView of(SharedNetwork n) {
            return new SharedNetworkView(n.id().value(), n.name(), n.partition().value(), n.projectName(), n.prefixes(), n.natType());
        }
    }
}
