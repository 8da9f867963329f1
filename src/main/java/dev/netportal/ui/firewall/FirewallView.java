package dev.netportal.ui.firewall;

import com.vaadin.flow.component.badge.Badge;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.details.Details;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.tabs.TabSheet;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import dev.netportal.common.DomainException;
import dev.netportal.common.NatType;
import dev.netportal.firewall.FirewallConfig;
import dev.netportal.firewall.FirewallId;
import dev.netportal.firewall.FirewallService;
import dev.netportal.firewall.Revision;
import dev.netportal.firewall.SyncEvents;
import dev.netportal.firewall.SyncStatus;
import dev.netportal.identity.ProjectRole;
import dev.netportal.machine.Machine;
import dev.netportal.network.NetworkId;
import dev.netportal.network.NetworkService;
import dev.netportal.network.NetworkType;
import dev.netportal.sharing.ShareService;
import dev.netportal.sharing.SharedNetwork;
import dev.netportal.ui.Live;
import dev.netportal.ui.Notices;
import dev.netportal.ui.UserSession;
import dev.netportal.ui.Widgets;
import dev.netportal.ui.audit.AuditText;
import dev.netportal.ui.sharing.ShareTexts;
import jakarta.annotation.security.PermitAll;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** One firewall: its networks by role with its IP in each; attach and detach shared networks; free it. */
@Route("firewalls/:id")
@PageTitle("Firewall · Netportal")
@PermitAll
public class FirewallView extends VerticalLayout implements BeforeEnterObserver {

    private final UserSession session;
    private final FirewallService firewalls;
    private final ShareService shares;
    private final Grid<Machine.Attachment> grid = new Grid<>(Machine.Attachment.class, false);
    private final Select<Candidate> attachable = new Select<>();
    private final NetworkService networks;

    /** A network one could try to attach: a shared one of the catalogue, or one of the project's private ones. */
    private record Candidate(NetworkId id, String label) {
    }
    private Machine firewall;
    private final VerticalLayout configuration = new VerticalLayout();
    // built anew for each firewall shown: Vaadin keeps this view when one firewall's page links to another's
    private HorizontalLayout syncRow;
    private TabSheet tabs;
    private Div desired;
    private Div unapplied;
    private Grid<Revision> history;
    private Div revisionDiff;
    /** Up to this many revisions the history grid shows them all; beyond, it scrolls. */
    private static final int FEW_REVISIONS = 8;

    FirewallView(UserSession session, FirewallService firewalls, ShareService shares, NetworkService networks,
            SyncEvents syncEvents) {
        this.networks = networks;
        this.session = session;
        this.firewalls = firewalls;
        this.shares = shares;
        // the agent's progress shows as it happens: every sync change of this firewall, in any instance, refreshes it
        Live.follow(this, syncEvents.changes().filter(changed -> firewall != null && changed.equals(FirewallId.of(firewall))),
                this::showConfiguration);
        setPadding(true);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        removeAll();
        String id = event.getRouteParameters().get("id").orElse("");
        try {
            firewall = firewalls.get(session.actor(), new FirewallId(UUID.fromString(id))).block();
        } catch (IllegalArgumentException | DomainException notVisible) {
            Paragraph text = new Paragraph("Firewall " + id + " was not found, or it belongs to a project you hold no role in.");
            text.setId("not-found");
            add(new H2("Firewall not found"), text, new RouterLink("Back to firewalls", FirewallsView.class));
            return;
        }
        build();
    }

    private boolean canChange() {
        return session.actor().has(ProjectRole.MEMBER, firewall.project());
    }

    private void build() {
        H2 title = new H2(firewall.name());
        title.setId("firewall-title");
        Span asn = new Span(firewall.asn().map(number -> "AS " + number).orElse(""));
        asn.setId("firewall-asn");
        asn.setTitle("The private AS number this firewall runs BGP in towards the fabric, its own while it is allocated");
        HorizontalLayout header = Widgets.header(title, new Span(firewall.partition() + " · " + firewall.size()), asn);
        if (canChange()) {
            Button free = new Button("Free firewall", VaadinIcon.TRASH.create(), click -> confirmFree());
            free.setId("free-firewall");
            free.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
            header.add(free);
        }

        grid.removeAllColumns();
        grid.setId("firewall-networks");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_WRAP_CELL_CONTENT);
        grid.setAllRowsVisible(true);
        grid.addColumn(FirewallView::role).setHeader("Role").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(Machine.Attachment::name).setHeader("Network").setFlexGrow(2);
        grid.addColumn(a -> a.project() == null ? "platform" : a.project()).setHeader("Owner project");
        grid.addComponentColumn(a -> Widgets.mono(a.addresses())).setHeader("Firewall IP").setAutoWidth(true);
        grid.addColumn(a -> a.type() == NetworkType.CHILD ? "" : a.type() == NetworkType.EXTERNAL
                ? (a.natType() == NatType.IPV4_MASQUERADE ? "Masquerade towards it" : "No NAT")
                : ShareTexts.nat(a.natType())).setHeader("NAT").setFlexGrow(3);
        if (canChange()) {
            grid.addComponentColumn(this::detachButton).setAutoWidth(true).setFlexGrow(0);
        }

        attachable.setId("attach-network");
        attachable.setLabel("Shared network of " + firewall.partition());
        attachable.setItemLabelGenerator(Candidate::label);
        attachable.setHelperText("Shared networks of the partition. A firewall has one private network at most (F3).");
        attachable.setWidth("28rem");
        Button attach = new Button("Attach", VaadinIcon.CONNECT.create(), click -> attach());
        attach.setId("attach");
        HorizontalLayout attachRow = new HorizontalLayout(attachable, attach);
        attachRow.setAlignItems(FlexComponent.Alignment.BASELINE);
        attachRow.setVisible(canChange());

        configuration.setId("configuration");
        configuration.setWidthFull();
        add(new RouterLink("← Firewalls", FirewallsView.class), header, new H3("Networks"), grid, attachRow,
                new H3("Configuration"), configuration);
        buildConfiguration();
        refresh();
    }

    private static String role(Machine.Attachment a) {
        if (a.primary()) {
            return a.type() == NetworkType.CHILD ? "Primary (private)" : "Primary (own shared)";
        }
        return switch (a.type()) {
            case CHILD_SHARED -> "Shared attachment";
            case EXTERNAL -> "External";
            default -> a.type().name();
        };
    }

    private com.vaadin.flow.component.Component detachButton(Machine.Attachment a) {
        if (a.type() != NetworkType.CHILD_SHARED || a.primary()) {
            return new Span();
        }
        Button detach = new Button("Detach", click -> {
            firewall = firewalls.detach(session.actor(), FirewallId.of(firewall), a.network()).block();
            Notices.success("Detached " + a.name() + "; the firewall's addresses there (" + a.addresses() + ") are released.");
            refresh();
        });
        detach.addClassName("np-detach");
        detach.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_SMALL);
        return detach;
    }

    private void attach() {
        attachable.setInvalid(false);
        Candidate chosen = attachable.getValue();
        if (chosen == null) {
            attachable.setErrorMessage("Choose a shared network to attach.");
            attachable.setInvalid(true);
            return;
        }
        try {
            firewall = firewalls.attach(session.actor(), FirewallId.of(firewall), chosen.id(), List.of()).block();
            Notices.success("Attached " + chosen.label() + ".");
            refresh();
        } catch (DomainException refused) {
            attachable.setErrorMessage(refused.getMessage());
            attachable.setInvalid(true);
        }
    }

    private void confirmFree() {
        ConfirmDialog confirm = new ConfirmDialog();
        confirm.setHeader("Free firewall " + firewall.name() + "?");
        confirm.setText("Its addresses in all " + firewall.networks().size() + " networks are released and the machine goes "
                + "back to partition " + firewall.partition() + ". Machines behind it lose their way out.");
        confirm.setCancelable(true);
        confirm.setConfirmText("Free");
        confirm.setConfirmButtonTheme("error primary");
        confirm.addConfirmListener(event -> {
            firewalls.free(session.actor(), FirewallId.of(firewall)).block();
            Notices.success("Freed firewall " + firewall.name() + ".");
            getUI().ifPresent(ui -> ui.navigate(FirewallsView.class));
        });
        confirm.open();
    }

    /** The sync state, and tabs with the desired text, what the agent does not run yet, and the history. */
    private void buildConfiguration() {
        syncRow = new HorizontalLayout();
        tabs = new TabSheet();
        desired = new Div();
        unapplied = new Div();
        history = new Grid<>(Revision.class, false);
        revisionDiff = new Div();
        configuration.removeAll();
        configuration.setPadding(false);
        syncRow.setAlignItems(FlexComponent.Alignment.BASELINE);
        syncRow.setWidthFull();
        desired.setWidthFull();
        unapplied.setWidthFull();
        unapplied.setId("config-unapplied");
        history.setId("config-history");
        history.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
        history.addColumn(Revision::revision).setHeader("Revision").setAutoWidth(true).setFlexGrow(0);
        history.addColumn(r -> AuditText.WHEN.format(r.createdAt())).setHeader("When").setAutoWidth(true).setFlexGrow(0);
        history.addColumn(r -> Optional.ofNullable(r.cause()).orElse("(not recorded)")).setHeader("Cause").setFlexGrow(3);
        history.addColumn(r -> Optional.ofNullable(r.actorName()).orElse("")).setHeader("By").setAutoWidth(true);
        history.addSelectionListener(selected -> showRevision(selected.getFirstSelectedItem().orElse(null)));
        revisionDiff.setWidthFull();
        revisionDiff.setId("config-revision-diff");
        VerticalLayout historyTab = new VerticalLayout(new Span("Choose a revision to see what it changed."), history, revisionDiff);
        historyTab.setPadding(false);
        tabs.setWidthFull();
        tabs.setId("config-tabs");
        tabs.add("Desired configuration", desired);
        tabs.add("Not yet applied", unapplied);
        tabs.add("History", historyTab);
        configuration.add(syncRow, tabs);
        showConfiguration();
    }

    /** Refreshes the state and the tabs' content in place (the chosen tab and revision stay). */
    private void showConfiguration() {
        if (firewall == null || syncRow == null) {
            return;
        }
        syncRow.removeAll();
        desired.removeAll();
        unapplied.removeAll();
        FirewallConfig config;
        try {
            config = firewalls.config(session.actor(), FirewallId.of(firewall)).block();
        } catch (DomainException gone) {
            // freed (or out of reach) while the page was open
            syncRow.add(new Span("Firewall " + firewall.name() + " was freed or is no longer visible to you."));
            tabs.setVisible(false);
            return;
        }
        if (config == null) {
            syncRow.add(new Span("No configuration rendered yet."));
            tabs.setVisible(false);
            return;
        }
        tabs.setVisible(true);
        Badge state = SyncBadge.of(config.state());
        state.setId("sync-state");
        Span revisions = new Span("Revision " + config.revision() + " desired, "
                + (config.appliedRevision() == 0 ? "none applied yet" : "revision " + config.appliedRevision() + " applied")
                + " · " + agent(config) + " · hash " + config.hash().substring(0, 12));
        revisions.setId("config-revision");
        syncRow.add(state, revisions);
        if (config.lastError() != null) {
            Span error = new Span((config.state() == SyncStatus.FAILING ? "Last error: " : "Note: ") + config.lastError()
                    + (config.nextRetryAt() != null && config.state() != SyncStatus.IN_SYNC
                            ? " · next attempt " + AuditText.WHEN.format(config.nextRetryAt()) : ""));
            error.setId("sync-error");
            error.addClassName(config.state() == SyncStatus.FAILING ? "np-error-text" : "np-muted");
            syncRow.add(error);
        }
        if (config.agentRefusal() != null) {
            // what someone on the way tried stays visible after the firewall is back in sync, as history then
            boolean past = config.state() == SyncStatus.IN_SYNC;
            Span refusal = new Span((past ? "Earlier, on " : "On ") + AuditText.WHEN.format(config.agentRefusedAt())
                    + ", the agent refused a revision without applying anything: " + config.agentRefusal());
            refusal.setId("agent-refusal");
            refusal.addClassName(past ? "np-muted" : "np-error-text");
            syncRow.add(refusal);
        }
        desired.add(text("FRR (routing: a VRF per network, imports between them, sessions with the fabric)", config.frr(), "config-frr"),
                text("nftables (filtering and NAT)", config.nftables(), "config-nftables"));
        if (config.appliedRevision() == config.revision()) {
            unapplied.add(new Span("The agent runs the desired revision " + config.revision() + ": nothing waits."));
        } else if (config.appliedRevision() == 0) {
            unapplied.add(new Span("The agent runs no revision yet: it gets the whole desired configuration."));
        } else {
            Revision applied = firewalls.revision(session.actor(), FirewallId.of(firewall), config.appliedRevision())
                    .onErrorComplete(DomainException.class).block();
            if (applied == null) {
                unapplied.add(new Span("The agent runs revision " + config.appliedRevision()
                        + ", from before this firewall: it gets the whole desired configuration."));
            } else {
                String from = "revision " + applied.revision() + " (applied)";
                String to = "revision " + config.revision() + " (desired)";
                unapplied.add(new H4("FRR"), ConfigDiff.of(applied.frr(), config.frr(), from, to),
                        new H4("nftables"), ConfigDiff.of(applied.nftables(), config.nftables(), from, to));
            }
        }
        Revision chosen = history.getSelectedItems().stream().findFirst().orElse(null);
        // the grid asks for the rows it shows, a page at a time: a long-lived firewall gathers many revisions
        long revisionCount = firewalls.history(session.actor(), FirewallId.of(firewall), 0, 1).block().total();
        history.setAllRowsVisible(revisionCount <= FEW_REVISIONS);
        history.setHeight(revisionCount <= FEW_REVISIONS ? null : "20rem");
        history.setItems(query -> firewalls.history(session.actor(), FirewallId.of(firewall), query.getOffset(), query.getLimit())
                .block().items().stream(), query -> (int) revisionCount);
        if (chosen != null) {
            history.select(chosen);
        }
    }

    /** What a revision changed against the one before it. */
    private void showRevision(Revision revision) {
        revisionDiff.removeAll();
        if (revision == null) {
            return;
        }
        Revision before = revision.revision() <= 1 ? null
                : firewalls.revision(session.actor(), FirewallId.of(firewall), revision.revision() - 1).onErrorComplete().block();
        String from = before == null ? "(nothing)" : "revision " + before.revision();
        String to = "revision " + revision.revision();
        revisionDiff.add(new H4("Revision " + revision.revision() + ": " + Optional.ofNullable(revision.cause()).orElse("")),
                new H4("FRR"), ConfigDiff.of(before == null ? "" : before.frr(), revision.frr(), from, to),
                new H4("nftables"), ConfigDiff.of(before == null ? "" : before.nftables(), revision.nftables(), from, to));
    }

    /** Who receives the configuration: the firewall's own agent, or the portal's built-in one. */
    private static String agent(FirewallConfig config) {
        return config.agentSeenAt() == null ? "built-in record agent (no agent of its own has connected)"
                : (config.agentConnected() ? "its own agent, connected" : "its own agent, not connected")
                        + " (last heard " + AuditText.WHEN.format(config.agentSeenAt()) + ")";
    }

    private static Details text(String title, String body, String id) {
        Pre pre = new Pre(body);
        pre.addClassName("np-config");
        Details details = new Details(title, pre);
        details.setId(id);
        details.setWidthFull();
        return details;
    }

    private void refresh() {
        firewall = firewalls.get(session.actor(), FirewallId.of(firewall)).block();
        showConfiguration();
        grid.setItems(firewall.networks());
        java.util.List<Candidate> candidates = new java.util.ArrayList<>();
        for (SharedNetwork s : shares.catalogue(firewall.partition()).block()) {
            if (firewall.networks().stream().noneMatch(a -> a.network().equals(s.id()))) {
                candidates.add(new Candidate(s.id(), s.name() + " of " + s.projectName() + " (" + String.join(", ", s.prefixes()) + ")"));
            }
        }
        networks.list(session.actor(), firewall.project()).block().stream()
                .filter(n -> n.type() == NetworkType.CHILD && n.partition().equals(firewall.partition()))
                .filter(n -> firewall.networks().stream().noneMatch(a -> a.network().equals(n.id())))
                .forEach(n -> candidates.add(new Candidate(n.id(), n.name() + " (private network of your project)")));
        attachable.setItems(candidates);
    }
}
