package dev.netportal.ui.sharing;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.details.Details;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.splitlayout.SplitLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.netportal.common.DomainException;
import dev.netportal.common.InputLimits;
import dev.netportal.firewall.FirewallConfigs;
import dev.netportal.sharing.ShareEvents;
import dev.netportal.sharing.ShareRequest;
import dev.netportal.sharing.ShareService;
import dev.netportal.sharing.ShareStatus;
import dev.netportal.ui.FieldErrors;
import dev.netportal.ui.HomeView;
import dev.netportal.ui.Live;
import dev.netportal.ui.Notices;
import dev.netportal.ui.UserSession;
import dev.netportal.ui.firewall.ConfigDiff;
import jakarta.annotation.security.PermitAll;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Platform admins: pending share requests, oldest first; a request opens a review of what approving does, with
 * approve (optional comment) and reject (comment required). Nobody decides their own request (four eyes).
 */
@Route("admin/approvals")
@PageTitle("Approval queue · Netportal")
@PermitAll
public class ApprovalQueueView extends VerticalLayout implements BeforeEnterObserver {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    private final UserSession session;
    private final ShareService shares;
    private final Grid<ShareRequest> queue = new Grid<>(ShareRequest.class, false);
    private final Div review = new Div();

    ApprovalQueueView(UserSession session, ShareService shares, ShareEvents events) {
        this.session = session;
        this.shares = shares;
        setSizeFull();
        queue.setId("approval-queue");
        queue.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        queue.addThemeVariants(GridVariant.LUMO_WRAP_CELL_CONTENT);
        queue.addColumn(ShareRequest::networkName).setHeader("Network").setFlexGrow(2);
        queue.addColumn(ShareRequest::projectName).setHeader("Project").setFlexGrow(2);
        queue.addColumn(ShareRequest::partition).setHeader("Partition").setAutoWidth(true).setFlexGrow(0);
        queue.addColumn(r -> WHEN.format(r.createdAt())).setHeader("Filed").setAutoWidth(true).setFlexGrow(0);
        queue.setEmptyStateText("No share requests wait for a decision.");
        queue.asSingleSelect().addValueChangeListener(change -> show(change.getValue()));

        review.setId("review");
        review.addClassName("np-review");
        review.setHeightFull();
        SplitLayout split = new SplitLayout(queue, review);
        split.setSizeFull();
        split.setSplitterPosition(50);
        add(new H2("Approval queue"), split);
        Live.follow(this, events.changes(), this::refresh);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        if (!session.actor().admin()) {
            Notices.error("The approval queue is for platform admins.");
            event.forwardTo(HomeView.class);
            return;
        }
        refresh();
    }

    private void refresh() {
        Optional<ShareRequest> selected = queue.asSingleSelect().getOptionalValue();
        List<ShareRequest> pending = shares.list(session.actor(), Optional.of(ShareStatus.PENDING)).block();
        queue.setItems(pending);
        // keep the request under review selected while it is still pending
        selected.flatMap(s -> pending.stream().filter(p -> p.id().equals(s.id())).findFirst())
                .ifPresentOrElse(queue::select, () -> show(null));
    }

    private void show(ShareRequest request) {
        review.removeAll();
        if (request == null) {
            review.add(new Paragraph("Choose a request to review what approving it does."));
            return;
        }
        boolean own = session.actor().subject().equals(request.requestedBy());
        review.add(new H3("Share " + request.networkName() + "?"),
                fact("Network", request.networkName() + " (" + request.networkPrefixesText() + ")"),
                fact("Owner project", request.projectName() + " (" + request.project().value() + ")"),
                fact("Partition", request.partition() + ": only firewalls in this partition can attach it"),
                fact("NAT for consumers", ShareTexts.nat(request.natType())),
                fact("Requested by", request.requestedByName() + ", " + WHEN.format(request.createdAt())),
                fact("Reason", request.reason()),
                impact(request));
        TextArea comment = new TextArea("Comment");
        comment.setMaxLength(InputLimits.REASON);
        comment.setId("decision-comment");
        comment.setWidthFull();
        comment.setHelperText("Optional when approving; required when rejecting. The requester sees it.");
        Button approve = new Button("Approve", click -> decide(request, true, comment));
        approve.setId("approve");
        approve.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_SUCCESS);
        Button reject = new Button("Reject", click -> decide(request, false, comment));
        reject.setId("reject");
        reject.addThemeVariants(ButtonVariant.LUMO_ERROR);
        approve.setEnabled(!own);
        reject.setEnabled(!own);
        review.add(comment, new HorizontalLayout(approve, reject));
        if (own) {
            Span fourEyes = new Span("You filed this request, so another admin decides it (four eyes).");
            fourEyes.setId("four-eyes");
            review.add(fourEyes);
        }
    }

    /** Every firewall using the network, with the configuration change approving would cause (rendered, not stored). */
    private Component impact(ShareRequest request) {
        List<FirewallConfigs.Preview> previews = shares.impact(session.actor(), request.id()).block();
        Div impact = new Div();
        impact.setId("impact");
        long changing = previews.stream().filter(FirewallConfigs.Preview::changes).count();
        impact.add(fact("Firewalls whose configuration changes", previews.isEmpty()
                ? "none: no firewall uses " + request.networkName() + " yet. Approving turns it into a shared network for good."
                : changing + " of the " + previews.size() + " firewalls that use " + request.networkName()
                        + (changing == 0 ? " (their configuration reads the same once it is shared)" : "")));
        for (FirewallConfigs.Preview preview : previews) {
            VerticalLayout diff = new VerticalLayout(new H4("FRR"),
                    ConfigDiff.of(preview.now().frr(), preview.then().frr(), "now", "after approval"),
                    new H4("nftables"),
                    ConfigDiff.of(preview.now().nftables(), preview.then().nftables(), "now", "after approval"));
            diff.setPadding(false);
            Details details = new Details(preview.name() + " (" + preview.project() + "): "
                    + (preview.changes() ? "changes" : "no change"), diff);
            details.addClassName("np-impact");
            impact.add(details);
        }
        return impact;
    }

    private void decide(ShareRequest request, boolean approve, TextArea comment) {
        try {
            ShareRequest done = approve ? shares.approve(session.actor(), request.id(), comment.getValue()).block()
                    : shares.reject(session.actor(), request.id(), comment.getValue()).block();
            Notices.success((approve ? "Approved: " + done.networkName() + " is now a shared network."
                    : "Rejected the share request for " + done.networkName() + "."));
            queue.deselectAll();
            refresh();
        } catch (DomainException refused) {
            FieldErrors.show(refused, Map.of("comment", comment));
            if (refused.field().filter("comment"::equals).isEmpty()) {
                refresh();
            }
        }
    }

    private static Div fact(String label, String value) {
        Span name = new Span(label);
        name.addClassName("np-fact-label");
        Span text = new Span(value);
        Div fact = new Div(name, text);
        fact.addClassName("np-fact");
        return fact;
    }
}
