package dev.netportal.machine;

import dev.netportal.identity.ProjectId;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * An allocated machine or firewall with its networks and IPs.
 *
 * @param proxy for a machine in a shared network with no firewall of its project there: the partition's HTTP
 *              proxy, its only way to the internet (M4)
 */
public record Machine(UUID id, String name, ProjectId project, String partition, String size, Role role,
                      List<Attachment> networks, Optional<String> proxy, OffsetDateTime allocatedAt) {

    public enum Role {
        MACHINE, FIREWALL
    }

    /** One network of the machine: its type, owner, NAT, the machine's address there, and whether it is the primary. */
    public record Attachment(UUID network, String name, String type, String project, String natType, String ip,
                             boolean primary) {
    }

    public Optional<Attachment> primary() {
        return networks.stream().filter(Attachment::primary).findFirst();
    }
}
