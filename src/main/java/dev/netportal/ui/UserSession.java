package dev.netportal.ui;

import com.vaadin.flow.spring.annotation.VaadinSessionScope;
import com.vaadin.flow.spring.security.AuthenticationContext;
import dev.netportal.identity.Actor;
import dev.netportal.identity.Actors;
import dev.netportal.identity.ProjectId;
import dev.netportal.project.ProjectMembership;
import dev.netportal.project.ProjectService;
import java.util.List;
import java.util.Optional;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Component;

/**
 * The signed-in user of one browser session: the {@link Actor} that domain services expect, the user's projects
 * (read once per session; roles come from the sign-in token and do not change within it) and the project chosen
 * with the switcher.
 */
@Component
@VaadinSessionScope
public class UserSession {

    private final AuthenticationContext authentication;
    private final Actors actors;
    private final ProjectService projects;

    private Actor actor;
    private List<ProjectMembership> memberships;
    private ProjectId selected;

    UserSession(AuthenticationContext authentication, Actors actors, ProjectService projects) {
        this.authentication = authentication;
        this.actors = actors;
        this.projects = projects;
    }

    public Actor actor() {
        if (actor == null) {
            actor = authentication.getAuthenticatedUser(OidcUser.class)
                    .map(user -> actors.fromClaims(user.getClaims()))
                    .orElseThrow(() -> new IllegalStateException("a view that needs a user was shown without one"));
        }
        return actor;
    }

    public List<ProjectMembership> memberships() {
        if (memberships == null) {
            memberships = projects.memberships(actor()).block();
        }
        return memberships;
    }

    /** The project chosen with the switcher; the first project until the user picks one. */
    public Optional<ProjectMembership> selectedProject() {
        return memberships().stream().filter(m -> m.id().equals(selected)).findFirst()
                .or(() -> memberships().stream().findFirst());
    }

    public void select(ProjectId project) {
        this.selected = project;
    }

    /** Ends the UI session and the provider's session. */
    public void signOut() {
        authentication.logout();
    }
}
