package dev.netportal.ui;

import com.vaadin.flow.component.badge.Badge;
import com.vaadin.flow.component.badge.BadgeVariant;
import com.vaadin.flow.component.card.Card;
import com.vaadin.flow.component.card.CardVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.netportal.identity.Actor;
import dev.netportal.project.ProjectMembership;
import jakarta.annotation.security.PermitAll;
import java.util.List;

/** The start page: who you are and which projects you work in, with your role in each. */
@Route("")
@PageTitle("Overview · Netportal")
@PermitAll
public class HomeView extends VerticalLayout {

    HomeView(UserSession session) {
        Actor actor = session.actor();
        List<ProjectMembership> memberships = session.memberships();
        setPadding(true);

        add(new H2("Welcome, " + actor.name()));
        if (actor.admin()) {
            add(new Paragraph("You are a platform admin: you manage partitions, pools, quotas and external networks, "
                    + "and decide share requests."));
        }
        if (memberships.isEmpty()) {
            add(new Paragraph(actor.admin()
                    ? "You hold no role in a project."
                    : "You hold no role in any project yet. Ask your identity administrator for a group "
                            + "project:<project>:member (or owner, viewer)."));
            return;
        }
        add(new Paragraph("Your projects:"));
        Div cards = new Div();
        cards.addClassName("np-cards");
        cards.setId("projects");
        for (ProjectMembership membership : memberships) {
            cards.add(projectCard(membership, session.selectedProject().map(membership::equals).orElse(false)));
        }
        add(cards);
    }

    private static Card projectCard(ProjectMembership membership, boolean selected) {
        Card card = new Card();
        card.addThemeVariants(CardVariant.LUMO_OUTLINED);
        card.addClassName("np-project-card");
        card.setTitle(membership.name());
        Span id = new Span(membership.id().value());
        id.addClassName("np-mono");
        card.setSubtitle(id);
        Badge role = new Badge(membership.role().label());
        role.addThemeVariants(switch (membership.role()) {
            case OWNER -> BadgeVariant.SUCCESS;
            case MEMBER -> BadgeVariant.CONTRAST;
            case VIEWER -> BadgeVariant.SMALL;
        });
        card.setHeaderSuffix(role);
        card.add(new Span(switch (membership.role()) {
            case OWNER -> "You manage this project and may request sharing of its networks.";
            case MEMBER -> "You create and change this project's networks, IPs, machines and firewalls.";
            case VIEWER -> "You can see this project's objects.";
        }));
        if (selected) {
            card.addClassName("np-selected");
        }
        return card;
    }
}
