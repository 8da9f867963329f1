package dev.netportal.ui.admin;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.netportal.common.DomainException;
import dev.netportal.common.InputLimits;
import dev.netportal.identity.ProjectId;
import dev.netportal.project.Project;
import dev.netportal.project.ProjectService;
import dev.netportal.ui.AdminOnly;
import dev.netportal.ui.FieldErrors;
import dev.netportal.ui.LazyRows;
import dev.netportal.ui.Notices;
import dev.netportal.ui.UserSession;
import dev.netportal.ui.Widgets;
import jakarta.annotation.security.PermitAll;
import java.util.Map;
import java.util.function.Function;

/** Platform admins: all projects with quotas and usage; create projects and change quotas (N4). */
@Route("admin/projects")
@PageTitle("Projects · Admin · Netportal")
@PermitAll
public class ProjectsAdminView extends VerticalLayout implements BeforeEnterObserver {

    private final UserSession session;
    private final ProjectService projects;
    private final Grid<Project> grid = new Grid<>(Project.class, false);

    ProjectsAdminView(UserSession session, ProjectService projects) {
        this.session = session;
        this.projects = projects;
        setSizeFull();
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        if (!AdminOnly.check(event, session) || !getChildren().toList().isEmpty()) {
            return;
        }
        HorizontalLayout header = Widgets.header("Projects", Widgets.create("New project", "new-project", click -> edit(null)));

        grid.setId("projects-admin");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        // by id, a page at a time: an installation may hold thousands of projects
        grid.addColumn(p -> p.id().value()).setHeader("Id").setAutoWidth(true);
        grid.addColumn(Project::name).setHeader("Name").setFlexGrow(2);
        grid.addColumn(p -> usage(p, Project.Quotas::networks)).setHeader("Networks");
        grid.addColumn(p -> usage(p, Project.Quotas::ips)).setHeader("IPs");
        grid.addColumn(p -> usage(p, Project.Quotas::machines)).setHeader("Machines");
        grid.addColumn(p -> usage(p, Project.Quotas::firewalls)).setHeader("Firewalls");
        grid.addComponentColumn(p -> {
            Button edit = new Button("Edit", click -> edit(p));
            edit.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
            edit.setId("edit-project-" + p.id().value());
            return edit;
        }).setAutoWidth(true).setFlexGrow(0);
        add(header, grid);
        LazyRows.show(grid, (offset, limit) -> projects.visible(session.actor(), offset, limit));
    }

    /** "3 of 10", or "3 (no limit)". */
    private static String usage(Project project, Function<Project.Quotas, Integer> counter) {
        Integer used = counter.apply(project.usage());
        Integer quota = counter.apply(project.quotas());
        return (used == null ? 0 : used) + (quota == null ? " (no limit)" : " of " + quota);
    }

    private void refresh() {
        grid.getDataProvider().refreshAll();
    }

    private void edit(Project existing) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle(existing == null ? "New project" : "Project " + existing.id().value());
        TextField id = new TextField("Id");
        id.setId("project-id");
        id.setHelperText("Lower-case letters, digits and '-'; the groups project:<id>:<role> give roles in it.");
        id.setRequired(true);
        TextField name = new TextField("Name");
        name.setId("project-name");
        name.setRequired(true);
        TextField description = new TextField("Description");
        description.setMaxLength(InputLimits.DESCRIPTION);
        IntegerField networks = quota("Networks", "quota-networks");
        IntegerField ips = quota("IPs", "quota-ips");
        IntegerField machines = quota("Machines", "quota-machines");
        IntegerField firewalls = quota("Firewalls", "quota-firewalls");
        if (existing != null) {
            id.setValue(existing.id().value());
            id.setReadOnly(true);
            name.setValue(existing.name());
            description.setValue(existing.description());
            networks.setValue(existing.quotas().networks());
            ips.setValue(existing.quotas().ips());
            machines.setValue(existing.quotas().machines());
            firewalls.setValue(existing.quotas().firewalls());
        }
        dialog.add(new FormLayout(id, name, description, networks, ips, machines, firewalls));
        Button save = new Button(existing == null ? "Create" : "Save", click -> {
            Project.Quotas quotas = new Project.Quotas(networks.getValue(), machines.getValue(), firewalls.getValue(),
                    ips.getValue());
            try {
                if (existing == null) {
                    if (!ProjectId.isValid(id.getValue())) {
                        id.setErrorMessage("'" + id.getValue() + "' is not a project id: lower-case letters, digits and '-'.");
                        id.setInvalid(true);
                        return;
                    }
                    projects.create(session.actor(), new ProjectId(id.getValue()), name.getValue(), description.getValue(),
                            quotas).block();
                    Notices.success("Created project " + id.getValue() + ".");
                } else {
                    projects.update(session.actor(), existing.id(), name.getValue(), description.getValue(), quotas).block();
                    Notices.success("Saved project " + existing.id().value() + ".");
                }
                dialog.close();
                refresh();
            } catch (DomainException refused) {
                FieldErrors.show(refused, Map.of("name", name, "id", id));
            }
        });
        save.setId("save-project");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.getFooter().add(new Button("Cancel", click -> dialog.close()), save);
        dialog.open();
    }

    private static IntegerField quota(String label, String id) {
        IntegerField field = new IntegerField(label + " quota");
        field.setId(id);
        field.setMin(0);
        field.setPlaceholder("no limit");
        field.setHelperText("Empty: no limit");
        return field;
    }
}
