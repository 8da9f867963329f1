package dev.netportal.machine;

import dev.netportal.network.NetworkId;
import java.util.List;
import java.util.Optional;

/**
 * A network asked for a machine or firewall, with the addresses wanted there: at most one per family; a family of
 * the network without one gets the lowest free address ({@code auto}) (M2).
 */
public record NetworkRequest(NetworkId network, List<String> ips) {

    public NetworkRequest {
        ips = ips == null ? List.of() : ips.stream().filter(ip -> ip != null && !ip.isBlank()).toList();
    }

    /** One address wanted, or {@code auto} in every family when empty. */
    public NetworkRequest(NetworkId network, Optional<String> ip) {
        this(network, ip.stream().toList());
    }
}
