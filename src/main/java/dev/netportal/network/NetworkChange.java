package dev.netportal.network;

import java.util.Map;
import java.util.Optional;

/**
 * A change to a network as asked (N2): name, description and labels change, absent means unchanged. The rest is
 * what the caller asked to change that never changes: {@code placement} when partition, prefix or VRF were given,
 * {@code type} when a type was; the service refuses those (N2, S4).
 */
public record NetworkChange(Optional<String> name, Optional<String> description, Optional<Map<String, String>> labels,
                            boolean placement, Optional<String> type) {

    /** A change of name, description or labels only. */
    public static NetworkChange of(Optional<String> name, Optional<String> description, Optional<Map<String, String>> labels) {
        return new NetworkChange(name, description, labels, false, Optional.empty());
    }
}
