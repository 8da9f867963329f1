package dev.netportal.project.internal;

import dev.netportal.identity.ProjectId;
import java.util.Collection;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
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
