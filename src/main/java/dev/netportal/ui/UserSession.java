package dev.netportal.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.spring.annotation.VaadinSessionScope;
import com.vaadin.flow.spring.security.AuthenticationContext;
import dev.netportal.identity.Actor;
import dev.netportal.identity.Actors;
import dev.netportal.identity.ProjectId;
import dev.netportal.project.ProjectMembership;
import dev.netportal.project.ProjectService;
import jakarta.annotation.PreDestroy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Component;

/**
 * The signed-in user of one browser session: the {@link Actor} that domain services expect, the user's projects
 * and the project chosen with the switcher. The roles come from the sign-in token and are read again from the
 * provider every {@code netportal.ui.role-refresh} (see {@link RoleRefresh}): when they changed, every open tab
 * of the session shows its page again with the new roles; when the provider's session has ended, every tab is
 * signed out.
 */
@Component
@VaadinSessionScope
public class UserSession {

    private static final Logger log = LoggerFactory.getLogger(UserSession.class);
    /** Refreshes that may fail in a row (the provider unreachable, or refusing the client) before the person is signed out. */
    static final int FAILURES_BEFORE_SIGN_OUT = 3;

    /** Who the user is now; replaced as a whole when the roles are read again. */
    private record Roles(Actor actor, List<ProjectMembership> memberships) {
    }

    private final AuthenticationContext authentication;
    private final Actors actors;
    private final ProjectService projects;
    private final RoleRefresh refresh;

    // written with the Vaadin session locked, read by views (locked) and by the refresh (volatile)
    private volatile Roles roles;
    private volatile Map<String, Object> signInClaims;
    private volatile OAuth2AuthorizedClient client;
    private VaadinSession vaadinSession;
    private ScheduledFuture<?> refreshing;
    private final AtomicBoolean asking = new AtomicBoolean();   // one refresh at a time: a slow provider is not asked twice
    private int failedInARow;                                   // refresh thread only
    private ProjectId selected;

    UserSession(AuthenticationContext authentication, Actors actors, ProjectService projects, RoleRefresh refresh) {
        this.authentication = authentication;
        this.actors = actors;
        this.projects = projects;
        this.refresh = refresh;
    }

    public Actor actor() {
        return roles().actor();
    }

    public List<ProjectMembership> memberships() {
        return roles().memberships();
    }

    private Roles roles() {
        if (roles == null) {
            OidcUser user = authentication.getAuthenticatedUser(OidcUser.class)
                    .orElseThrow(() -> new IllegalStateException("a view that needs a user was shown without one"));
            signInClaims = user.getClaims();
            Actor actor = actors.fromClaims(signInClaims);
            roles = new Roles(actor, projects.memberships(actor).block());
            vaadinSession = VaadinSession.getCurrent();
            client = SessionAuthorizedClients.load(vaadinSession.getSession(), UiSecurity.REGISTRATION).orElse(null);
            startRefreshing();
        }
        return roles;
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

    /** Runs outside any request, on a thread of {@link RoleRefresh}; waits for the provider and the database. */
    private void readRolesAgain() {
        if (!asking.compareAndSet(false, true)) {
            return;
        }
        try {
            readRolesAgain(vaadinSession);
        } catch (RuntimeException e) {
            log.warn("Could not read the roles of {} again, keeping them until the next try", roles.actor().subject(), e);
        } finally {
            asking.set(false);
        }
    }

    private void readRolesAgain(VaadinSession session) {
        OAuth2AuthorizedClient current = client;
        RoleRefresh.Outcome outcome = current == null
                ? new RoleRefresh.Outcome.Ended("no tokens from sign-in in the session")
                : refresh.refresh(current, signInClaims);
        if (outcome instanceof RoleRefresh.Outcome.Failed failed && ++failedInARow >= FAILURES_BEFORE_SIGN_OUT) {
            // roles that cannot be read again for this long are not kept for ever
            outcome = new RoleRefresh.Outcome.Ended(FAILURES_BEFORE_SIGN_OUT + " refreshes in a row failed, the last: " + failed.reason());
        }
        switch (outcome) {
            case RoleRefresh.Outcome.Refreshed refreshed -> {
                failedInARow = 0;
                Roles now = new Roles(refreshed.actor(), projects.memberships(refreshed.actor()).block());
                session.access(() -> {
                    client = refreshed.client();
                    SessionAuthorizedClients.save(session.getSession(), refreshed.client());
                    Roles before = roles;
                    roles = now;
                    if (!sameAccess(before, now)) {
                        log.info("Roles of {} changed: {} -> {}", now.actor().subject(), before.actor().roles(), now.actor().roles());
                        session.getUIs().forEach(ui -> ui.access(() -> showAgain(ui)));
                    }
                });
            }
            case RoleRefresh.Outcome.Ended ended -> {
                log.info("Signing {} out: {}", roles.actor().subject(), ended.reason());
                stopRefreshing();
                session.access(() -> {
                    // no rights from here on, whatever a tab that ignores the redirect still sends
                    Actor before = roles.actor();
                    roles = new Roles(new Actor(before.subject(), before.name(), false, Map.of()), List.of());
                    ProviderSessionEnded.mark(session.getSession());
                    session.getUIs().forEach(ui -> ui.access(() -> ui.getPage().setLocation(SignedOutView.ENDED)));
                });
            }
            case RoleRefresh.Outcome.Failed failed ->
                    log.warn("Could not read the roles of {} again, keeping them until the next try: {}",
                            roles.actor().subject(), failed.reason());
        }
    }

    private static boolean sameAccess(Roles before, Roles now) {
        return before.actor().admin() == now.actor().admin()
                && before.actor().roles().equals(now.actor().roles())
                && before.memberships().equals(now.memberships());
    }

    /** The page and its frame are built again with the new roles; views refuse what the person may no longer see. */
    private static void showAgain(UI ui) {
        ui.refreshCurrentRoute(true);
        Notices.accessChanged();
    }

    private synchronized void startRefreshing() {
        refreshing = refresh.every(this::readRolesAgain);
    }

    private synchronized void stopRefreshing() {
        if (refreshing != null) {
            refreshing.cancel(false);
        }
    }

    @PreDestroy
    void close() {
        stopRefreshing();
    }
}
