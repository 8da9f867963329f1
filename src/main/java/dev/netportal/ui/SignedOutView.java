package dev.netportal.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AnonymousAllowed;

/**
 * Where sign-out lands, so that signing out does not bounce straight back to the sign-in page; also where a tab
 * goes when the person's session at the provider has ended ({@code ?ended}).
 */
@Route(value = SignedOutView.ROUTE, autoLayout = false)
@PageTitle("Signed out · Netportal")
@AnonymousAllowed
public class SignedOutView extends VerticalLayout implements BeforeEnterObserver {

    static final String ROUTE = "signed-out";
    static final String ENDED = ROUTE + "?ended";

    private final H2 title = new H2("You have signed out of Netportal");
    private final Paragraph reason = new Paragraph("Your session with the sign-in provider has ended too.");

    SignedOutView() {
        setSizeFull();
        setAlignItems(Alignment.CENTER);
        setJustifyContentMode(JustifyContentMode.CENTER);
        Button signIn = new Button("Sign in again");
        signIn.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        Anchor link = new Anchor("/", signIn);
        link.setRouterIgnore(true);
        reason.setId("signed-out-reason");
        add(title, reason, link);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        if (event.getLocation().getQueryParameters().getParameters().containsKey("ended")) {
            title.setText("You have been signed out of Netportal");
            reason.setText("Your session with the sign-in provider has ended, or it no longer lets you in. "
                    + "Sign in again to go on.");
        }
    }
}
