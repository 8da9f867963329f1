package dev.netportal.machine.internal;

import dev.netportal.common.NatType;
import dev.netportal.common.Slice;
import dev.netportal.identity.ProjectId;
import dev.netportal.machine.Machine;
import dev.netportal.network.NetworkId;
import dev.netportal.network.NetworkType;
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

/** SQL for machine rows (the inventory), their allocation as machines or firewalls, and their networks. */
@Repository
public class MachineRepository {

    /** An allocated machine's own columns. */
    public record Row(UUID id, String name, ProjectId project, String partition, String size, Machine.Role role,
                      UUID primaryNetwork, String agentSecret, OffsetDateTime allocatedAt, Long asn) {
    }

    private final DatabaseClient db;

    MachineRepository(DatabaseClient db) {
        this.db = db;
    }

    /**
     * Takes the free machine of the size with the lowest id, skipping rows that a concurrent allocation holds: no
     * two allocations get the same machine, and none waits for another. Empty when none is free.
     */
    public Mono<UUID> takeFree(String partition, String size, Machine.Role role, ProjectId project, String name,
            UUID primaryNetwork, String agentSecret) {
        return db.sql("""
                        UPDATE machine SET state = 'ALLOCATED', role = CAST(:role AS machine_role), project_id = :project,
                               name = :name, primary_network = :primary, agent_secret = :secret, allocated_at = now()
                        WHERE id = (SELECT id FROM machine WHERE partition_id = :partition AND size = :size AND state = 'FREE'
                                    ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
                        RETURNING id""")
                .bind("partition", partition).bind("size", size).bind("role", role.name()).bind("project", project.value())
                .bind("name", name).bind("primary", primaryNetwork).bind("secret", Parameter.fromOrEmpty(agentSecret, String.class))
                .map((row, meta) -> row.get("id", UUID.class)).first();
    }

    /** Whether the partition has machines of the size at all (to tell "none free" from "no such size"). */
    public Mono<Boolean> sizeExists(String partition, String size) {
        return db.sql("SELECT 1 FROM partition_inventory WHERE partition_id = :partition AND size = :size")
                .bind("partition", partition).bind("size", size).map((row, meta) -> true).first().defaultIfEmpty(false);
    }

    /** Returns the machine to the free inventory. */
    public Mono<Void> free(UUID id) {
        return db.sql("""
                        UPDATE machine SET state = 'FREE', role = NULL, project_id = NULL, name = NULL, agent_secret = NULL,
                               primary_network = NULL, allocated_at = NULL
                        WHERE id = :id""")
                .bind("id", id).then();
    }

    public Mono<Row> find(UUID id) {
        return db.sql("SELECT *, role::text AS role_name FROM machine WHERE id = :id AND state = 'ALLOCATED'").bind("id", id)
                .map(MachineRepository::row).first();
    }

    /** The allocated machine, locked until the transaction ends (attach and detach queue on it). */
    public Mono<Row> lock(UUID id) {
        return db.sql("SELECT *, role::text AS role_name FROM machine WHERE id = :id AND state = 'ALLOCATED' FOR UPDATE")
                .bind("id", id).map(MachineRepository::row).first();
    }

    /** A stretch of the project's allocations of the role, oldest first, and how many there are. */
    public Mono<Slice<Row>> ofProject(ProjectId project, Machine.Role role, long offset, int limit) {
        String where = " WHERE project_id = :project AND role = CAST(:role AS machine_role) AND state = 'ALLOCATED'";
        return db.sql("SELECT *, role::text AS role_name, count(*) OVER () AS total FROM machine" + where
                        + " ORDER BY allocated_at, id OFFSET :offset LIMIT :limit")
                .bind("project", project.value()).bind("role", role.name()).bind("offset", offset).bind("limit", limit)
                .map((row, meta) -> Map.entry(row.get("total", Long.class), row(row))).all().collectList()
                .flatMap(rows -> Slice.of(rows, offset, db.sql("SELECT count(*) AS n FROM machine" + where)
                        .bind("project", project.value()).bind("role", role.name())
                        .map((row, meta) -> row.get("n", Long.class)).one()));
    }

    /**
     * The machines' networks with their addresses in each (IPv4 first), private before shared before external, by
     * machine.
     */
    public Flux<Map.Entry<UUID, Machine.Attachment>> attachments(Collection<UUID> machines) {
        return db.sql("""
                        SELECT i.machine_id, n.id, n.name, n.type::text AS type, n.project_id, n.nat_type::text AS nat,
                               array_agg(host(i.address) ORDER BY family(i.address), i.address) AS ips
                        FROM ip i JOIN network n ON n.id = i.network_id
                        WHERE i.machine_id = ANY(:machines)
                        GROUP BY i.machine_id, n.id
                        ORDER BY i.machine_id, array_position(ARRAY['CHILD', 'CHILD_SHARED', 'EXTERNAL']::text[], n.type::text), n.name, n.id""")
                .bind("machines", machines.toArray(UUID[]::new))
                .map((row, meta) -> Map.entry(row.get("machine_id", UUID.class), new Machine.Attachment(new NetworkId(row.get("id", UUID.class)),
                        row.get("name", String.class), NetworkType.valueOf(row.get("type", String.class)), row.get("project_id", String.class),
                        NatType.ofNullable(row.get("nat", String.class)),
                        List.of(row.get("ips", String[].class)), false)))
                .all();
    }

    /**
     * For each of the networks where the project has a firewall: the name of its first (M4: machines there go out
     * through it).
     */
    public Mono<Map<UUID, String>> projectFirewallsIn(ProjectId project, Collection<UUID> networks) {
        return db.sql("""
                        SELECT DISTINCT ON (i.network_id) i.network_id, m.name FROM ip i JOIN machine m ON m.id = i.machine_id
                        WHERE i.network_id = ANY(:networks) AND m.project_id = :project AND m.role = 'FIREWALL'
                        ORDER BY i.network_id, m.allocated_at, m.id""")
                .bind("networks", networks.toArray(UUID[]::new)).bind("project", project.value())
                .map((row, meta) -> Map.entry(row.get("network_id", UUID.class), row.get("name", String.class)))
                .all().collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    private static Row row(Readable row) {
        return new Row(row.get("id", UUID.class), row.get("name", String.class), new ProjectId(row.get("project_id", String.class)),
                row.get("partition_id", String.class), row.get("size", String.class),
                Machine.Role.valueOf(row.get("role_name", String.class)), row.get("primary_network", UUID.class),
                row.get("agent_secret", String.class),
                row.get("allocated_at", OffsetDateTime.class), row.get("asn", Long.class));
    }
}
