package dev.netportal.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AnonymousAllowed;

/** Where sign-out lands, so that signing out does not bounce straight back to the sign-in page. */
@Route(value = SignedOutView.ROUTE, autoLayout = false)
@PageTitle("Signed out · Netportal")
@AnonymousAllowed
public class SignedOutView extends VerticalLayout {

    static final String ROUTE = "signed-out";

    SignedOutView() {
        setSizeFull();
        setAlignItems(Alignment.CENTER);
        setJustifyContentMode(JustifyContentMode.CENTER);
        Button signIn = new Button("Sign in again");
        signIn.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        Anchor link = new Anchor("/", signIn);
        link.setRouterIgnore(true);
        add(new H2("You have signed out of Netportal"), new Paragraph("Your session with the sign-in provider has ended too."), link);
    }
}
