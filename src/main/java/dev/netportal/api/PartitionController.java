package dev.netportal.api;

import static dev.netportal.common.InputLimits.*;

import dev.netportal.common.Refusal;
import dev.netportal.identity.Actor;
import dev.netportal.partition.Partition;
import dev.netportal.partition.PartitionChange;
import dev.netportal.partition.PartitionForm;
import dev.netportal.partition.PartitionId;
import dev.netportal.partition.PartitionService;
import dev.netportal.partition.PartitionSpec;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Partitions, readable by every signed-in user. */
@RestController
@RequestMapping("/api/v1/partitions")
record PartitionController(PartitionService partitions, Idempotency idempotency) {

    @GetMapping
    @Operation(summary = "All partitions, by id, with pools, external networks, proxy and free inventory (any)")
    Mono<Page<PartitionView>> list(@RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        return Page.read(page, size, partitions::list, PartitionView::of);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One partition (any)")
    Mono<PartitionView> get(@PathVariable @Size(max = ID) String id) {
        return partitions.get(new PartitionId(id)).map(PartitionView::of);
    }

    @PostMapping
    @Operation(summary = "Create a partition with its pools, external networks, inventory and proxy (admin)")
    Mono<ResponseEntity<PartitionView>> create(Actor actor, IdempotentWrite write, @Valid @RequestBody NewPartition body) {
        return idempotency.once(actor, write, body, PartitionView.class, () -> Mono.fromCallable(() -> {
                    requireCounts(body.id(), body.inventory());
                    return body.toSpec();
                })
                .flatMap(spec -> partitions.create(actor, spec).then(partitions.get(new PartitionId(spec.id()))))
                .map(created -> ResponseEntity.created(URI.create("/api/v1/partitions/" + created.id())).body(PartitionView.of(created))));
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Change a partition: name, child lengths, proxy, inventory, fabric settings; add pools and external networks (admin)")
    Mono<ResponseEntity<PartitionView>> update(Actor actor, IdempotentWrite write, @PathVariable @Size(max = ID) String id,
            @Valid @RequestBody ChangePartition body) {
        return idempotency.once(actor, write, body, PartitionView.class, () -> Mono.fromCallable(() -> {
                    requireCounts(id, body.inventory());
                    return body.toChange();
                })
                .flatMap(change -> partitions.update(actor, new PartitionId(id), change))
                .map(updated -> ResponseEntity.ok(PartitionView.of(updated))));
    }

    record NewExternal(@Size(max = NAME) String name, @Size(max = PREFIXES) List<@Size(max = ADDRESS) String> prefixes,
                       @Size(max = PREFIXES) List<@Size(max = ADDRESS) String> destinationPrefixes,
                       @Size(max = WORD) String natType) {
    }

    /**
     * {@code childPrefixLength} by family ({@code ipv4}, {@code ipv6}); {@code minChildPrefixLength} is the shortest
     * IPv4 length a tenant may ask for, {@code minChildPrefixLengthV6} the shortest IPv6 one. The firewalls' BGP
     * sessions with the leaf switches: {@code bgpKeepalive} and {@code bgpHoldTime} in seconds (default 3 and 9; the
     * hold time at least three keepalives, at most 65535), {@code externalExport} how tenant prefixes are announced to
     * external networks ({@code NO_EXPORT}, the default: marked with the community no-export; {@code EXPORT}: unmarked).
     */
    record NewPartition(@Size(max = ID) String id, @Size(max = NAME) String name,
                        @Size(max = DESCRIPTION) String description,
                        @Size(max = PREFIXES) List<@Size(max = ADDRESS) String> superNetworks,
                        @Size(max = FAMILIES) Map<@Size(max = WORD) String, Integer> childPrefixLength,
                        Integer minChildPrefixLength, Integer minChildPrefixLengthV6,
                        @Size(max = EXTERNAL_NETWORKS) List<@Valid NewExternal> externalNetworks, @Valid ProxyView proxy,
                        @Size(max = SIZES) Map<@Size(max = ID) String, @Max(MACHINES_PER_SIZE) Integer> inventory,
                        Integer bgpKeepalive, Integer bgpHoldTime, @Size(max = WORD) String externalExport) {

        PartitionSpec toSpec() {
            return PartitionForm.spec(id, name, description, superNetworks, length(childPrefixLength, "ipv4"),
                    minChildPrefixLength, length(childPrefixLength, "ipv6"), minChildPrefixLengthV6,
                    externals(externalNetworks), PartitionForm.givenProxy(proxy == null ? null : new PartitionForm.Proxy(proxy.host(), proxy.port())),
                    inventory, PartitionForm.fabric(bgpKeepalive, bgpHoldTime, externalExport));
        }
    }

    /** A child length of one family; a key other than {@code ipv4} and {@code ipv6} is refused (P1). */
    private static Integer length(Map<String, Integer> lengths, String family) {
        if (lengths == null) {
            return null;
        }
        lengths.keySet().stream().filter(key -> !key.equals("ipv4") && !key.equals("ipv6")).findFirst().ifPresent(key -> {
            throw Refusal.P1_CHILD_LENGTH_FAMILY.with(key);
        });
        return lengths.get(family);
    }

    /** Every size of an inventory has a count (P1): {@code "c1": null} is refused naming the size. */
    private static void requireCounts(String partition, Map<String, Integer> inventory) {
        if (inventory != null) {
            inventory.forEach((size, count) -> {
                if (count == null) {
                    throw Refusal.P1_INVENTORY_COUNT.with(partition, size);
                }
            });
        }
    }

    /** An entry of {@code externalNetworks} that is null is one without a name (P1). */
    private static List<PartitionForm.External> externals(List<NewExternal> given) {
        return given == null ? null : given.stream()
                .map(e -> e == null ? new NewExternal(null, null, null, null) : e)
                .map(e -> new PartitionForm.External(e.name(), e.prefixes(), e.destinationPrefixes(), e.natType())).toList();
    }

    /**
     * Absent fields stay; pools and external networks, when given, must list the existing ones too (P1). A change of
     * the fabric settings gives every firewall of the partition a new revision.
     */
    record ChangePartition(@Size(max = NAME) String name, @Size(max = DESCRIPTION) String description,
                           @Size(max = PREFIXES) List<@Size(max = ADDRESS) String> superNetworks,
                           @Size(max = FAMILIES) Map<@Size(max = WORD) String, Integer> childPrefixLength,
                           Integer minChildPrefixLength, Integer minChildPrefixLengthV6,
                           @Size(max = EXTERNAL_NETWORKS) List<@Valid NewExternal> externalNetworks,
                           @Valid ProxyView proxy, Boolean removeProxy,
                           @Size(max = SIZES) Map<@Size(max = ID) String, @Max(MACHINES_PER_SIZE) Integer> inventory,
                           Integer bgpKeepalive, Integer bgpHoldTime, @Size(max = WORD) String externalExport) {

        PartitionChange toChange() {
            return PartitionForm.change(name, description, length(childPrefixLength, "ipv4"), minChildPrefixLength,
                    length(childPrefixLength, "ipv6"), minChildPrefixLengthV6, proxy == null ? null : new PartitionForm.Proxy(proxy.host(), proxy.port()),
                    Boolean.TRUE.equals(removeProxy), inventory, superNetworks, externals(externalNetworks),
                    PartitionForm.fabric(bgpKeepalive, bgpHoldTime, externalExport));
        }
    }

    record ProxyView(@Size(max = HOST) String host, Integer port) {
    }

    record PartitionView(String id, String name, String description, List<String> superNetworks,
                         Map<String, Integer> childPrefixLength, int minChildPrefixLength, Integer minChildPrefixLengthV6,
                         List<Partition.ExternalNetwork> externalNetworks, ProxyView proxy,
                         Map<String, Integer> freeInventory, int bgpKeepalive, int bgpHoldTime, String externalExport) {

        /** IPv6 lengths only for a partition with an IPv6 pool (dual stack). */
        static PartitionView of(Partition p) {
            Map<String, Integer> lengths = p.dualStack()
                    ? Map.of("ipv4", p.childLengthV4(), "ipv6", p.childLengthV6())
                    : Map.of("ipv4", p.childLengthV4());
            return new PartitionView(p.id().value(), p.name(), p.description(), p.superNetworks(), lengths, p.minChildLengthV4(),
                    p.dualStack() ? p.minChildLengthV6() : null,
                    p.externalNetworks(), p.proxy().map(x -> new ProxyView(x.host(), x.port())).orElse(null),
                    p.freeInventory(), p.fabric().keepalive(), p.fabric().holdTime(), p.fabric().externalExport().name());
        }
    }
}
