package dev.netportal.ui.network;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import dev.netportal.audit.AuditLog;
import dev.netportal.common.DomainException;
import dev.netportal.identity.ProjectRole;
import dev.netportal.network.IpAddress;
import dev.netportal.network.IpKind;
import dev.netportal.network.IpService;
import dev.netportal.network.Network;
import dev.netportal.network.NetworkId;
import dev.netportal.network.NetworkService;
import dev.netportal.network.NetworkType;
import dev.netportal.partition.PartitionService;
import dev.netportal.sharing.ShareEvents;
import dev.netportal.sharing.ShareRequest;
import dev.netportal.sharing.ShareService;
import dev.netportal.sharing.ShareStatus;
import dev.netportal.ui.Live;
import dev.netportal.ui.Notices;
import dev.netportal.ui.UserSession;
import dev.netportal.ui.Widgets;
import dev.netportal.ui.audit.AuditText;
import dev.netportal.ui.sharing.RequestSharingDialog;
import dev.netportal.ui.sharing.ShareTexts;
import dev.netportal.ui.sharing.SharedNetworksView;
import jakarta.annotation.security.PermitAll;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * One network: its facts and usage, its IP addresses (reserve and release for members) and its audit trail.
 * Another project's network, or one that does not exist, shows as "not found".
 */
@Route("networks/:id")
@PageTitle("Network · Netportal")
@PermitAll
public class NetworkDetailView extends VerticalLayout implements BeforeEnterObserver {

    private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);
    private static final int TRAIL = 100;
    /** Up to this many IPs the grid shows them all; beyond, it scrolls. */
    private static final int FEW = 12;

    private final UserSession session;
    private final NetworkService networks;
    private final IpService ips;
    private final AuditLog audit;

    private final Grid<IpAddress> ipGrid = new Grid<>(IpAddress.class, false);
    private final Grid<AuditLog.Event> trail = new Grid<>(AuditLog.Event.class, false);
    private final Div usage = new Div();
    private final Div sharing = new Div();
    private final Div typeBadge = new Div();
    /** Whether the page shows the network to its project (usage, addresses, history) or to a consumer. */
    private boolean ownersView;
    private Button delete;
    private Network network;

    private final ShareService shares;

    private final PartitionService partitions;

    NetworkDetailView(UserSession session, NetworkService networks, IpService ips, AuditLog audit, ShareService shares,
            ShareEvents shareEvents, PartitionService partitions) {
        this.partitions = partitions;
        this.session = session;
        this.networks = networks;
        this.ips = ips;
        this.audit = audit;
        this.shares = shares;
        setPadding(true);
        // a decision on this network's share request, taken elsewhere, shows here at once
        Live.follow(this, shareEvents.changes(), () -> {
            if (network != null && ownersView) {
                refresh();
            }
        });
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        removeAll();
        network = null;
        String id = event.getRouteParameters().get("id").orElse("");
        try {
            network = networks.read(session.actor(), new NetworkId(UUID.fromString(id))).block();
        } catch (IllegalArgumentException | DomainException notVisible) {
            showNotFound(id);
            return;
        }
        ownersView = session.actor().has(ProjectRole.VIEWER, network.project());
        if (ownersView) {
            build();
        } else {
            buildForConsumers();
        }
    }

    /**
     * Another project's shared network (V1: readable by everyone): what the catalogue shows, and where to attach
     * it; its addresses, usage and history are its owner's.
     */
    private void buildForConsumers() {
        H2 title = new H2(network.name());
        title.setId("network-title");
        typeBadge.add(NetworksView.typeBadge(network));
        Div facts = new Div(
                fact("Owner project", network.project().value()),
                fact("Partition", network.partition().value()),
                fact("Prefixes", network.prefixesText()),
                fact("NAT for consumers", ShareTexts.nat(network.natType())));
        facts.addClassName("np-facts");
        Paragraph attach = new Paragraph("A shared network of another project: attach it to a firewall of yours in "
                + network.partition() + " on the firewall's page. Its addresses, usage and history are its owner's.");
        attach.setId("consumer-note");
        add(new RouterLink("← Shared networks", SharedNetworksView.class), Widgets.header(title, typeBadge), facts, attach);
    }

    private void showNotFound(String id) {
        Paragraph text = new Paragraph("Network " + id + " was not found, or it belongs to a project you hold no role in.");
        text.setId("not-found");
        add(new H2("Network not found"), text, new RouterLink("Back to networks", NetworksView.class));
    }

    private boolean canChange() {
        return session.actor().has(ProjectRole.MEMBER, network.project());
    }

    private void build() {
        H2 title = new H2(network.name());
        title.setId("network-title");
        HorizontalLayout header = Widgets.header(title, typeBadge);
        if (canChange()) {
            delete = new Button("Delete network", VaadinIcon.TRASH.create(), click -> confirmDelete());
            delete.setId("delete-network");
            delete.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
            header.add(delete);
        }

        Div facts = new Div(
                fact("Project", network.project().value()),
                fact("Partition", network.partition().value()),
                fact("Prefixes", network.prefixes().stream().map(Object::toString).collect(java.util.stream.Collectors.joining(", "))),
                fact("VRF", String.valueOf(network.vrf())),
                fact("Created", CREATED.format(network.createdAt())),
                fact("Labels", network.labels().isEmpty() ? "none" : network.labels().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "))));
        facts.addClassName("np-facts");
        usage.setId("network-usage");
        usage.addClassName("np-usage-large");

        Button reserve = new Button("Reserve IP", VaadinIcon.PLUS.create(),
                click -> new ReserveIpDialog(session.actor(), network, ips, this::refresh).open());
        reserve.setId("reserve-ip");
        reserve.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        reserve.setVisible(canChange());
        HorizontalLayout ipHeader = new HorizontalLayout(new H3("IP addresses"), reserve);
        ipHeader.setWidthFull();
        ipHeader.setAlignItems(FlexComponent.Alignment.BASELINE);
        ipHeader.expand(ipHeader.getComponentAt(0));

        configureIpGrid();
        configureTrail();
        sharing.setId("sharing");
        sharing.addClassName("np-share-box");
        add(new RouterLink("← Networks", NetworksView.class), header, facts, usage, sharing, ipHeader, ipGrid,
                new H3("Audit trail"), trail);
        refresh();
    }

    private static Div fact(String label, String value) {
        Span name = new Span(label);
        name.addClassName("np-fact-label");
        Span text = new Span(value);
        text.addClassName("np-mono");
        Div fact = new Div(name, text);
        fact.addClassName("np-fact");
        return fact;
    }

    private void configureIpGrid() {
        ipGrid.setId("ips");
        ipGrid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
        ipGrid.setPageSize(100);
        ipGrid.addComponentColumn(ip -> Widgets.mono(ip.ip().toString())).setHeader("Address").setAutoWidth(true);
        ipGrid.addColumn(IpAddress::name).setHeader("Name").setSortable(true);
        ipGrid.addColumn(ip -> ip.kind().name().toLowerCase(Locale.ROOT)).setHeader("Kind").setAutoWidth(true);
        ipGrid.addColumn(IpAddress::description).setHeader("Description").setFlexGrow(2);
        ipGrid.addColumn(ip -> CREATED.format(ip.createdAt())).setHeader("Reserved").setAutoWidth(true);
        if (canChange()) {
            ipGrid.addComponentColumn(this::releaseButton).setHeader("").setAutoWidth(true).setFlexGrow(0);
        }
        ipGrid.setEmptyStateText("No IP addresses reserved yet.");
    }

    private Button releaseButton(IpAddress ip) {
        Button release = new Button("Release", click -> confirmRelease(ip));
        release.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_SMALL);
        release.addClassName("np-release");
        // machine and firewall addresses go with their owner, not by hand
        release.setEnabled(ip.kind() == IpKind.STATIC);
        return release;
    }

    private void configureTrail() {
        trail.setId("audit-trail");
        trail.addThemeVariants(GridVariant.LUMO_COMPACT);
        trail.setAllRowsVisible(true);
        trail.addColumn(AuditText::when).setHeader("When").setAutoWidth(true).setFlexGrow(0);
        trail.addColumn(AuditLog.Event::actorName).setHeader("Who").setAutoWidth(true).setFlexGrow(0);
        trail.addColumn(AuditLog.Event::action).setHeader("Action").setAutoWidth(true).setFlexGrow(0);
        trail.addColumn(AuditText::details).setHeader("Details").setFlexGrow(1);
        trail.setEmptyStateText("No recorded changes.");
    }

    private void confirmRelease(IpAddress ip) {
        ConfirmDialog confirm = new ConfirmDialog();
        confirm.setHeader("Release " + ip.ip() + "?");
        confirm.setText("The address goes back to network " + network.name() + " and may be handed to someone else. "
                + "Anything still using it loses it.");
        confirm.setCancelable(true);
        confirm.setConfirmText("Release");
        confirm.setConfirmButtonTheme("error primary");
        confirm.addConfirmListener(event -> {
            ips.release(session.actor(), network.id(), ip.ip().toString()).block();
            Notices.success("Released " + ip.ip() + ".");
            refresh();
        });
        confirm.open();
    }

    private void confirmDelete() {
        ConfirmDialog confirm = new ConfirmDialog();
        confirm.setHeader("Delete network " + network.name() + "?");
        confirm.setText("Its prefixes " + network.prefixesText() + " and VRF " + network.vrf() + " are freed. This cannot be "
                + "undone. A network with reserved IPs is not deleted: release them first.");
        confirm.setCancelable(true);
        confirm.setConfirmText("Delete");
        confirm.setConfirmButtonTheme("error primary");
        confirm.addConfirmListener(event -> {
            networks.delete(session.actor(), network.id()).block();
            Notices.success("Deleted network " + network.name() + ".");
            getUI().ifPresent(ui -> ui.navigate(NetworksView.class));
        });
        confirm.open();
    }

    void refresh() {
        network = networks.get(session.actor(), network.id()).block();
        typeBadge.removeAll();
        typeBadge.add(NetworksView.typeBadge(network));
        if (delete != null) {
            // private and shared networks alike; the service refuses one still in use (N3)
            delete.setVisible(network.type() == NetworkType.CHILD || network.type() == NetworkType.CHILD_SHARED);
        }
        showSharing();
        // the grid asks for the rows it shows, a page at a time: a /16 may hold 65,000 addresses
        ipGrid.setItems(query -> ips.list(session.actor(), network.id(), query.getOffset(), query.getLimit()).block()
                .items().stream(), query -> ips.count(session.actor(), network.id()).block().intValue());
        boolean few = ips.count(session.actor(), network.id()).block() <= FEW;
        ipGrid.setAllRowsVisible(few);
        ipGrid.setHeight(few ? null : "32rem");
        usage.removeAll();
        ProgressBar bar = new ProgressBar(0, Math.max(1, network.total()), network.allocated());
        bar.addClassName("np-usage-bar");
        Span label = new Span(network.allocated() + " of " + network.total() + " usable addresses in "
                + network.prefix() + " reserved" + ipv6Usage(network));
        label.setId("usage-label");
        label.addClassName("np-usage-label");
        usage.add(bar, label);
        trail.setItems(audit.events(session.actor(), AuditLog.Query.latest(TRAIL)
                .ofProject(network.project()).ofObject(network.id().toString())).block());
    }

    /** Whether the network is shared, or where its latest share request stands, and what the user can do next. */
    private void showSharing() {
        sharing.removeAll();
        List<ShareRequest> requests = shares.ofNetwork(session.actor(), network.id()).block();
        Optional<ShareRequest> latest = requests.stream().findFirst();
        Span text = new Span();
        text.setId("share-state");
        if (network.type() == NetworkType.CHILD_SHARED) {
            text.setText("Shared network: projects in " + network.partition() + " can attach it. "
                    + ShareTexts.nat(network.natType()) + "."
                    + latest.filter(r -> r.status() == ShareStatus.APPROVED)
                            .map(r -> " Approved by " + r.decidedByName() + " on " + CREATED.format(r.decidedAt()) + ".")
                            .orElse("")
                    + partitions.get(network.partition()).block().proxy()
                            .map(p -> " Machines here without a firewall of their project reach the internet only through "
                                    + "proxy " + p.host() + ":" + p.port() + " (M4).")
                            .orElse(""));
            sharing.add(ShareTexts.status(ShareStatus.APPROVED), text);
            return;
        }
        if (latest.isPresent() && latest.get().status() == ShareStatus.PENDING) {
            ShareRequest pending = latest.get();
            text.setText("Share request by " + pending.requestedByName() + " since " + CREATED.format(pending.createdAt())
                    + " waits for an admin. " + ShareTexts.nat(pending.natType()) + ".");
            sharing.add(ShareTexts.status(ShareStatus.PENDING), text);
            if (session.actor().subject().equals(pending.requestedBy())) {
                Button withdraw = new Button("Withdraw", click -> {
                    shares.withdraw(session.actor(), pending.id(), null).block();
                    Notices.success("Share request for " + network.name() + " withdrawn.");
                    refresh();
                });
                withdraw.setId("withdraw-share-request");
                withdraw.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
                sharing.add(withdraw);
            }
            return;
        }
        latest.ifPresent(last -> sharing.add(ShareTexts.status(last.status())));
        text.setText(latest.map(last -> last.status() == ShareStatus.REJECTED
                        ? "The last share request was rejected by " + last.decidedByName() + ": " + last.comment()
                        : "The last share request was withdrawn.")
                .orElse("Private network: only this project uses it."));
        sharing.add(text);
        if (session.actor().has(ProjectRole.OWNER, network.project())) {
            Button request = new Button("Request sharing", VaadinIcon.CONNECT.create(),
                    click -> new RequestSharingDialog(session.actor(), network, shares, this::refresh).open());
            request.setId("request-sharing");
            request.addThemeVariants(ButtonVariant.LUMO_SMALL);
            sharing.add(request);
        } else {
            Span who = new Span("Project owners can request sharing.");
            who.addClassName("np-usage-label");
            sharing.add(who);
        }
    }

    /** The IPv6 prefix's usage after the IPv4 one: its total only where it can run out (a long prefix). */
    private static String ipv6Usage(Network network) {
        return network.prefixes().stream().filter(p -> p.family() == dev.netportal.ipam.Family.IPV6).findFirst()
                .map(v6 -> "; " + network.allocatedV6() + (network.totalV6().bitLength() <= 20 ? " of " + network.totalV6() : "")
                        + " in " + v6).orElse("");
    }
}
