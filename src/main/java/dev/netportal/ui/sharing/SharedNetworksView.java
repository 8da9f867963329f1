package dev.netportal.ui.sharing;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.netportal.common.Slice;
import dev.netportal.partition.PartitionId;
import dev.netportal.partition.PartitionService;
import dev.netportal.sharing.ShareEvents;
import dev.netportal.sharing.ShareService;
import dev.netportal.sharing.SharedNetwork;
import dev.netportal.ui.LazyRows;
import dev.netportal.ui.Live;
import dev.netportal.ui.Widgets;
import jakarta.annotation.security.PermitAll;
import java.util.List;
import reactor.core.publisher.Mono;

/** The shared networks of one partition (S5): what a firewall in that partition can attach, and whose it is. */
@Route("shared-networks")
@PageTitle("Shared networks · Netportal")
@PermitAll
public class SharedNetworksView extends VerticalLayout {

    private final ShareService shares;
    private final Select<String> partition = new Select<>();
    private final Grid<SharedNetwork> grid = new Grid<>(SharedNetwork.class, false);

    SharedNetworksView(ShareService shares, PartitionService partitions, ShareEvents events) {
        this.shares = shares;
        setSizeFull();
        List<String> ids = partitions.ids().block();
        partition.setId("catalogue-partition");
        partition.setLabel("Partition");
        partition.setItems(ids);
        ids.stream().findFirst().ifPresent(partition::setValue);
        partition.addValueChangeListener(change -> refresh());
        HorizontalLayout header = Widgets.header("Shared networks", partition);

        grid.setId("shared-networks");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_WRAP_CELL_CONTENT);
        // the network's page by its route (ui.network links here already: no class reference back)
        grid.addComponentColumn(n -> {
            Anchor link = new Anchor("networks/" + n.id(), n.name());
            link.getElement().setAttribute("router-link", true);
            return link;
        }).setHeader("Name").setFlexGrow(2);
        grid.addColumn(SharedNetwork::projectName).setHeader("Owner project").setFlexGrow(2);
        grid.addColumn(n -> String.join(", ", n.prefixes())).setHeader("Prefixes").setFlexGrow(2);
        grid.addColumn(n -> ShareTexts.nat(n.natType())).setHeader("NAT for consumers").setFlexGrow(3);
        grid.setEmptyStateText("No shared networks in this partition yet.");

        add(header, new Paragraph("A shared network is usable only inside its own partition. Firewalls of any project "
                + "in the partition can attach it."), grid);
        // by name, a page at a time
        LazyRows.show(grid, (offset, limit) -> partition.getValue() == null ? Mono.just(new Slice<>(List.of(), 0))
                : shares.catalogue(new PartitionId(partition.getValue()), offset, limit));
        Live.follow(this, events.changes(), this::refresh);
    }

    private void refresh() {
        grid.getDataProvider().refreshAll();
    }
}
