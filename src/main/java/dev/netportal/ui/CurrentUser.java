package dev.netportal.ui;

import com.vaadin.flow.spring.security.AuthenticationContext;
import dev.netportal.identity.Actor;
import dev.netportal.identity.Actors;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Component;

/** The signed-in user of the current request, as the {@link Actor} that domain services expect. */
@Component
public class CurrentUser {

    private final AuthenticationContext authentication;
    private final Actors actors;

    CurrentUser(AuthenticationContext authentication, Actors actors) {
        this.authentication = authentication;
        this.actors = actors;
    }

    public Actor actor() {
        return authentication.getAuthenticatedUser(OidcUser.class)
                .map(user -> actors.fromClaims(user.getClaims()))
                .orElseThrow(() -> new IllegalStateException("a view that needs a user was shown without one"));
    }

    /** Ends the UI session and the provider's session. */
    public void signOut() {
        authentication.logout();
    }
}
