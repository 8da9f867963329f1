package dev.netportal.network;

import dev.netportal.common.DomainException;
import dev.netportal.identity.Actor;
import dev.netportal.identity.ProjectId;
import dev.netportal.identity.ProjectRole;
import reactor.core.publisher.Mono;

/** The role check of "Who may do what": too low a role is forbidden; no role at all is "not found". */
final class Access {

    private Access() {
    }

    static Mono<Void> require(Actor actor, ProjectRole needed, ProjectId project, String what) {
        if (actor.has(needed, project)) {
            return Mono.empty();
        }
        if (actor.has(ProjectRole.VIEWER, project)) {
            return Mono.error(DomainException.forbidden("Only " + needed.label() + "s of project " + project
                    + " may " + what + "; you are " + actor.roleIn(project).map(ProjectRole::label).orElse("a guest") + "."));
        }
        return Mono.error(DomainException.notFound("Project " + project));
    }
}
