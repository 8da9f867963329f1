package dev.netportal.network;

import java.util.Map;
import java.util.Optional;

/**
 * A member's request for a private network (N1); without a length the partition's default of that family applies
 * ({@code prefixLengthV6} only in a partition with an IPv6 pool).
 */
public record NewNetwork(String name, String partition, Optional<Integer> prefixLength, Optional<Integer> prefixLengthV6,
                         String description, Map<String, String> labels) {

    public NewNetwork(String name, String partition, Optional<Integer> prefixLength, String description,
            Map<String, String> labels) {
        this(name, partition, prefixLength, Optional.empty(), description, labels);
    }

    public NewNetwork(String name, String partition, Optional<Integer> prefixLength, String description) {
        this(name, partition, prefixLength, description, Map.of());
    }
}
