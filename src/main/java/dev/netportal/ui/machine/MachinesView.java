package dev.netportal.ui.machine;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.netportal.identity.ProjectRole;
import dev.netportal.machine.Machine;
import dev.netportal.machine.MachineService;
import dev.netportal.network.IpService;
import dev.netportal.network.NetworkService;
import dev.netportal.partition.PartitionService;
import dev.netportal.project.ProjectMembership;
import dev.netportal.ui.LazyRows;
import dev.netportal.ui.Notices;
import dev.netportal.ui.UserSession;
import dev.netportal.ui.Widgets;
import jakarta.annotation.security.PermitAll;

/** The selected project's machines: network, IP and how each reaches the internet; allocate and free for members. */
@Route("machines")
@PageTitle("Machines · Netportal")
@PermitAll
public class MachinesView extends VerticalLayout {

    private final UserSession session;
    private final MachineService machines;
    private final Grid<Machine> grid = new Grid<>(Machine.class, false);

    MachinesView(UserSession session, MachineService machines, NetworkService networks, IpService ips,
            PartitionService partitions) {
        this.session = session;
        this.machines = machines;
        setSizeFull();
        ProjectMembership project = session.selectedProject().orElse(null);
        if (project == null) {
            add(new H2("Machines"), new Paragraph("You hold no role in a project, so there are no machines to show."));
            return;
        }
        boolean member = session.actor().has(ProjectRole.MEMBER, project.id());
        Button allocate = Widgets.create("Allocate machine", "allocate-machine", click ->
                new AllocateMachineDialog(session.actor(), project, machines, networks, ips, partitions, this::refresh).open());
        allocate.setVisible(member);
        HorizontalLayout header = Widgets.header("Machines of " + project.name(), allocate);

        grid.setId("machines");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_WRAP_CELL_CONTENT);
        // oldest first, a page at a time
        grid.addColumn(Machine::name).setHeader("Name").setFlexGrow(2);
        grid.addColumn(Machine::size).setHeader("Size");
        grid.addColumn(Machine::partition).setHeader("Partition");
        grid.addColumn(m -> m.primary().map(Machine.Attachment::name).orElse("")).setHeader("Network").setFlexGrow(2);
        grid.addComponentColumn(m -> Widgets.mono(m.primary().map(Machine.Attachment::addresses).orElse(""))).setHeader("IPs").setAutoWidth(true);
        grid.addColumn(m -> capitalized(m.internetAccess())).setHeader("Internet access").setFlexGrow(3);
        if (member) {
            grid.addComponentColumn(this::freeButton).setAutoWidth(true).setFlexGrow(0);
        }
        grid.setEmptyStateText("No machines yet.");
        add(header, grid);
        LazyRows.show(grid, (offset, limit) -> machines.list(session.actor(), project.id(), offset, limit));
    }

    private Button freeButton(Machine machine) {
        Button free = new Button("Free", click -> {
            ConfirmDialog confirm = new ConfirmDialog();
            confirm.setHeader("Free machine " + machine.name() + "?");
            confirm.setText("Its IPs " + machine.primary().map(Machine.Attachment::addresses).orElse("") + " are released and the "
                    + machine.size() + " machine goes back to partition " + machine.partition() + ". This cannot be undone.");
            confirm.setCancelable(true);
            confirm.setConfirmText("Free");
            confirm.setConfirmButtonTheme("error primary");
            confirm.addConfirmListener(event -> {
                machines.free(session.actor(), machine.id()).block();
                Notices.success("Freed machine " + machine.name() + ".");
                refresh();
            });
            confirm.open();
        });
        free.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_SMALL);
        return free;
    }

    private void refresh() {
        grid.getDataProvider().refreshAll();
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
