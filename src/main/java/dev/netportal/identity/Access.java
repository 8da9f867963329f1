package dev.netportal.identity;

import dev.netportal.common.DomainException;
import reactor.core.publisher.Mono;

/**
 * The role checks of "Who may do what", the one place every service asks: too low a role in a project is
 * forbidden, no role at all is "not found" (another project's objects are not visible), and admin-only work
 * names who may do it.
 */
public final class Access {

    private Access() {
    }

    /** Completes when the caller holds {@code needed} (or more) in the project; {@code what} says what for. */
    public static Mono<Void> require(Actor actor, ProjectRole needed, ProjectId project, String what) {
        if (actor.has(needed, project)) {
            return Mono.empty();
        }
        if (actor.has(ProjectRole.VIEWER, project)) {
            return Mono.error(DomainException.forbidden("Only " + needed.label() + "s of project " + project
                    + " may " + what + "; you are " + actor.roleIn(project).map(ProjectRole::label).orElse("a guest") + "."));
        }
        return Mono.error(DomainException.notFound("Project " + project));
    }

    /** Completes when the caller is a platform admin; {@code what} completes "Only platform admins ...". */
    public static Mono<Void> admin(Actor actor, String what) {
        return actor.admin() ? Mono.empty() : Mono.error(DomainException.forbidden("Only platform admins " + what + "."));
    }
}
