package dev.netportal.machine;

import java.util.UUID;

/** A machine's id in its partition's inventory; a firewall is a machine allocated as one. */
public record MachineId(UUID value) {

    @Override
    public String toString() {
        return value.toString();
    }
}
