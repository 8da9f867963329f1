package dev.netportal.project;

import dev.netportal.common.DomainException;
import dev.netportal.identity.Actor;
import dev.netportal.identity.ProjectId;
import dev.netportal.project.internal.ProjectRepository;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** Projects: the tenant teams that own networks, machines and firewalls. */
@Service
public class ProjectService {

    private final ProjectRepository projects;

    ProjectService(ProjectRepository projects) {
        this.projects = projects;
    }

    /**
     * The projects the caller holds a role in, with names, ordered by id. A project named in the token but not
     * (yet) known to the portal is listed under its id.
     */
    public Mono<List<ProjectMembership>> memberships(Actor actor) {
        return projects.namesOf(actor.roles().keySet()).map(names -> actor.roles().entrySet().stream()
                .map(role -> new ProjectMembership(role.getKey(),
                        names.getOrDefault(role.getKey(), role.getKey().value()), role.getValue()))
                .toList());
    }

    /** Creates the project unless it exists; admins only. Answers whether it was created. */
    public Mono<Boolean> createIfAbsent(Actor actor, ProjectId id, String name, String description) {
        if (!actor.admin()) {
            return Mono.error(DomainException.forbidden("Only platform admins create projects."));
        }
        return projects.insertIfAbsent(id, name, description);
    }

    /** Names of the given projects that exist. */
    public Mono<Map<ProjectId, String>> names(Collection<ProjectId> ids) {
        return projects.namesOf(ids);
    }
}
