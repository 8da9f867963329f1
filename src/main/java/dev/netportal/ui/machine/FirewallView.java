package dev.netportal.ui.machine;

import com.vaadin.flow.component.badge.Badge;
import com.vaadin.flow.component.badge.BadgeVariant;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.details.Details;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.shared.Registration;
import dev.netportal.common.DomainException;
import dev.netportal.identity.ProjectRole;
import dev.netportal.machine.FirewallService;
import dev.netportal.machine.Machine;
import dev.netportal.network.NetworkService;
import dev.netportal.network.NetworkType;
import dev.netportal.sharing.ShareService;
import dev.netportal.sharing.SharedNetwork;
import dev.netportal.ui.Notices;
import dev.netportal.ui.UserSession;
import dev.netportal.ui.sharing.ShareTexts;
import jakarta.annotation.security.PermitAll;
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
    private record Candidate(UUID id, String label) {
    }
    private Machine firewall;
    private final VerticalLayout configuration = new VerticalLayout();

    FirewallView(UserSession session, FirewallService firewalls, ShareService shares, NetworkService networks) {
        this.networks = networks;
        this.session = session;
        // the agent's progress shows without a reload: the page asks every two seconds while it is open
        addAttachListener(attach -> {
            attach.getUI().setPollInterval(2000);
            Registration polling = attach.getUI().addPollListener(poll -> {
                if (firewall != null) {
                    showConfiguration();
                }
            });
            addDetachListener(detach -> {
                polling.remove();
                detach.getUI().setPollInterval(-1);
                detach.unregisterListener();
            });
        });
        this.firewalls = firewalls;
        this.shares = shares;
        setPadding(true);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        removeAll();
        String id = event.getRouteParameters().get("id").orElse("");
        try {
            firewall = firewalls.get(session.actor(), UUID.fromString(id)).block();
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
        HorizontalLayout header = new HorizontalLayout(title, new Span(firewall.partition() + " · " + firewall.size()));
        header.setWidthFull();
        header.setAlignItems(FlexComponent.Alignment.BASELINE);
        header.expand(title);
        if (canChange()) {
            Button free = new Button("Free firewall", VaadinIcon.TRASH.create(), click -> confirmFree());
            free.setId("free-firewall");
            free.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
            header.add(free);
        }

        grid.setId("firewall-networks");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_WRAP_CELL_CONTENT);
        grid.setAllRowsVisible(true);
        grid.addColumn(FirewallView::role).setHeader("Role").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(Machine.Attachment::name).setHeader("Network").setFlexGrow(2);
        grid.addColumn(a -> a.project() == null ? "platform" : a.project()).setHeader("Owner project");
        grid.addComponentColumn(a -> MachinesView.mono(a.ip())).setHeader("Firewall IP").setAutoWidth(true);
        grid.addColumn(a -> "CHILD".equals(a.type()) ? "" : "EXTERNAL".equals(a.type())
                ? ("IPV4_MASQUERADE".equals(a.natType()) ? "Masquerade towards it" : "No NAT")
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
        refresh();
    }

    private static String role(Machine.Attachment a) {
        if (a.primary()) {
            return "CHILD".equals(a.type()) ? "Primary (private)" : "Primary (own shared)";
        }
        return switch (a.type()) {
            case "CHILD_SHARED" -> "Shared attachment";
            case "EXTERNAL" -> "External";
            default -> a.type();
        };
    }

    private com.vaadin.flow.component.Component detachButton(Machine.Attachment a) {
        if (!"CHILD_SHARED".equals(a.type()) || a.primary()) {
            return new Span();
        }
        Button detach = new Button("Detach", click -> {
            firewall = firewalls.detach(session.actor(), firewall.id(), a.network()).block();
            Notices.success("Detached " + a.name() + "; the firewall's address " + a.ip() + " there is released.");
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
            firewall = firewalls.attach(session.actor(), firewall.id(), chosen.id(), Optional.empty()).block();
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
            firewalls.free(session.actor(), firewall.id()).block();
            Notices.success("Freed firewall " + firewall.name() + ".");
            getUI().ifPresent(ui -> ui.navigate(FirewallsView.class));
        });
        confirm.open();
    }

    /** The desired configuration's revision, the agent's state and the rendered FRR and nftables text. */
    private void showConfiguration() {
        configuration.removeAll();
        configuration.setPadding(false);
        firewalls.config(session.actor(), firewall.id()).blockOptional().ifPresentOrElse(config -> {
            Badge state = new Badge(switch (config.state()) {
                case "IN_SYNC" -> "in sync";
                case "FAILING" -> "failing";
                default -> "pending";
            });
            state.addThemeVariants(switch (config.state()) {
                case "IN_SYNC" -> BadgeVariant.SUCCESS;
                case "FAILING" -> BadgeVariant.ERROR;
                default -> BadgeVariant.WARNING;
            });
            state.setId("sync-state");
            Span revisions = new Span("Revision " + config.revision() + " desired, "
                    + (config.appliedRevision() == 0 ? "none applied yet" : "revision " + config.appliedRevision() + " applied")
                    + Optional.ofNullable(config.lastError()).map(e -> ". Last error: " + e).orElse("")
                    + " · hash " + config.hash().substring(0, 12));
            revisions.setId("config-revision");
            configuration.add(new HorizontalLayout(state, revisions),
                    text("FRR (routing: a VRF per network, imports between them)", config.frr(), "config-frr"),
                    text("nftables (filtering and NAT)", config.nftables(), "config-nftables"));
        }, () -> configuration.add(new Span("No configuration rendered yet.")));
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
        firewall = firewalls.get(session.actor(), firewall.id()).block();
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
