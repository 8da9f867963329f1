package dev.netportal.ui.sharing;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;
import dev.netportal.sharing.ShareEvents;
import dev.netportal.sharing.ShareRequest;
import dev.netportal.sharing.ShareService;
import dev.netportal.sharing.ShareStatus;
import dev.netportal.ui.Live;
import dev.netportal.ui.Notices;
import dev.netportal.ui.UserSession;
import dev.netportal.ui.audit.AuditText;
import dev.netportal.ui.network.NetworkDetailView;
import jakarta.annotation.security.PermitAll;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/** Share requests of the user's projects, newest first, with their status as it changes. */
@Route("share-requests")
@PageTitle("Share requests · Netportal")
@PermitAll
public class MyRequestsView extends VerticalLayout {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    private final UserSession session;
    private final ShareService shares;
    private final Grid<ShareRequest> grid = new Grid<>(ShareRequest.class, false);

    MyRequestsView(UserSession session, ShareService shares, ShareEvents events) {
        this.session = session;
        this.shares = shares;
        setSizeFull();
        grid.setId("my-requests");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_WRAP_CELL_CONTENT);
        grid.addComponentColumn(r -> new RouterLink(r.networkName(), NetworkDetailView.class,
                new RouteParameters("id", r.network().toString()))).setHeader("Network").setFlexGrow(2);
        grid.addColumn(r -> r.project().value()).setHeader("Project");
        grid.addColumn(ShareRequest::networkPrefixesText).setHeader("Prefixes");
        grid.addComponentColumn(r -> ShareTexts.status(r.status())).setHeader("Status").setAutoWidth(true);
        grid.addColumn(r -> WHEN.format(r.createdAt()) + " by " + r.requestedByName()).setHeader("Filed").setFlexGrow(2);
        grid.addColumn(MyRequestsView::decision).setHeader("Decision").setFlexGrow(3);
        grid.addComponentColumn(this::actions).setAutoWidth(true).setFlexGrow(0);
        grid.setEmptyStateText("No share requests in your projects. Owners request sharing on a network's page.");
        add(new H2("Share requests"), grid);
        refresh();
        Live.follow(this, events.changes(), this::refresh);
    }

    private static String decision(ShareRequest r) {
        return switch (r.status()) {
            case PENDING -> "waiting for an admin";
            case WITHDRAWN -> "withdrawn " + AuditText.WHEN.format(r.decidedAt());
            case APPROVED, REJECTED -> r.decidedByName() + ", " + WHEN.format(r.decidedAt())
                    + Optional.ofNullable(r.comment()).map(c -> ": " + c).orElse("");
        };
    }

    private com.vaadin.flow.component.Component actions(ShareRequest r) {
        if (r.status() != ShareStatus.PENDING || !session.actor().subject().equals(r.requestedBy())) {
            return new Span();
        }
        Button withdraw = new Button("Withdraw", click -> {
            shares.withdraw(session.actor(), r.id(), null).block();
            Notices.success("Share request for " + r.networkName() + " withdrawn.");
            refresh();
        });
        withdraw.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
        return withdraw;
    }

    private void refresh() {
        grid.setItems(shares.list(session.actor(), Optional.empty()).block().stream()
                .filter(r -> session.actor().roleIn(r.project()).isPresent()).toList());
    }
}
