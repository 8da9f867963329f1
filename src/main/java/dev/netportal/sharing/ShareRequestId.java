package dev.netportal.sharing;

import java.util.UUID;

/** A share request's id. */
public record ShareRequestId(UUID value) {

    @Override
    public String toString() {
        return value.toString();
    }
}
