package dev.netportal.audit;

import dev.netportal.common.DomainException;
import dev.netportal.common.RequestIds;
import dev.netportal.identity.Actor;
import dev.netportal.identity.ProjectId;
import dev.netportal.identity.ProjectRole;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes audit events (A1). Called by the domain services inside their transaction, so an event exists exactly
 * when its change does.
 */
@Service
public class AuditLog {

    /** What changed: the object, where it lives, and its state before and after (null when absent). */
    public record Change(String action, String objectType, String objectId, String project, String partition,
                         Map<String, ?> before, Map<String, ?> after) {
    }

    private final DatabaseClient db;
    private final JsonMapper json;

    AuditLog(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    public Mono<Void> record(Actor actor, Change change) {
        return columns(actor, change).flatMap(event -> db.sql("""
                        INSERT INTO audit_event (actor_subject, actor_name, action, object_type, object_id, project_id,
                                                 partition_id, before, after, request_id)
                        VALUES (:subject, :name, :action, :type, :id, :project, :partition,
                                CAST(:before AS jsonb), CAST(:after AS jsonb), :requestId)""")
                .bind("subject", event.subject())
                .bind("name", event.name())
                .bind("action", event.action())
                .bind("type", event.objectType())
                .bind("id", event.objectId())
                .bind("project", nullable(event.project()))
                .bind("partition", nullable(event.partition()))
                .bind("before", nullable(event.before()))
                .bind("after", nullable(event.after()))
                .bind("requestId", nullable(event.requestId()))
                .then());
    }

    /**
     * An event's columns as they are stored ({@code before} and {@code after} as JSON text, null when absent), for a
     * database function that writes the event in the same statement as the change it records (an IP reservation,
     * {@code ip_reserve}), so the change needs no transaction around several round trips.
     */
    public record Columns(String subject, String name, String action, String objectType, String objectId,
                          String project, String partition, String before, String after, String requestId) {
    }

    /** The columns of the event of {@code change} by {@code actor} in the current request. */
    public Mono<Columns> columns(Actor actor, Change change) {
        Change stored = changedOnly(change);
        return RequestIds.current().map(requestId -> new Columns(actor.subject(), actor.name(), change.action(),
                change.objectType(), change.objectId(), change.project(), change.partition(),
                stored.before() == null ? null : json.writeValueAsString(stored.before()),
                stored.after() == null ? null : json.writeValueAsString(stored.after()), requestId.orElse(null)));
    }

    /**
     * A change as it is stored: when there is a before and an after, only what differs (V2: a description edited
     * a thousand times is not stored two thousand times), and the name, which says what the object is.
     */
    static Change changedOnly(Change change) {
        if (change.before() == null || change.after() == null) {
            return change;
        }
        Map<String, Object> before = new LinkedHashMap<>();
        Map<String, Object> after = new LinkedHashMap<>();
        Set<String> keys = new LinkedHashSet<>(change.before().keySet());
        keys.addAll(change.after().keySet());
        for (String key : keys) {
            Object was = change.before().get(key);
            Object is = change.after().get(key);
            if (key.equals("name") || !Objects.equals(was, is)) {
                if (change.before().containsKey(key)) {
                    before.put(key, was);
                }
                if (change.after().containsKey(key)) {
                    after.put(key, is);
                }
            }
        }
        return new Change(change.action(), change.objectType(), change.objectId(), change.project(), change.partition(),
                before, after);
    }

    /** One recorded change. */
    public record Event(long id, OffsetDateTime at, String actorSubject, String actorName, String action,
                        String objectType, String objectId, String project, String partition, Object before,
                        Object after, String requestId) {
    }

    /**
     * Which events to read: at most {@code limit}, older than event {@code before}, and optionally only one
     * project's, one object's (a network's events include those of its IPs, whose ids start with the network's),
     * actions starting with a text ("ip." for all IP changes), or one actor's (subject, or a part of the name).
     */
    public record Query(Optional<ProjectId> project, Optional<String> object, Optional<String> action,
                        Optional<String> actor, Optional<Long> before, int limit) {

        public static Query latest(int limit) {
            return new Query(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), limit);
        }

        public Query ofProject(ProjectId value) {
            return new Query(Optional.of(value), object, action, actor, before, limit);
        }

        public Query ofObject(String value) {
            return new Query(project, Optional.of(value), action, actor, before, limit);
        }
    }

    /**
     * Events newest first. Admins see all (or one project's); others see their projects' events, and a project
     * they hold no role in is "not found".
     */
    public Mono<List<Event>> events(Actor actor, Query query) {
        Optional<ProjectId> project = query.project();
        if (project.isPresent() && !actor.has(ProjectRole.VIEWER, project.get())) {
            return Mono.error(DomainException.notFound("Project " + project.get()));
        }
        String[] projects = project.map(p -> new String[] {p.value()})
                .orElseGet(() -> actor.roles().keySet().stream().map(ProjectId::value).toArray(String[]::new));
        boolean everything = actor.admin() && project.isEmpty();
        return db.sql("""
                        SELECT id, at, actor_subject, actor_name, action, object_type, object_id, project_id, partition_id,
                               before::text AS before, after::text AS after, request_id
                        FROM audit_event
                        WHERE (:everything OR project_id = ANY(:projects)) AND id < :before
                          AND (:object = '' OR object_id = :object OR object_id LIKE :objectChildren)
                          AND (:action = '' OR action LIKE :actionPrefix)
                          AND (:actor = '' OR actor_subject = :actor OR actor_name ILIKE :actorLike)
                        ORDER BY id DESC LIMIT :limit""")
                .bind("everything", everything)
                .bind("projects", projects)
                .bind("before", query.before().orElse(Long.MAX_VALUE))
                .bind("object", query.object().orElse(""))
                .bind("objectChildren", likePrefix(query.object().orElse("")) + "/%")
                .bind("action", query.action().orElse(""))
                .bind("actionPrefix", likePrefix(query.action().orElse("")) + "%")
                .bind("actor", query.actor().map(String::strip).orElse(""))
                .bind("actorLike", "%" + likePrefix(query.actor().map(String::strip).orElse("")) + "%")
                .bind("limit", query.limit())
                .map((row, meta) -> new Event(row.get("id", Long.class), row.get("at", OffsetDateTime.class),
                        row.get("actor_subject", String.class), row.get("actor_name", String.class),
                        row.get("action", String.class), row.get("object_type", String.class),
                        row.get("object_id", String.class), row.get("project_id", String.class),
                        row.get("partition_id", String.class), parse(row.get("before", String.class)),
                        parse(row.get("after", String.class)), row.get("request_id", String.class)))
                .all().collectList();
    }

    private static String likePrefix(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private Object parse(String jsonText) {
        return jsonText == null ? null : json.readValue(jsonText, Object.class);
    }

    private static org.springframework.r2dbc.core.Parameter nullable(String value) {
        return org.springframework.r2dbc.core.Parameter.fromOrEmpty(value, String.class);
    }
}
