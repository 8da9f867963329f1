package dev.netportal.sharing.internal;

import dev.netportal.common.NatType;
import dev.netportal.common.Slice;
import dev.netportal.identity.ProjectId;
import dev.netportal.network.NetworkId;
import dev.netportal.partition.PartitionId;
import dev.netportal.sharing.ShareRequest;
import dev.netportal.sharing.ShareRequestId;
import dev.netportal.sharing.ShareStatus;
import dev.netportal.sharing.SharedNetwork;
import io.r2dbc.spi.Readable;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** SQL for share requests and the promotion of a network's type. */
@Repository
public class ShareRepository {

    private static final String REQUEST_VIEW = """
            SELECT r.*, r.nat_type::text AS nat, r.status::text AS state, n.name AS network_name,
                   n.partition_id, p.name AS project_name,
                   array(SELECT np.prefix::text FROM network_prefix np WHERE np.network_id = n.id
                         ORDER BY family(np.prefix), np.prefix) AS network_prefixes
            FROM share_request r JOIN network n ON n.id = r.network_id JOIN project p ON p.id = r.project_id
            """;

    private final DatabaseClient db;

    ShareRepository(DatabaseClient db) {
        this.db = db;
    }

    /** The network's type and project, locked until the transaction ends; empty if there is no such network. */
    public Mono<NetworkState> lockNetwork(UUID network) {
        return db.sql("SELECT type::text AS type, project_id, name FROM network WHERE id = :id FOR UPDATE")
                .bind("id", network)
                .map((row, meta) -> new NetworkState(row.get("type", String.class), row.get("project_id", String.class),
                        row.get("name", String.class)))
                .first();
    }

    /** A network's type, owner and name as a share request needs them. */
    public record NetworkState(String type, String project, String name) {
    }

    public Mono<Boolean> hasPending(UUID network) {
        return db.sql("SELECT 1 FROM share_request WHERE network_id = :id AND status = 'PENDING'").bind("id", network)
                .map((row, meta) -> true).first().defaultIfEmpty(false);
    }

    public Mono<Void> insert(UUID id, UUID network, ProjectId project, String subject, String name, String reason,
            NatType natType) {
        return db.sql("""
                        INSERT INTO share_request (id, network_id, project_id, requested_by, requested_by_name, reason, nat_type)
                        VALUES (:id, :network, :project, :subject, :name, :reason, CAST(:nat AS nat_type))""")
                .bind("id", id).bind("network", network).bind("project", project.value()).bind("subject", subject)
                .bind("name", name).bind("reason", reason).bind("nat", natType.name())
                .then();
    }

    public Mono<ShareRequest> find(UUID id) {
        return db.sql(REQUEST_VIEW + " WHERE r.id = :id").bind("id", id).map(ShareRepository::request).first();
    }

    /** Locks the request's row until the transaction ends and answers it as it is now. */
    public Mono<ShareRequest> lock(UUID id) {
        return db.sql("SELECT id FROM share_request WHERE id = :id FOR UPDATE").bind("id", id).fetch().first()
                .then(find(id));
    }

    public Mono<Void> decide(UUID id, ShareStatus status, String subject, String name, String comment) {
        return db.sql("""
                        UPDATE share_request SET status = CAST(:status AS share_request_status), decided_by = :subject,
                               decided_by_name = :name, comment = :comment, decided_at = now()
                        WHERE id = :id""")
                .bind("id", id).bind("status", status.name())
                .bind("subject", Parameter.fromOrEmpty(subject, String.class))
                .bind("name", Parameter.fromOrEmpty(name, String.class))
                .bind("comment", Parameter.fromOrEmpty(comment, String.class))
                .then();
    }

    /**
     * Requests of the given projects (or all, for {@code everything}), in a status or any; pending ones oldest
     * first (a queue), the others newest first.
     */
    public Flux<ShareRequest> list(Collection<ProjectId> projects, boolean everything, ShareStatus status) {
        String[] ids = projects.stream().map(ProjectId::value).toArray(String[]::new);
        String order = status == ShareStatus.PENDING ? "r.created_at, r.id" : "r.created_at DESC, r.id";
        return db.sql(REQUEST_VIEW + """
                         WHERE (:everything OR r.project_id = ANY(:projects))
                           AND (CAST(:status AS share_request_status) IS NULL OR r.status = CAST(:status AS share_request_status))
                        ORDER BY\s""" + order)
                .bind("everything", everything).bind("projects", ids)
                .bind("status", Parameter.fromOrEmpty(status == null ? null : status.name(), String.class))
                .map(ShareRepository::request).all();
    }

    /** A stretch of what {@link #list} answers, and how long the whole list is. */
    public Mono<Slice<ShareRequest>> list(Collection<ProjectId> projects, boolean everything, ShareStatus status,
            long offset, int limit) {
        String[] ids = projects.stream().map(ProjectId::value).toArray(String[]::new);
        String order = status == ShareStatus.PENDING ? "q.created_at, q.id" : "q.created_at DESC, q.id";
        String where = """
                 WHERE (:everything OR r.project_id = ANY(:projects))
                   AND (CAST(:status AS share_request_status) IS NULL OR r.status = CAST(:status AS share_request_status))""";
        Parameter wanted = Parameter.fromOrEmpty(status == null ? null : status.name(), String.class);
        return db.sql("SELECT q.*, count(*) OVER () AS total FROM (" + REQUEST_VIEW + where + ") q ORDER BY " + order
                        + " OFFSET :offset LIMIT :limit")
                .bind("everything", everything).bind("projects", ids).bind("status", wanted)
                .bind("offset", offset).bind("limit", limit)
                .map((row, meta) -> Map.entry(row.get("total", Long.class), request(row))).all().collectList()
                .flatMap(rows -> Slice.of(rows, offset, db.sql("SELECT count(*) AS n FROM share_request r\n" + where)
                        .bind("everything", everything).bind("projects", ids).bind("status", wanted)
                        .map((row, meta) -> row.get("n", Long.class)).one()));
    }

    /** The requests for one network, newest first. */
    public Flux<ShareRequest> ofNetwork(UUID network) {
        return db.sql(REQUEST_VIEW + " WHERE r.network_id = :network ORDER BY r.created_at DESC, r.id")
                .bind("network", network).map(ShareRepository::request).all();
    }

    public Mono<Long> countPending() {
        return db.sql("SELECT count(*) AS n FROM share_request WHERE status = 'PENDING'")
                .map((row, meta) -> row.get("n", Long.class)).first();
    }

    private static final String SHARED_VIEW = """
            SELECT n.id, n.name, n.partition_id, n.nat_type::text AS nat, p.id AS project_id, p.name AS project_name,
                   array(SELECT np.prefix::text FROM network_prefix np WHERE np.network_id = n.id
                         ORDER BY family(np.prefix), np.prefix) AS prefixes
            FROM network n JOIN project p ON p.id = n.project_id
            """;

    /** The shared networks of a partition, by name, with their owner project's name. */
    public Flux<SharedNetwork> shared(String partition) {
        return db.sql(SHARED_VIEW + " WHERE n.partition_id = :partition AND n.type = 'CHILD_SHARED' ORDER BY n.name, n.id")
                .bind("partition", partition)
                .map((row, meta) -> shared(row))
                .all();
    }

    /** A stretch of what {@link #shared(String)} answers, and how long the whole list is. */
    public Mono<Slice<SharedNetwork>> shared(String partition, long offset, int limit) {
        return db.sql("SELECT q.*, page.total FROM (SELECT id, count(*) OVER () AS total FROM network"
                        + " WHERE partition_id = :partition AND type = 'CHILD_SHARED' ORDER BY name, id OFFSET :offset LIMIT :limit) page"
                        + " JOIN (" + SHARED_VIEW + " WHERE n.partition_id = :partition) q ON q.id = page.id ORDER BY q.name, q.id")
                .bind("partition", partition).bind("offset", offset).bind("limit", limit)
                .map((row, meta) -> Map.entry(row.get("total", Long.class), shared(row))).all().collectList()
                .flatMap(rows -> Slice.of(rows, offset, db.sql(
                                "SELECT count(*) AS n FROM network WHERE partition_id = :partition AND type = 'CHILD_SHARED'")
                        .bind("partition", partition).map((row, meta) -> row.get("n", Long.class)).one()));
    }

    private static SharedNetwork shared(Readable row) {
        return new SharedNetwork(new NetworkId(row.get("id", UUID.class)), row.get("name", String.class),
                new PartitionId(row.get("partition_id", String.class)), new ProjectId(row.get("project_id", String.class)),
                row.get("project_name", String.class), List.of(row.get("prefixes", String[].class)),
                NatType.valueOf(row.get("nat", String.class)));
    }

    private static ShareRequest request(Readable row) {
        return new ShareRequest(new ShareRequestId(row.get("id", UUID.class)), new NetworkId(row.get("network_id", UUID.class)),
                row.get("network_name", String.class), List.of(row.get("network_prefixes", String[].class)),
                new PartitionId(row.get("partition_id", String.class)), new ProjectId(row.get("project_id", String.class)),
                row.get("project_name", String.class), row.get("requested_by", String.class),
                row.get("requested_by_name", String.class), row.get("reason", String.class), NatType.valueOf(row.get("nat", String.class)),
                ShareStatus.valueOf(row.get("state", String.class)), row.get("decided_by", String.class),
                row.get("decided_by_name", String.class), row.get("comment", String.class),
                row.get("created_at", OffsetDateTime.class), row.get("decided_at", OffsetDateTime.class));
    }
}
