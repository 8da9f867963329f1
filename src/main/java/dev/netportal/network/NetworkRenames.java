package dev.netportal.network;

import reactor.core.publisher.Mono;

/**
 * Told inside the renaming transaction that a network's name changed: firewalls carry network names in their
 * rendered configuration (FRR descriptions, nftables comments), so they render again in the same transaction. The
 * firewall module implements it; the network module does not depend on it.
 */
public interface NetworkRenames {

    Mono<Void> renamed(NetworkId network, String name, String actorName);
}
