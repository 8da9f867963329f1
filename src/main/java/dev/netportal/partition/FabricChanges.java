package dev.netportal.partition;

import reactor.core.publisher.Mono;

/**
 * Told inside the transaction of a partition change that its fabric settings changed: its firewalls carry them in
 * their rendered configuration, so they render again in the same transaction (D1, D5). The firewall module
 * implements it; the partition module does not depend on it.
 */
public interface FabricChanges {

    Mono<Void> changed(PartitionId partition, FabricSettings settings, String actorName);
}
