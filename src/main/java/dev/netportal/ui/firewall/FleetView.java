package dev.netportal.ui.firewall;

import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;
import dev.netportal.firewall.FirewallService;
import dev.netportal.firewall.FleetEntry;
import dev.netportal.firewall.SyncEvents;
import dev.netportal.firewall.SyncStatus;
import dev.netportal.ui.AdminOnly;
import dev.netportal.ui.Live;
import dev.netportal.ui.UserSession;
import dev.netportal.ui.audit.AuditText;
import jakarta.annotation.security.PermitAll;
import java.time.Duration;
import java.util.Map;

/** Platform admins: every firewall and whether its agent runs its configuration, updating live (D4). */
@Route("admin/firewalls")
@PageTitle("Firewall fleet · Admin · Netportal")
@PermitAll
public class FleetView extends VerticalLayout implements BeforeEnterObserver {

    private final UserSession session;
    private final FirewallService firewalls;
    private final Grid<FleetEntry> grid = new Grid<>(FleetEntry.class, false);
    private final Checkbox notInSync = new Checkbox("Only firewalls not in sync");
    private final Span summary = new Span();

    FleetView(UserSession session, FirewallService firewalls, SyncEvents syncEvents) {
        this.session = session;
        this.firewalls = firewalls;
        setSizeFull();
        // many firewalls may change at once (an approval re-renders all that use a network): one refresh per burst
        Live.follow(this, syncEvents.changes().sample(Duration.ofMillis(300)), this::refresh);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        if (!AdminOnly.check(event, session) || !getChildren().toList().isEmpty()) {
            return;
        }
        notInSync.setId("fleet-not-in-sync");
        notInSync.addValueChangeListener(change -> refresh());
        summary.setId("fleet-summary");
        HorizontalLayout tools = new HorizontalLayout(notInSync, summary);
        tools.setAlignItems(FlexComponent.Alignment.BASELINE);

        grid.setId("fleet");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_WRAP_CELL_CONTENT);
        grid.addComponentColumn(entry -> SyncBadge.of(entry.state())).setHeader("Sync").setWidth("7.5rem").setFlexGrow(0);
        grid.addComponentColumn(entry -> new RouterLink(entry.name(), FirewallView.class,
                new RouteParameters("id", entry.firewall().toString()))).setHeader("Firewall").setAutoWidth(true);
        grid.addColumn(FleetEntry::project).setHeader("Project").setAutoWidth(true);
        grid.addColumn(FleetEntry::partition).setHeader("Partition").setAutoWidth(true);
        grid.addColumn(entry -> entry.appliedRevision() + " / " + entry.desiredRevision()).setHeader("Applied / desired")
                .setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(entry -> entry.agentSeenAt() == null
                ? (entry.state() == SyncStatus.IN_SYNC ? "built-in record agent" : "no agent of its own yet")
                : (entry.agentConnected() ? "connected" : "not connected") + " (last heard " + AuditText.WHEN.format(entry.agentSeenAt()) + ")")
                .setHeader("Agent").setFlexGrow(2);
        // the agent's own words (validator output) are for the firewall's project: the fleet shows the kind
        grid.addColumn(entry -> entry.failure() == null || entry.state() == SyncStatus.IN_SYNC ? "" : failure(entry.failure())
                + (entry.nextRetryAt() != null ? " · next attempt " + AuditText.WHEN.format(entry.nextRetryAt()) : ""))
                .setHeader("Last failure").setFlexGrow(3);
        add(new H2("Firewall fleet"), tools, grid);
        refresh();
    }

    private static String failure(String kind) {
        return switch (kind) {
            case "REJECTED" -> "rejected by the firewall's validators";
            case "REFUSED" -> "refused by the agent's checks (signature, firewall, allocation, expiry)";
            case "UNREACHABLE" -> "no answer from the agent";
            case "NO_AGENT" -> "waiting for the firewall's agent to connect";
            default -> kind;
        };
    }

    private void refresh() {
        if (getChildren().toList().isEmpty()) {
            return;
        }
        Map<SyncStatus, Long> counts = firewalls.fleetCounts(session.actor()).block();
        long inSync = counts.getOrDefault(SyncStatus.IN_SYNC, 0L);
        long pending = counts.getOrDefault(SyncStatus.PENDING, 0L);
        long failing = counts.getOrDefault(SyncStatus.FAILING, 0L);
        long all = inSync + pending + failing;
        summary.setText(all + (all == 1 ? " firewall: " : " firewalls: ") + inSync + " in sync, " + pending + " pending, "
                + failing + " failing");
        boolean onlyNotInSync = notInSync.getValue();
        long shown = onlyNotInSync ? pending + failing : all;
        // the grid asks for the rows it shows, a page at a time: a fleet may hold thousands of firewalls
        grid.setItems(query -> firewalls.fleet(session.actor(), onlyNotInSync, query.getOffset(), query.getLimit())
                .block().items().stream(), query -> (int) Math.min(shown, Integer.MAX_VALUE));
    }
}
