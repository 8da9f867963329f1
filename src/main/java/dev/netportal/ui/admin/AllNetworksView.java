package dev.netportal.ui.admin;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;
import dev.netportal.common.InputLimits;
import dev.netportal.network.Network;
import dev.netportal.network.NetworkService;
import dev.netportal.partition.PartitionId;
import dev.netportal.partition.PartitionService;
import dev.netportal.ui.AdminOnly;
import dev.netportal.ui.LazyRows;
import dev.netportal.ui.UserSession;
import dev.netportal.ui.Widgets;
import dev.netportal.ui.network.NetworkDetailView;
import dev.netportal.ui.network.NetworksView;
import jakarta.annotation.security.PermitAll;
import java.util.Optional;
import java.util.stream.Stream;

/** Platform admins: every project's networks, filtered by partition and text. */
@Route("admin/networks")
@PageTitle("All networks · Admin · Netportal")
@PermitAll
public class AllNetworksView extends VerticalLayout implements BeforeEnterObserver {

    private static final String ALL = "All partitions";

    private final UserSession session;
    private final NetworkService networks;
    private final PartitionService partitions;
    private final Grid<Network> grid = new Grid<>(Network.class, false);
    private final TextField filter = new TextField();
    private final Select<String> partition = new Select<>();

    AllNetworksView(UserSession session, NetworkService networks, PartitionService partitions) {
        this.session = session;
        this.networks = networks;
        this.partitions = partitions;
        setSizeFull();
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        if (!AdminOnly.check(event, session) || !getChildren().toList().isEmpty()) {
            return;
        }
        filter.setPlaceholder("Filter by name, project or prefix");
        filter.setPrefixComponent(VaadinIcon.SEARCH.create());
        filter.setValueChangeMode(ValueChangeMode.LAZY);
        filter.setMaxLength(InputLimits.NAME);
        filter.setClearButtonVisible(true);
        filter.setId("all-networks-filter");
        filter.addValueChangeListener(change -> grid.getDataProvider().refreshAll());
        partition.setItems(Stream.concat(Stream.of(ALL), partitions.ids().block().stream()).toList());
        partition.setValue(ALL);
        partition.setAriaLabel("Partition");
        partition.addValueChangeListener(change -> grid.getDataProvider().refreshAll());
        HorizontalLayout header = Widgets.header("All networks", partition, filter);

        grid.setId("all-networks");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        // by partition and age, a page at a time, filtered in the database: there may be tens of thousands
        grid.addComponentColumn(n -> new RouterLink(n.name(), NetworkDetailView.class, new RouteParameters("id", n.id().toString())))
                .setHeader("Name").setFlexGrow(2);
        grid.addColumn(n -> n.project().value()).setHeader("Project");
        grid.addColumn(Network::partition).setHeader("Partition");
        grid.addColumn(Network::prefixesText).setHeader("Prefixes").setFlexGrow(2);
        grid.addColumn(Network::vrf).setHeader("VRF");
        grid.addComponentColumn(NetworksView::typeBadge).setHeader("Type");
        grid.addComponentColumn(NetworksView::usage).setHeader("Usage").setFlexGrow(2);
        grid.setEmptyStateText("No networks match.");
        add(header, grid);
        LazyRows.show(grid, (offset, limit) -> networks.listAll(session.actor(),
                Optional.ofNullable(partition.getValue()).filter(chosen -> !ALL.equals(chosen)).map(PartitionId::new),
                filter.getValue(), offset, limit));
    }
}
