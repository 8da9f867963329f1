package dev.netportal.network;

import java.util.UUID;

/** A network's id (private, shared, external network or pool). */
public record NetworkId(UUID value) {

    @Override
    public String toString() {
        return value.toString();
    }
}
