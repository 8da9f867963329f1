package dev.netportal.api;

import dev.netportal.partition.Partition;
import dev.netportal.partition.PartitionService;
import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Partitions, readable by every signed-in user. */
@RestController
@RequestMapping("/api/v1/partitions")
class PartitionController {

    private final PartitionService partitions;

    PartitionController(PartitionService partitions) {
        this.partitions = partitions;
    }

    @GetMapping
    @Operation(summary = "All partitions with pools, external networks, proxy and free inventory (any)")
    Mono<Page<PartitionView>> list(@RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        return partitions.list().map(all -> Page.of(all.stream().map(PartitionView::of).toList(), page, size));
    }

    @GetMapping("/{id}")
    @Operation(summary = "One partition (any)")
    Mono<PartitionView> get(@PathVariable String id) {
        return partitions.get(id).map(PartitionView::of);
    }

    record ProxyView(String host, int port) {
    }

    record PartitionView(String id, String name, String description, List<String> superNetworks,
                         Map<String, Integer> childPrefixLength, int minChildPrefixLength,
                         List<Partition.ExternalNetwork> externalNetworks, ProxyView proxy,
                         Map<String, Integer> freeInventory) {

        static PartitionView of(Partition p) {
            Map<String, Integer> lengths = p.superNetworks().stream().anyMatch(s -> s.contains(":"))
                    ? Map.of("ipv4", p.childLengthV4(), "ipv6", p.childLengthV6())
                    : Map.of("ipv4", p.childLengthV4());
            return new PartitionView(p.id(), p.name(), p.description(), p.superNetworks(), lengths, p.minChildLengthV4(),
                    p.externalNetworks(), p.proxy().map(x -> new ProxyView(x.host(), x.port())).orElse(null),
                    p.freeInventory());
        }
    }
}
