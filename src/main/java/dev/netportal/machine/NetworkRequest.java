package dev.netportal.machine;

import dev.netportal.network.NetworkId;
import java.util.Optional;

/** A network asked for a machine or firewall, with the address wanted there ({@code auto} when empty). */
public record NetworkRequest(NetworkId network, Optional<String> ip) {
}
