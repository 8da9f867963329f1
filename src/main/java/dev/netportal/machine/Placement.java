package dev.netportal.machine;

import dev.netportal.common.DomainException;
import dev.netportal.common.Refusal;
import dev.netportal.identity.ProjectId;
import dev.netportal.network.Network;
import dev.netportal.network.NetworkId;
import dev.netportal.network.NetworkType;
import dev.netportal.partition.PartitionId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Who may sit in which network (M1, F1, F3, S5), without storage: checks the networks asked for a machine or a
 * firewall of a project in a partition, and answers the primary network. Every refusal names the rule and the
 * network.
 */
public final class Placement {

    private Placement() {
    }

    /** M1: exactly one network, a private or shared one of the machine's project, in its partition. */
    public static Network machine(ProjectId project, PartitionId partition, List<Network> networks) {
        networks.forEach(network -> visible(project, network));
        if (networks.size() != 1) {
            throw Refusal.M1_ONE_NETWORK.with(networks.size());
        }
        Network network = networks.getFirst();
        if ((network.type() == NetworkType.CHILD || network.type() == NetworkType.CHILD_SHARED)
                && !project.equals(network.project())) {
            throw Refusal.M1_OTHER_PROJECT.with(network.id(), project);
        }
        samePartition(partition, network);
        if (network.type() != NetworkType.CHILD && network.type() != NetworkType.CHILD_SHARED) {
            throw Refusal.M1_NETWORK_TYPE.with(network.name(), describe(network));
        }
        return network;
    }

    /**
     * F1/F3: at most one private network of the firewall's project; shared networks of any project; at least one
     * external network; at least one private or shared network; with no private network, exactly one shared
     * network of its own project, which is then its primary; all in the firewall's partition; no network twice.
     * Answers the primary network.
     */
    public static Network firewall(ProjectId project, PartitionId partition, List<Network> networks) {
        networks.forEach(network -> visible(project, network));
        Set<NetworkId> seen = new HashSet<>();
        for (Network network : networks) {
            if (!seen.add(network.id())) {
                throw Refusal.F1_DUPLICATE.with(network.name());
            }
            samePartition(partition, network);
            if (network.type() == NetworkType.SUPER) {
                throw Refusal.F1_NETWORK_TYPE.with(network.name());
            }
        }
        List<Network> privates = networks.stream().filter(n -> n.type() == NetworkType.CHILD).toList();
        if (privates.size() > 1) {
            throw Refusal.F3_SECOND_PRIVATE.with(privates.stream().map(Network::name).toList());
        }
        if (networks.stream().noneMatch(n -> n.type() == NetworkType.EXTERNAL)) {
            throw Refusal.F1_EXTERNAL_REQUIRED.with(partition);
        }
        if (!privates.isEmpty()) {
            return privates.getFirst();
        }
        List<Network> ownShared = networks.stream()
                .filter(n -> n.type() == NetworkType.CHILD_SHARED && project.equals(n.project())).toList();
        if (networks.stream().noneMatch(n -> n.type() == NetworkType.CHILD_SHARED)) {
            throw Refusal.F1_PRIVATE_REQUIRED.with();
        }
        if (ownShared.size() != 1) {
            throw Refusal.F1_PRIMARY_SHARED.with(ownShared.size());
        }
        return ownShared.getFirst();
    }

    /**
     * F2/F3: what may be attached to a running firewall: a shared network of its partition, not yet attached, and
     * not a second one of the firewall's own project when it has no private network (F1).
     */
    public static void attachable(ProjectId project, PartitionId partition, List<Machine.Attachment> attached,
            Network network) {
        visible(project, network);
        samePartition(partition, network);
        if (network.type() == NetworkType.CHILD) {
            throw Refusal.F3_SECOND_PRIVATE_ATTACH.with(network.name());
        }
        if (network.type() != NetworkType.CHILD_SHARED) {
            throw Refusal.F2_SHARED_ONLY.with(network.name(), describe(network));
        }
        if (attached.stream().anyMatch(a -> a.network().equals(network.id()))) {
            throw Refusal.F1_ALREADY_ATTACHED.with(network.name());
        }
        // F1/F3, one answer on every path: without a private network, a firewall has exactly one shared network of
        // its own project (its primary), at allocation as after an attach
        if (project.equals(network.project()) && attached.stream().noneMatch(a -> a.type() == NetworkType.CHILD)) {
            throw Refusal.F1_PRIMARY_SHARED.with(1 + attached.stream()
                    .filter(a -> a.type() == NetworkType.CHILD_SHARED && project.value().equals(a.project())).count());
        }
    }

    /**
     * V1 before every other rule: another project's private network is "not found" for this project, so that no
     * refusal tells its name, its partition or that it exists. Shared networks (the catalogue) and the partition's
     * external networks and pools are visible to all.
     */
    private static void visible(ProjectId project, Network network) {
        if (network.type() == NetworkType.CHILD && !project.equals(network.project())) {
            throw DomainException.notFound("Network " + network.id());
        }
    }

    private static void samePartition(PartitionId partition, Network network) {
        if (!partition.equals(network.partition())) {
            throw Refusal.S5_PARTITION.with(network.name(), network.partition(), partition);
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
