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
import dev.netportal.network.Network;
import dev.netportal.network.NetworkService;
import dev.netportal.ui.AdminOnly;
import dev.netportal.ui.UserSession;
import dev.netportal.ui.Widgets;
import dev.netportal.ui.network.NetworkDetailView;
import dev.netportal.ui.network.NetworksView;
import jakarta.annotation.security.PermitAll;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Platform admins: every project's networks, filtered by partition and text. */
@Route("admin/networks")
@PageTitle("All networks · Admin · Netportal")
@PermitAll
public class AllNetworksView extends VerticalLayout implements BeforeEnterObserver {

    private static final String ALL = "All partitions";

    private final UserSession session;
    private final NetworkService networks;
    private final Grid<Network> grid = new Grid<>(Network.class, false);
    private final TextField filter = new TextField();
    private final Select<String> partition = new Select<>();
    private List<Network> all = List.of();

    AllNetworksView(UserSession session, NetworkService networks) {
        this.session = session;
        this.networks = networks;
        setSizeFull();
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        if (!AdminOnly.check(event, session) || !getChildren().toList().isEmpty()) {
            return;
        }
        all = networks.listAll(session.actor()).block();
        filter.setPlaceholder("Filter by name, project or prefix");
        filter.setPrefixComponent(VaadinIcon.SEARCH.create());
        filter.setValueChangeMode(ValueChangeMode.EAGER);
        filter.setClearButtonVisible(true);
        filter.setId("all-networks-filter");
        filter.addValueChangeListener(change -> show());
        partition.setItems(Stream.concat(Stream.of(ALL), all.stream().map(n -> n.partition().value()).distinct().sorted()).toList());
        partition.setValue(ALL);
        partition.setAriaLabel("Partition");
        partition.addValueChangeListener(change -> show());
        HorizontalLayout header = Widgets.header("All networks", partition, filter);

        grid.setId("all-networks");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.addComponentColumn(n -> new RouterLink(n.name(), NetworkDetailView.class, new RouteParameters("id", n.id().toString())))
                .setHeader("Name").setComparator(Network::name).setFlexGrow(2);
        grid.addColumn(n -> n.project().value()).setHeader("Project").setSortable(true);
        grid.addColumn(Network::partition).setHeader("Partition").setSortable(true);
        grid.addColumn(Network::prefixesText).setHeader("Prefixes").setSortable(true).setFlexGrow(2);
        grid.addColumn(Network::vrf).setHeader("VRF").setSortable(true);
        grid.addComponentColumn(NetworksView::typeBadge).setHeader("Type");
        grid.addComponentColumn(NetworksView::usage).setHeader("Usage").setFlexGrow(2)
                .setComparator(n -> n.total() == 0 ? 0 : (double) n.allocated() / n.total());
        grid.setEmptyStateText("No networks match.");
        add(header, grid);
        show();
    }

    private void show() {
        String text = filter.getValue() == null ? "" : filter.getValue().strip().toLowerCase(Locale.ROOT);
        String chosen = partition.getValue();
        grid.setItems(all.stream()
                .filter(n -> ALL.equals(chosen) || n.partition().value().equals(chosen))
                .filter(n -> text.isEmpty() || n.name().toLowerCase(Locale.ROOT).contains(text)
                        || n.project().value().contains(text) || n.prefixesText().contains(text))
                .toList());
    }
}
