package dev.netportal.project.internal;

import dev.netportal.common.Slice;
import dev.netportal.identity.ProjectId;
import dev.netportal.project.Counter;
import dev.netportal.project.Project;
import io.r2dbc.spi.Readable;
import java.util.Collection;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** SQL for the {@code project} table. */
@Repository
public class ProjectRepository {

    private final DatabaseClient db;

    ProjectRepository(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Map<ProjectId, String>> namesOf(Collection<ProjectId> ids) {
        if (ids.isEmpty()) {
            return Mono.just(Map.of());
        }
        String[] values = ids.stream().map(ProjectId::value).toArray(String[]::new);
        return db.sql("SELECT id, name FROM project WHERE id = ANY(:ids)")
                .bind("ids", values)
                .map((row, meta) -> Map.entry(new ProjectId(row.get("id", String.class)), row.get("name", String.class)))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    /** One project with its quotas and usage; empty if there is none. */
    public Mono<Project> find(ProjectId id) {
        return db.sql("""
                        SELECT p.*, (SELECT count(*) FROM ip WHERE ip.project_id = p.id)::integer AS used_ips
                        FROM project p WHERE p.id = :id""")
                .bind("id", id.value()).map((row, meta) -> project(row)).first();
    }

    /**
     * A stretch of the projects (all, or those of {@code only}) by id, and how many there are. The IPs are counted
     * for the stretch's projects only.
     */
    public Mono<Slice<Project>> page(Collection<ProjectId> only, boolean everything, long offset, int limit) {
        String[] ids = only.stream().map(ProjectId::value).toArray(String[]::new);
        return db.sql("""
                        SELECT p.*, (SELECT count(*) FROM ip WHERE ip.project_id = p.id)::integer AS used_ips, page.total
                        FROM (SELECT id, count(*) OVER () AS total FROM project WHERE :everything OR id = ANY(:ids)
                              ORDER BY id OFFSET :offset LIMIT :limit) page
                        JOIN project p ON p.id = page.id
                        ORDER BY p.id""")
                .bind("everything", everything).bind("ids", ids).bind("offset", offset).bind("limit", limit)
                .map((row, meta) -> Map.entry(row.get("total", Long.class), project(row)))
                .all().collectList()
                .flatMap(rows -> Slice.of(rows, offset, db.sql("SELECT count(*) AS n FROM project WHERE :everything OR id = ANY(:ids)")
                        .bind("everything", everything).bind("ids", ids).map((row, meta) -> row.get("n", Long.class)).one()));
    }

    private static Project project(Readable row) {
        return new Project(new ProjectId(row.get("id", String.class)), row.get("name", String.class),
                row.get("description", String.class),
                new Project.Quotas(row.get("quota_networks", Integer.class), row.get("quota_machines", Integer.class),
                        row.get("quota_firewalls", Integer.class), row.get("quota_ips", Integer.class)),
                new Project.Quotas(row.get("used_networks", Integer.class), row.get("used_machines", Integer.class),
                        row.get("used_firewalls", Integer.class), row.get("used_ips", Integer.class)));
    }

    /** Raises a usage counter unless it reached the quota; answers whether it did. */
    public Mono<Boolean> take(ProjectId id, Counter counter) {
        String column = counter.word();
        return db.sql("UPDATE project SET used_" + column + " = used_" + column + " + 1 WHERE id = :id AND (quota_"
                        + column + " IS NULL OR used_" + column + " < quota_" + column + ")")
                .bind("id", id.value()).fetch().rowsUpdated().map(rows -> rows > 0);
    }

    public Mono<Void> giveBack(ProjectId id, Counter counter) {
        String column = counter.word();
        return db.sql("UPDATE project SET used_" + column + " = used_" + column + " - 1 WHERE id = :id")
                .bind("id", id.value()).then();
    }

    public Mono<Integer> quota(ProjectId id, Counter counter) {
        return db.sql("SELECT quota_" + counter.word() + " AS q FROM project WHERE id = :id").bind("id", id.value())
                .map((row, meta) -> row.get("q", Integer.class)).first();
    }

    /** Locks the project's row until the transaction ends; answers whether it exists. */
    public Mono<Boolean> lock(ProjectId id) {
        return db.sql("SELECT id FROM project WHERE id = :id FOR UPDATE").bind("id", id.value())
                .map((row, meta) -> true).first().defaultIfEmpty(false);
    }

    /** Sets name, description and quotas; answers whether the project exists. */
    public Mono<Boolean> update(ProjectId id, String name, String description, Project.Quotas quotas) {
        return db.sql("""
                        UPDATE project SET name = :name, description = :description, quota_networks = :networks,
                               quota_machines = :machines, quota_firewalls = :firewalls, quota_ips = :ips
                        WHERE id = :id""")
                .bind("id", id.value()).bind("name", name).bind("description", description)
                .bind("networks", Parameter.fromOrEmpty(quotas.networks(), Integer.class))
                .bind("machines", Parameter.fromOrEmpty(quotas.machines(), Integer.class))
                .bind("firewalls", Parameter.fromOrEmpty(quotas.firewalls(), Integer.class))
                .bind("ips", Parameter.fromOrEmpty(quotas.ips(), Integer.class))
                .fetch().rowsUpdated().map(rows -> rows > 0);
    }

    public Mono<Boolean> insertIfAbsent(ProjectId id, String name, String description) {
        return db.sql("INSERT INTO project (id, name, description) VALUES (:id, :name, :description) ON CONFLICT (id) DO NOTHING")
                .bind("id", id.value())
                .bind("name", name)
                .bind("description", description)
                .fetch()
                .rowsUpdated()
                .map(count -> count > 0);
    }
}
