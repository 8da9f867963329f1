package dev.netportal.network;

import java.util.Map;
import java.util.Optional;

/** What may change on a network after creation (N2): name, description, labels; absent means unchanged. */
public record NetworkChange(Optional<String> name, Optional<String> description, Optional<Map<String, String>> labels) {
}
