package dev.netportal.api;

import dev.netportal.identity.Actor;
import dev.netportal.project.ProjectMembership;
import dev.netportal.project.ProjectService;
import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code GET /api/v1/me}: who the token says the caller is. */
@RestController
@RequestMapping("/api/v1")
class MeController {

    private final ProjectService projects;

    MeController(ProjectService projects) {
        this.projects = projects;
    }

    @GetMapping("/me")
    @Operation(summary = "The caller: subject, name, admin flag and projects with roles")
    Mono<Me> me(Actor actor) {
        return projects.memberships(actor).map(memberships -> Me.of(actor, memberships));
    }

    record Me(String subject, String name, boolean admin, List<ProjectRoleView> projects) {

        static Me of(Actor actor, List<ProjectMembership> memberships) {
            return new Me(actor.subject(), actor.name(), actor.admin(), memberships.stream()
                    .map(m -> new ProjectRoleView(m.id().value(), m.name(), m.role().label()))
                    .toList());
        }
    }

    record ProjectRoleView(String id, String name, String role) {
    }
}
