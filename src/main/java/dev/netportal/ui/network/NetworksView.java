package dev.netportal.ui.network;

import com.vaadin.flow.component.badge.Badge;
import com.vaadin.flow.component.badge.BadgeVariant;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;
import dev.netportal.identity.ProjectRole;
import dev.netportal.network.Network;
import dev.netportal.network.NetworkService;
import dev.netportal.partition.PartitionService;
import dev.netportal.project.ProjectMembership;
import dev.netportal.ui.UserSession;
import dev.netportal.ui.Widgets;
import jakarta.annotation.security.PermitAll;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** The selected project's networks: prefix, VRF, type and usage at a glance, and "New network" for members. */
@Route("networks")
@PageTitle("Networks · Netportal")
@PermitAll
public class NetworksView extends VerticalLayout {

    private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    private final UserSession session;
    private final NetworkService networks;
    private final Grid<Network> grid = new Grid<>(Network.class, false);
    private final TextField filter = new TextField();
    private List<Network> all = List.of();

    NetworksView(UserSession session, NetworkService networks, PartitionService partitions) {
        this.session = session;
        this.networks = networks;
        setSizeFull();

        ProjectMembership project = session.selectedProject().orElse(null);
        if (project == null) {
            add(new H2("Networks"), new Paragraph("You hold no role in a project, so there are no networks to show."));
            return;
        }
        Button create = Widgets.create("New network", "new-network", click ->
                new NewNetworkDialog(session.actor(), project, networks, partitions, this::refresh).open());
        // the same check as the service's: admins hold every role, whatever role the token also names
        create.setVisible(session.actor().has(ProjectRole.MEMBER, project.id()));

        filter.setPlaceholder("Filter by name or prefix");
        filter.setPrefixComponent(VaadinIcon.SEARCH.create());
        filter.setValueChangeMode(ValueChangeMode.EAGER);
        filter.setClearButtonVisible(true);
        filter.addValueChangeListener(change -> showFiltered());

        HorizontalLayout header = Widgets.header("Networks of " + project.name(), filter, create);

        configureGrid();
        add(header, grid);
        refresh();
    }

    private void configureGrid() {
        grid.setId("networks");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.addComponentColumn(n -> new RouterLink(n.name(), NetworkDetailView.class, new RouteParameters("id", n.id().toString())))
                .setHeader("Name").setComparator(Network::name).setFlexGrow(2);
        grid.addColumn(Network::partition).setHeader("Partition").setSortable(true);
        grid.addComponentColumn(n -> Widgets.mono(n.prefixesText())).setHeader("Prefixes")
                .setComparator(n -> String.valueOf(n.prefix())).setFlexGrow(2);
        grid.addColumn(Network::vrf).setHeader("VRF").setSortable(true);
        grid.addComponentColumn(NetworksView::typeBadge).setHeader("Type");
        grid.addComponentColumn(NetworksView::usage).setHeader("Usage").setFlexGrow(2)
                .setComparator(n -> n.total() == 0 ? 0 : (double) n.allocated() / n.total());
        grid.addColumn(n -> CREATED.format(n.createdAt())).setHeader("Created").setSortable(true).setAutoWidth(true);
        grid.setEmptyStateText("No networks yet.");
    }

    void refresh() {
        session.selectedProject().ifPresent(project -> {
            all = networks.list(session.actor(), project.id()).block();
            showFiltered();
        });
    }

    private void showFiltered() {
        String text = filter.getValue() == null ? "" : filter.getValue().strip().toLowerCase(Locale.ROOT);
        grid.setItems(all.stream().filter(n -> text.isEmpty() || n.name().toLowerCase(Locale.ROOT).contains(text)
                || n.prefixesText().contains(text)).toList());
    }

    public static Badge typeBadge(Network network) {
        return switch (network.type()) {
            case CHILD -> new Badge("private");
            case CHILD_SHARED -> {
                Badge shared = new Badge("shared");
                shared.addThemeVariants(BadgeVariant.SUCCESS);
                yield shared;
            }
            default -> new Badge(network.type().name().toLowerCase(Locale.ROOT));
        };
    }

    public static Div usage(Network network) {
        ProgressBar bar = new ProgressBar(0, Math.max(1, network.total()), network.allocated());
        bar.addClassName("np-usage-bar");
        Span label = new Span(network.allocated() + " / " + network.total() + " IPs");
        label.addClassName("np-usage-label");
        Div usage = new Div(bar, label);
        usage.addClassName("np-usage");
        return usage;
    }
}
