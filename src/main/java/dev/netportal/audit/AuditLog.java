package dev.netportal.audit;

import dev.netportal.identity.Actor;
import java.util.Map;
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
        return db.sql("""
                        INSERT INTO audit_event (actor_subject, actor_name, action, object_type, object_id, project_id,
                                                 partition_id, before, after)
                        VALUES (:subject, :name, :action, :type, :id, :project, :partition,
                                CAST(:before AS jsonb), CAST(:after AS jsonb))""")
                .bind("subject", actor.subject())
                .bind("name", actor.name())
                .bind("action", change.action())
                .bind("type", change.objectType())
                .bind("id", change.objectId())
                .bind("project", nullable(change.project()))
                .bind("partition", nullable(change.partition()))
                .bind("before", nullable(change.before() == null ? null : json.writeValueAsString(change.before())))
                .bind("after", nullable(change.after() == null ? null : json.writeValueAsString(change.after())))
                .then();
    }

    private static org.springframework.r2dbc.core.Parameter nullable(String value) {
        return org.springframework.r2dbc.core.Parameter.fromOrEmpty(value, String.class);
    }
}
