package dev.netportal.network;

import reactor.core.publisher.Mono;

/**
 * Told inside the renaming transaction that a network's name changed: firewalls carry network names in their
 * rendered configuration (FRR descriptions, nftables comments), so they render again in the same transaction. The
 * firewall module implements it; the network module does not depend on it.
 */
public interface NetworkRenames {

    /**
     * Before the network's row is locked: takes the locks that rendering will need (the firewalls in the network),
     * in the order every other path takes them (a firewall before its networks), so that a rename never deadlocks
     * with a firewall changing at the same moment.
     */
    Mono<Void> renaming(NetworkId network);

    Mono<Void> renamed(NetworkId network, String name, String actorName);
}
