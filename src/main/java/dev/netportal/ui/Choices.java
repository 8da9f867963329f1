package dev.netportal.ui;

import com.vaadin.flow.component.select.Select;
import dev.netportal.network.Network;
import dev.netportal.network.NetworkType;
import dev.netportal.partition.Partition;
import java.util.List;
import java.util.Map;

/** What the allocation dialogs offer once a partition is chosen. */
public final class Choices {

    private Choices() {
    }

    /** The partition's machine sizes with their free counts, the first size with a free machine chosen. */
    public static void sizes(Select<String> size, Partition partition) {
        size.setItems(partition.freeInventory().keySet().stream().sorted().toList());
        size.setItemLabelGenerator(s -> s + " (" + partition.freeInventory().get(s) + " free)");
        partition.freeInventory().entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey).sorted()
                .findFirst().ifPresent(size::setValue);
    }

    /** The project's private and shared networks of the partition. */
    public static List<Network> privateAndShared(List<Network> projectNetworks, Partition partition) {
        return projectNetworks.stream().filter(n -> n.partition().equals(partition.id())
                && (n.type() == NetworkType.CHILD || n.type() == NetworkType.CHILD_SHARED)).toList();
    }

    public static String label(Network network) {
        return network.name() + " · " + network.prefixesText() + (network.type() == NetworkType.CHILD_SHARED ? " (shared)" : "");
    }
}
