package dev.netportal.ui.firewall;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;
import dev.netportal.firewall.FirewallService;
import dev.netportal.identity.ProjectRole;
import dev.netportal.machine.Machine;
import dev.netportal.network.NetworkService;
import dev.netportal.network.NetworkType;
import dev.netportal.partition.PartitionService;
import dev.netportal.project.ProjectMembership;
import dev.netportal.sharing.ShareService;
import dev.netportal.ui.LazyRows;
import dev.netportal.ui.UserSession;
import dev.netportal.ui.Widgets;
import jakarta.annotation.security.PermitAll;

/** The selected project's firewalls with their networks at a glance; allocate for members. */
@Route("firewalls")
@PageTitle("Firewalls · Netportal")
@PermitAll
public class FirewallsView extends VerticalLayout {

    private final UserSession session;
    private final FirewallService firewalls;
    private final Grid<Machine> grid = new Grid<>(Machine.class, false);

    FirewallsView(UserSession session, FirewallService firewalls, NetworkService networks, PartitionService partitions,
            ShareService shares) {
        this.session = session;
        this.firewalls = firewalls;
        setSizeFull();
        ProjectMembership project = session.selectedProject().orElse(null);
        if (project == null) {
            add(new H2("Firewalls"), new Paragraph("You hold no role in a project, so there are no firewalls to show."));
            return;
        }
        Button allocate = Widgets.create("Allocate firewall", "allocate-firewall", click -> new AllocateFirewallDialog(
                session.actor(), project, firewalls, networks, partitions, shares, this::refresh).open());
        allocate.setVisible(session.actor().has(ProjectRole.MEMBER, project.id()));
        HorizontalLayout header = Widgets.header("Firewalls of " + project.name(), allocate);

        grid.setId("firewalls");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_WRAP_CELL_CONTENT);
        grid.addComponentColumn(f -> new RouterLink(f.name(), FirewallView.class, new RouteParameters("id", f.id().toString())))
                .setHeader("Name").setFlexGrow(2);
        grid.addColumn(Machine::partition).setHeader("Partition");
        grid.addColumn(Machine::size).setHeader("Size");
        grid.addColumn(f -> f.primary().map(p -> p.name() + " " + p.addresses()).orElse("")).setHeader("Primary network").setFlexGrow(2);
        grid.addColumn(f -> f.networks().stream().filter(a -> a.type() == NetworkType.CHILD_SHARED && !a.primary()).count())
                .setHeader("Shared networks attached");
        grid.addColumn(f -> f.networks().stream().filter(a -> a.type() == NetworkType.EXTERNAL).map(Machine.Attachment::name)
                .toList().toString().replaceAll("[\\[\\]]", "")).setHeader("External").setFlexGrow(2);
        grid.setEmptyStateText("No firewalls yet.");
        add(header, grid);
        // oldest first, a page at a time
        LazyRows.show(grid, (offset, limit) -> firewalls.list(session.actor(), project.id(), offset, limit));
    }

    private void refresh() {
        grid.getDataProvider().refreshAll();
    }
}
