package dev.netportal.machine;

import dev.netportal.common.NatType;
import dev.netportal.identity.ProjectId;
import dev.netportal.network.NetworkId;
import dev.netportal.network.NetworkType;
import dev.netportal.partition.PartitionId;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * An allocated machine or firewall with its networks and IPs.
 *
 * @param proxy    for a machine in a shared network with no firewall of its project there: the partition's HTTP
 *                 proxy, its only way to the internet (M4)
 * @param firewall for a machine: the firewall of its project in its network, its way out, if there is one
 * @param asn      for a firewall: the private AS number it runs BGP in, its own, fixed while it is allocated
 */
public record Machine(MachineId id, String name, ProjectId project, PartitionId partition, String size, Role role,
                      List<Attachment> networks, Optional<String> proxy, Optional<String> firewall,
                      OffsetDateTime allocatedAt, Optional<Long> asn) {

    public enum Role {
        MACHINE, FIREWALL
    }

    /**
     * One network of the machine: its type, owner, NAT, the machine's addresses there (one per family of the
     * network, IPv4 first), and whether it is the primary.
     */
    public record Attachment(NetworkId network, String name, NetworkType type, String project, NatType natType,
                             List<String> ips, boolean primary) {

        public Attachment {
            ips = List.copyOf(ips);
        }

        /** The first address (IPv4 where the network has IPv4). */
        public String ip() {
            return ips.isEmpty() ? "" : ips.getFirst();
        }

        /** All addresses, for people: {@code 10.0.0.2, 2001:db8::2}. */
        public String addresses() {
            return String.join(", ", ips);
        }
    }

    /** "Machine" or "Firewall", for messages. */
    public String kind() {
        return role == Role.MACHINE ? "Machine" : "Firewall";
    }

    /** How the machine reaches the internet, in words (M4). */
    public String internetAccess() {
        return proxy.map(p -> "through proxy " + p)
                .or(() -> firewall.map(f -> "through firewall " + f))
                .orElse("none: no firewall of the project in " + primary().map(Attachment::name).orElse("its network"));
    }

    public Optional<Attachment> primary() {
        return networks.stream().filter(Attachment::primary).findFirst();
    }
}
