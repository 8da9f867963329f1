package dev.netportal.api;

import static dev.netportal.common.InputLimits.*;

import dev.netportal.common.DomainException;
import dev.netportal.common.Refusal;
import dev.netportal.identity.Actor;
import dev.netportal.identity.ProjectId;
import dev.netportal.project.Project;
import dev.netportal.project.ProjectService;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Projects: everyone sees theirs, admins all; admins create them and set quotas (N4). */
@RestController
@RequestMapping("/api/v1/projects")
record ProjectController(ProjectService projects, Idempotency idempotency) {

    @GetMapping
    @Operation(summary = "The projects visible to the caller, by id, with quotas and usage (any)")
    Mono<Page<ProjectView>> list(Actor actor, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        return Page.read(page, size, (offset, limit) -> projects.visible(actor, offset, limit), ProjectView::of);
    }

    @PostMapping
    @Operation(summary = "Create a project with quotas (admin)")
    Mono<ResponseEntity<ProjectView>> create(Actor actor, IdempotentWrite write, @Valid @RequestBody ProjectBody body) {
        if (!ProjectId.isValid(body.id())) {
            return Mono.error(Refusal.PROJECT_ID.with(body.id()));
        }
        return idempotency.once(actor, write, body, ProjectView.class, () -> projects
                .create(actor, new ProjectId(body.id()), body.name(), body.description(), body.quotasOrUnlimited())
                .map(created -> ResponseEntity.created(URI.create("/api/v1/projects/" + created.id())).body(ProjectView.of(created))));
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Change name, description and quotas (admin); a quota left out becomes unlimited")
    Mono<ResponseEntity<ProjectView>> update(Actor actor, IdempotentWrite write, @PathVariable String id,
            @Valid @RequestBody ProjectBody body) {
        if (!ProjectId.isValid(id)) {
            return Mono.error(DomainException.notFound("Project " + id));
        }
        return idempotency.once(actor, write, body, ProjectView.class, () -> projects
                .update(actor, new ProjectId(id), body.name(), body.description(), body.quotasOrUnlimited())
                .map(updated -> ResponseEntity.ok(ProjectView.of(updated))));
    }

    record ProjectBody(@Size(max = ID) String id, @Size(max = NAME) String name,
                       @Size(max = DESCRIPTION) String description, Project.Quotas quotas) {

        Project.Quotas quotasOrUnlimited() {
            return quotas == null ? new Project.Quotas(null, null, null, null) : quotas;
        }
    }

    record ProjectView(String id, String name, String description, Project.Quotas quotas, Project.Quotas usage) {

        static ProjectView of(Project p) {
            return new ProjectView(p.id().value(), p.name(), p.description(), p.quotas(), p.usage());
        }
    }
}
