package dev.netportal.project;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.netportal.audit.AuditLog;
import dev.netportal.common.DomainException;
import dev.netportal.common.InputLimits;
import dev.netportal.common.Names;
import dev.netportal.common.Refusal;
import dev.netportal.common.Slice;
import dev.netportal.identity.Access;
import dev.netportal.identity.Actor;
import dev.netportal.identity.ProjectId;
import dev.netportal.project.internal.ProjectRepository;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/** Projects: the tenant teams that own networks, machines and firewalls. */
@Service
public class ProjectService {

    /**
     * How long a project's name is remembered for {@link #memberships} ({@code GET /api/v1/me}, which every script
     * calls first): a rename shows at once on this instance, on others within this time.
     */
    static final Duration NAMES_KEPT_FOR = Duration.ofSeconds(10);

    private final ProjectRepository projects;
    private final AuditLog audit;
    private final TransactionalOperator tx;
    private final Cache<ProjectId, String> names = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(NAMES_KEPT_FOR).build();

    ProjectService(ProjectRepository projects, AuditLog audit, TransactionalOperator tx) {
        this.projects = projects;
        this.audit = audit;
        this.tx = tx;
    }

    /**
     * The projects the caller holds a role in, with names, ordered by id. A project named in the token but not
     * (yet) known to the portal is listed under its id.
     */
    public Mono<List<ProjectMembership>> memberships(Actor actor) {
        Map<ProjectId, String> known = names.getAllPresent(actor.roles().keySet());
        Mono<Map<ProjectId, String>> read = known.size() == actor.roles().size() ? Mono.just(known)
                : projects.namesOf(actor.roles().keySet()).doOnNext(names::putAll);
        return read.map(found -> actor.roles().entrySet().stream()
                .map(role -> new ProjectMembership(role.getKey(),
                        found.getOrDefault(role.getKey(), role.getKey().value()), role.getValue()))
                .toList());
    }

    /** Creates the project unless it exists; admins only. Answers whether it was created. */
    public Mono<Boolean> createIfAbsent(Actor actor, ProjectId id, String name, String description) {
        return Access.admin(actor, "create projects").then(Mono.defer(() -> projects.insertIfAbsent(id, name, description)));
    }

    /** Creates a project with quotas; admins only. An existing id is a conflict. */
    public Mono<Project> create(Actor actor, ProjectId id, String name, String description, Project.Quotas quotas) {
        return Access.admin(actor, "create projects").then(Mono.defer(() -> {
            String trimmed = Names.check(Names.Named.PROJECT, name);
            InputLimits.description(description);
            checkQuotas(quotas); // before the insert: a refused create leaves no project behind
            return tx.transactional(projects.insertIfAbsent(id, trimmed, description == null ? "" : description)
                .flatMap(created -> created ? Mono.<Void>empty() : Mono.error(Refusal.PROJECT_EXISTS.with(id)))
                .then(audit.record(actor, new AuditLog.Change("project.create", "project", id.value(), id.value(), null,
                        null, Map.of("name", trimmed)))))
                    .then(update(actor, id, trimmed, description, quotas));
        }));
    }

    /**
     * A stretch of the projects the caller may see (admins all, others those they hold a role in), by id, read as
     * such from the database, and how many there are.
     */
    public Mono<Slice<Project>> visible(Actor actor, long offset, int limit) {
        Slice.check(offset, limit);
        return projects.page(actor.roles().keySet(), actor.admin(), offset, limit);
    }

    /** Changes name, description and quotas of a project; admins only (N4). */
    public Mono<Project> update(Actor actor, ProjectId id, String name, String description, Project.Quotas quotas) {
        if (!actor.admin()) {
            return Mono.error(actor.roleIn(id).isPresent()
                    ? DomainException.forbidden("Only platform admins change projects and quotas.")
                    : DomainException.notFound("Project " + id));
        }
        String trimmed = Names.check(Names.Named.PROJECT, name);
        InputLimits.description(description);
        checkQuotas(quotas);
        Mono<Project> current = projects.find(id);
        return tx.transactional(projects.lock(id)
                .flatMap(exists -> exists ? current : Mono.error(DomainException.notFound("Project " + id)))
                .flatMap(before -> projects.update(id, trimmed, description == null ? "" : description, quotas)
                        .then(current)
                        .flatMap(after -> audit.record(actor, new AuditLog.Change("project.update", "project", id.value(),
                                id.value(), null, summary(before), summary(after))).thenReturn(after))))
                .doOnNext(after -> names.invalidate(id));
    }

    /** Quotas are 0 or more, or null for unlimited (N4). */
    private static void checkQuotas(Project.Quotas quotas) {
        for (Integer quota : new Integer[] {quotas.networks(), quotas.machines(), quotas.firewalls(), quotas.ips()}) {
            if (quota != null && quota < 0) {
                throw Refusal.N4_QUOTA.with(quota);
            }
        }
    }

    private static Map<String, Object> summary(Project project) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("name", project.name());
        state.put("description", project.description());
        state.put("networks quota", limit(project.quotas().networks()));
        state.put("IPs quota", limit(project.quotas().ips()));
        state.put("machines quota", limit(project.quotas().machines()));
        state.put("firewalls quota", limit(project.quotas().firewalls()));
        return state;
    }

    private static String limit(Integer quota) {
        return quota == null ? "no limit" : quota.toString();
    }

    /**
     * Counts one more machine or firewall against the project's quota (N4), inside the caller's transaction; a
     * used-up quota is a conflict naming it.
     */
    public Mono<Void> take(ProjectId project, Counter counter) {
        return projects.take(project, counter).flatMap(taken -> taken ? Mono.<Void>empty()
                : projects.quota(project, counter).switchIfEmpty(Mono.error(() -> DomainException.notFound("Project " + project)))
                        .flatMap(quota -> Mono.error(counter.refusal().with(project, quota))));
    }

    /** Gives a network, machine or firewall back to the project's quota. */
    public Mono<Void> giveBack(ProjectId project, Counter counter) {
        return projects.giveBack(project, counter);
    }

    /** Names of the given projects that exist. */
    public Mono<Map<ProjectId, String>> names(Collection<ProjectId> ids) {
        return projects.namesOf(ids);
    }
}
