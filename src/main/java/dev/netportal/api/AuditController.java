package dev.netportal.api;

import static dev.netportal.common.InputLimits.ID;
import static dev.netportal.common.InputLimits.OBJECT_ID;
import static dev.netportal.common.InputLimits.SUBJECT;
import static dev.netportal.common.InputLimits.WORD;

import dev.netportal.audit.AuditLog;
import dev.netportal.common.DomainException;
import dev.netportal.common.Refusal;
import dev.netportal.identity.Actor;
import dev.netportal.identity.ProjectId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Optional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The audit log (A1): tenants see their projects' events, admins all. */
@RestController
@RequestMapping("/api/v1/audit-events")
class AuditController {

    private final AuditLog audit;

    AuditController(AuditLog audit) {
        this.audit = audit;
    }

    /** A page of events, newest first; {@code next} is the {@code after} value for the following page. */
    record Events(List<AuditLog.Event> items, int size, Long next) {
    }

    @GetMapping
    @Operation(summary = "Audit events, newest first (viewer of the project, or admin)")
    Mono<Events> events(Actor caller, @RequestParam(required = false) @Size(max = ID) String project,
            @Parameter(description = "continue after this event id (the previous page's next)")
            @RequestParam(required = false) Long after, @RequestParam(required = false) Integer size,
            @Parameter(description = "only this object's events (a network's include its IPs')")
            @RequestParam(required = false) @Size(max = OBJECT_ID) String object,
            @Parameter(description = "only actions starting with this, e.g. network. or ip.allocate")
            @RequestParam(required = false) @Size(max = WORD) String action,
            @Parameter(description = "only this actor's events: subject, or a part of the name")
            @RequestParam(required = false) @Size(max = SUBJECT) String actor) {
        int limit = size == null ? 50 : size;
        if (limit < 1 || limit > 500) {
            return Mono.error(Refusal.PAGING_SIZE.with(limit));
        }
        if (project != null && !ProjectId.isValid(project)) {
            return Mono.error(DomainException.notFound("Project " + project));
        }
        AuditLog.Query query = new AuditLog.Query(Optional.ofNullable(project).map(ProjectId::new),
                Optional.ofNullable(object).filter(text -> !text.isBlank()),
                Optional.ofNullable(action).filter(text -> !text.isBlank()),
                Optional.ofNullable(actor).filter(text -> !text.isBlank()), Optional.ofNullable(after), limit);
        return audit.events(caller, query)
                .map(items -> new Events(items, limit, items.size() == limit ? items.getLast().id() : null));
    }
}
