package dev.netportal.machine;

import dev.netportal.common.DomainException;
import dev.netportal.identity.ProjectId;
import dev.netportal.network.Network;
import dev.netportal.network.NetworkType;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Who may sit in which network (M1, F1, F3, S5), without storage: checks the networks asked for a machine or a
 * firewall of a project in a partition, and answers the primary network. Every refusal names the rule and the
 * network.
 */
public final class Placement {

    private Placement() {
    }

    /** M1: exactly one network, a private or shared one of the machine's project, in its partition. */
    public static Network machine(ProjectId project, String partition, List<Network> networks) {
        if (networks.size() != 1) {
            throw new DomainException(DomainException.Kind.RULE, "M1-one-network", "A machine has exactly one network, "
                    + "its primary; " + networks.size() + " were given (M1).");
        }
        Network network = networks.getFirst();
        if ((network.type() == NetworkType.CHILD || network.type() == NetworkType.CHILD_SHARED)
                && !project.equals(network.project())) {
            throw new DomainException(DomainException.Kind.RULE, "M1-other-project", "Network " + network.id()
                    + " is not a network of project " + project + "; a machine sits only in its own project's networks (M1).");
        }
        samePartition(partition, network);
        if (network.type() != NetworkType.CHILD && network.type() != NetworkType.CHILD_SHARED) {
            throw new DomainException(DomainException.Kind.RULE, "M1-network-type", "Network " + network.name() + " is "
                    + describe(network) + "; a machine's network is a private or shared network of its project (M1).");
        }
        return network;
    }

    /**
     * F1/F3: at most one private network of the firewall's project; shared networks of any project; at least one
     * external network; at least one private or shared network; with no private network, exactly one shared
     * network of its own project, which is then its primary; all in the firewall's partition; no network twice.
     * Answers the primary network.
     */
    public static Network firewall(ProjectId project, String partition, List<Network> networks) {
        Set<UUID> seen = new HashSet<>();
        for (Network network : networks) {
            if (!seen.add(network.id())) {
                throw DomainException.invalid("F1-duplicate", "Network " + network.name() + " is given twice (F1).");
            }
            if (network.type() == NetworkType.CHILD && !project.equals(network.project())) {
                throw new DomainException(DomainException.Kind.RULE, "F1-other-project", "Network " + network.id()
                        + " is a private network of another project; a firewall's private network is its own project's (F1).");
            }
            samePartition(partition, network);
            if (network.type() == NetworkType.SUPER) {
                throw new DomainException(DomainException.Kind.RULE, "F1-network-type", "Network " + network.name()
                        + " is a pool; a firewall joins private, shared and external networks (F1).");
            }
        }
        List<Network> privates = networks.stream().filter(n -> n.type() == NetworkType.CHILD).toList();
        if (privates.size() > 1) {
            throw new DomainException(DomainException.Kind.RULE, "F3-second-private", "A firewall may have only one "
                    + "private network (F3); " + privates.stream().map(Network::name).toList() + " were given.");
        }
        if (networks.stream().noneMatch(n -> n.type() == NetworkType.EXTERNAL)) {
            throw new DomainException(DomainException.Kind.RULE, "F1-external-required", "A firewall needs at least one "
                    + "external network of partition " + partition + " (F1).");
        }
        if (!privates.isEmpty()) {
            return privates.getFirst();
        }
        List<Network> ownShared = networks.stream()
                .filter(n -> n.type() == NetworkType.CHILD_SHARED && project.equals(n.project())).toList();
        if (networks.stream().noneMatch(n -> n.type() == NetworkType.CHILD_SHARED)) {
            throw new DomainException(DomainException.Kind.RULE, "F1-private-required", "A firewall needs a private "
                    + "network of its project, or a shared one of its own (F1).");
        }
        if (ownShared.size() != 1) {
            throw new DomainException(DomainException.Kind.RULE, "F1-primary-shared", "Without a private network, a "
                    + "firewall's primary is exactly one shared network of its own project (F1); " + ownShared.size()
                    + " were given.");
        }
        return ownShared.getFirst();
    }

    /** F2/F3: what may be attached to a running firewall: a shared network of its partition, not yet attached. */
    public static void attachable(String partition, List<UUID> attached, Network network) {
        samePartition(partition, network);
        if (network.type() == NetworkType.CHILD) {
            throw new DomainException(DomainException.Kind.RULE, "F3-second-private", "A firewall may have only one "
                    + "private network (F3): " + network.name() + " is a private network, so it is not attached; only "
                    + "shared networks are.");
        }
        if (network.type() != NetworkType.CHILD_SHARED) {
            throw new DomainException(DomainException.Kind.RULE, "F2-shared-only", "Network " + network.name() + " is "
                    + describe(network) + "; only shared networks are attached to a running firewall (F2).");
        }
        if (attached.contains(network.id())) {
            throw new DomainException(DomainException.Kind.CONFLICT, "F1-duplicate", "Network " + network.name()
                    + " is attached to this firewall already; a network is on a firewall once (F1).");
        }
    }

    private static void samePartition(String partition, Network network) {
        if (!partition.equals(network.partition())) {
            throw new DomainException(DomainException.Kind.RULE, "S5-partition", "Network " + network.name() + " is in "
                    + "partition " + network.partition() + ", not in " + partition + "; networks are used only in their own "
                    + "partition (S5).");
        }
    }

    private static String describe(Network network) {
        return switch (network.type()) {
            case EXTERNAL -> "an external network";
            case SUPER -> "a pool";
            case CHILD -> "a private network";
            case CHILD_SHARED -> "a shared network";
        };
    }
}
