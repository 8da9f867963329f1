package dev.netportal.ui.audit;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.netportal.audit.AuditLog;
import dev.netportal.identity.ProjectId;
import dev.netportal.project.ProjectMembership;
import dev.netportal.ui.UserSession;
import jakarta.annotation.security.PermitAll;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The audit log (A1): who changed what, newest first. Tenants see their projects' events, admins all; filters by
 * project, kind of change and person, and older events on demand.
 */
@Route("audit")
@PageTitle("Audit log · Netportal")
@PermitAll
public class AuditView extends VerticalLayout {

    private static final int PAGE = 50;
    private static final String ANY_PROJECT = "All my projects";
    private static final List<String> ACTIONS = List.of("", "network.", "ip.", "project.", "partition.");

    private final UserSession session;
    private final AuditLog audit;
    private final Grid<AuditLog.Event> grid = new Grid<>(AuditLog.Event.class, false);
    private final Select<String> project = new Select<>();
    private final Select<String> action = new Select<>();
    private final TextField actor = new TextField();
    private final Button more = new Button("Older events");
    private final List<AuditLog.Event> shown = new ArrayList<>();

    AuditView(UserSession session, AuditLog audit) {
        this.session = session;
        this.audit = audit;
        setSizeFull();

        List<String> projects = new ArrayList<>();
        projects.add(ANY_PROJECT);
        session.memberships().stream().map(ProjectMembership::id).map(ProjectId::value).forEach(projects::add);
        project.setItems(projects);
        project.setValue(ANY_PROJECT);
        project.setLabel("Project");
        project.setId("audit-project");
        project.setItemLabelGenerator(p -> p.equals(ANY_PROJECT) && session.actor().admin() ? "All projects" : p);
        action.setItems(ACTIONS);
        action.setValue("");
        action.setLabel("Change");
        action.setId("audit-action");
        action.setItemLabelGenerator(a -> a.isEmpty() ? "Any change" : switch (a) {
            case "network." -> "Networks";
            case "ip." -> "IP addresses";
            case "project." -> "Projects and quotas";
            case "partition." -> "Partitions";
            default -> a;
        });
        actor.setLabel("Person");
        actor.setPlaceholder("Name or subject");
        actor.setId("audit-actor");
        actor.setClearButtonVisible(true);
        actor.setValueChangeMode(ValueChangeMode.LAZY);
        project.addValueChangeListener(change -> reload());
        action.addValueChangeListener(change -> reload());
        actor.addValueChangeListener(change -> reload());

        HorizontalLayout filters = new HorizontalLayout(project, action, actor);
        filters.setAlignItems(FlexComponent.Alignment.BASELINE);

        grid.setId("audit-events");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT, GridVariant.LUMO_WRAP_CELL_CONTENT);
        grid.addColumn(AuditText::when).setHeader("When").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(AuditLog.Event::actorName).setHeader("Who").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(AuditLog.Event::action).setHeader("Action").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(e -> Optional.ofNullable(e.project()).orElse("—")).setHeader("Project").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(AuditLog.Event::objectId).setHeader("Object").setFlexGrow(1);
        grid.addColumn(AuditText::details).setHeader("Details").setFlexGrow(2);
        grid.setEmptyStateText("No events match.");

        more.setId("audit-more");
        more.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        more.addClickListener(click -> load());

        add(new H2("Audit log"), filters, grid, more);
        reload();
    }

    private void reload() {
        shown.clear();
        load();
    }

    private void load() {
        Optional<ProjectId> chosen = Optional.ofNullable(project.getValue()).filter(p -> !p.equals(ANY_PROJECT)).map(ProjectId::new);
        Optional<Long> before = shown.isEmpty() ? Optional.empty() : Optional.of(shown.getLast().id());
        List<AuditLog.Event> page = audit.events(session.actor(), new AuditLog.Query(chosen,
                Optional.empty(), Optional.ofNullable(action.getValue()).filter(a -> !a.isEmpty()),
                Optional.ofNullable(actor.getValue()).filter(a -> !a.isBlank()), before, PAGE)).block();
        shown.addAll(page);
        grid.setItems(shown);
        more.setVisible(page.size() == PAGE);
    }
}
