package dev.netportal.firewall;

import dev.netportal.machine.Machine;
import dev.netportal.machine.MachineId;
import java.util.UUID;

/** A firewall's id: the id of the machine allocated as the firewall. */
public record FirewallId(UUID value) {

    /** The id of a machine allocated as a firewall. */
    public static FirewallId of(Machine firewall) {
        return of(firewall.id());
    }

    /** The firewall on a machine. */
    public static FirewallId of(MachineId machine) {
        return new FirewallId(machine.value());
    }

    /** The machine the firewall runs on. */
    public MachineId machine() {
        return new MachineId(value);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
