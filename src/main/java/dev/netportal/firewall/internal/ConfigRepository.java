package dev.netportal.firewall.internal;

import dev.netportal.common.NatType;
import dev.netportal.common.Slice;
import dev.netportal.firewall.FirewallConfig;
import dev.netportal.firewall.FleetEntry;
import dev.netportal.firewall.Revision;
import dev.netportal.firewall.SyncState;
import dev.netportal.firewall.SyncStatus;
import dev.netportal.firewall.render.FirewallInput;
import dev.netportal.network.NetworkType;
import io.r2dbc.spi.Readable;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** SQL for what firewall configurations are rendered from, their revisions and their sync state. */
@Repository
public class ConfigRepository {

    /** One network of a firewall, as the renderer needs it. */
    public record Leg(UUID network, String name, NetworkType type, String project, int vrf, NatType natType,
                      List<String> prefixes, List<String> ips, List<String> destinations) {
    }

    /**
     * The firewall's name, project, primary network, AS number, and its partition's fabric settings; empty if it is
     * not an allocated firewall.
     */
    public record Head(String name, String project, UUID primaryNetwork, long asn, FirewallInput.Fabric fabric) {
    }

    /** What a head is read from: the firewall's row and its partition's fabric settings. */
    private static final String HEAD = """
            SELECT m.id, m.name, m.project_id, m.primary_network, m.asn, p.bgp_keepalive, p.bgp_hold_time,
                   p.external_export::text AS external_export
            FROM machine m JOIN partition p ON p.id = m.partition_id
            WHERE m.role = 'FIREWALL' AND m.state = 'ALLOCATED'""";

    private static Head head(Readable row) {
        return new Head(row.get("name", String.class), row.get("project_id", String.class),
                row.get("primary_network", UUID.class), row.get("asn", Long.class),
                new FirewallInput.Fabric(row.get("bgp_keepalive", Integer.class), row.get("bgp_hold_time", Integer.class),
                        "NO_EXPORT".equals(row.get("external_export", String.class))));
    }

    private final DatabaseClient db;

    ConfigRepository(DatabaseClient db) {
        this.db = db;
    }

    /**
     * The firewall's name, project, primary network, AS number and its partition's fabric settings, its row locked:
     * renderings of one firewall happen one after the other.
     */
    public Mono<Head> head(UUID firewall) {
        return head(firewall, true);
    }

    /** The same ({@link Head}), the row locked or only read (for a preview that stores nothing). */
    public Mono<Head> head(UUID firewall, boolean lock) {
        // only the firewall's row is locked: a partition change renders its firewalls with the partition's row locked
        return db.sql(HEAD + " AND m.id = :id" + (lock ? " FOR UPDATE OF m" : ""))
                .bind("id", firewall)
                .map((row, meta) -> head(row)).first();
    }

    public Flux<Leg> legs(UUID firewall) {
        return legs(List.of(firewall)).map(Map.Entry::getValue);
    }

    /** The networks of each of the firewalls, by firewall, in VRF order (one query for all). */
    public Flux<Map.Entry<UUID, Leg>> legs(List<UUID> firewalls) {
        return db.sql("""
                        SELECT i.machine_id, n.id, n.name, n.type::text AS type, n.project_id, n.vrf, n.nat_type::text AS nat,
                               array_agg(i.prefix::text ORDER BY family(i.address)) AS prefixes,
                               array_agg(host(i.address) ORDER BY family(i.address)) AS ips,
                               array(SELECT d.prefix::text FROM external_destination d WHERE d.network_id = n.id
                                     ORDER BY family(d.prefix), d.prefix) AS destinations
                        FROM ip i JOIN network n ON n.id = i.network_id
                        WHERE i.machine_id = ANY(:firewalls)
                        GROUP BY i.machine_id, n.id
                        ORDER BY i.machine_id, n.vrf""")
                .bind("firewalls", firewalls.toArray(UUID[]::new))
                .map((row, meta) -> Map.entry(row.get("machine_id", UUID.class), new Leg(row.get("id", UUID.class),
                        row.get("name", String.class), NetworkType.valueOf(row.get("type", String.class)),
                        row.get("project_id", String.class), row.get("vrf", Integer.class),
                        NatType.ofNullable(row.get("nat", String.class)), List.of(row.get("prefixes", String[].class)),
                        List.of(row.get("ips", String[].class)), List.of(row.get("destinations", String[].class)))))
                .all();
    }

    /**
     * The names and projects of those of the firewalls that are allocated, by firewall; with {@code lock} their rows
     * locked in id order (as {@link #lockFirewallsIn} and every single rendering lock them), so that renderings of
     * one firewall happen one after the other and no two transactions deadlock.
     */
    public Flux<Map.Entry<UUID, Head>> heads(List<UUID> firewalls, boolean lock) {
        return db.sql(HEAD + " AND m.id = ANY(:ids) ORDER BY m.id" + (lock ? " FOR UPDATE OF m" : ""))
                .bind("ids", firewalls.toArray(UUID[]::new))
                .map((row, meta) -> Map.entry(row.get("id", UUID.class), head(row)))
                .all();
    }

    /**
     * The machine's newest revision, and whether it belongs to the current allocation: a freed firewall's sync row
     * is gone, so a revision without one is an earlier tenant's (or the same tenant's earlier allocation).
     */
    public Mono<Latest> latest(UUID firewall) {
        return db.sql("""
                        SELECT c.revision, c.hash, s.firewall_id IS NOT NULL AS current
                        FROM firewall_config c LEFT JOIN firewall_sync s ON s.firewall_id = c.firewall_id
                        WHERE c.firewall_id = :id ORDER BY c.revision DESC LIMIT 1""")
                .bind("id", firewall)
                .map((row, meta) -> new Latest(row.get("revision", Integer.class), row.get("hash", String.class),
                        Boolean.TRUE.equals(row.get("current", Boolean.class)))).first();
    }

    public record Latest(int revision, String hash, boolean current) {
    }

    /** {@link #latest(UUID)} of each of the firewalls that has a revision, by firewall (one query for all). */
    public Flux<Map.Entry<UUID, Latest>> latest(List<UUID> firewalls) {
        return db.sql("""
                        SELECT f.id, c.revision, c.hash, s.firewall_id IS NOT NULL AS current
                        FROM unnest(CAST(:ids AS uuid[])) AS f(id)
                        CROSS JOIN LATERAL (SELECT revision, hash FROM firewall_config
                                            WHERE firewall_id = f.id ORDER BY revision DESC LIMIT 1) c
                        LEFT JOIN firewall_sync s ON s.firewall_id = f.id""")
                .bind("ids", firewalls.toArray(UUID[]::new))
                .map((row, meta) -> Map.entry(row.get("id", UUID.class), new Latest(row.get("revision", Integer.class),
                        row.get("hash", String.class), Boolean.TRUE.equals(row.get("current", Boolean.class)))))
                .all();
    }

    /** Stores a revision and makes it the desired one; the agent's applied revision stays as it is. */
    public Mono<Void> store(UUID firewall, int revision, String hash, String frr, String nftables, String cause,
            String actorName) {
        return db.sql("""
                        INSERT INTO firewall_config (firewall_id, revision, hash, frr, nftables, cause, actor_name)
                        VALUES (:id, :revision, :hash, :frr, :nftables, :cause, :actor)""")
                .bind("id", firewall).bind("revision", revision).bind("hash", hash).bind("frr", frr).bind("nftables", nftables)
                .bind("cause", cause).bind("actor", actorName)
                .then()
                .then(db.sql("""
                                INSERT INTO firewall_sync (firewall_id, desired_revision) VALUES (:id, :revision)
                                ON CONFLICT (firewall_id) DO UPDATE SET desired_revision = EXCLUDED.desired_revision,
                                       state = 'PENDING', attempts = 0, next_attempt_at = now(), last_failure = NULL""")
                        .bind("id", firewall).bind("revision", revision).then());
    }

    /** A new revision of one firewall, as {@link #storeAll} stores it. */
    public record NewRevision(UUID firewall, int revision, String hash, String frr, String nftables) {
    }

    /**
     * {@link #store} for many firewalls with one statement for the revisions and one for the sync rows (written in
     * firewall id order, as the firewalls were locked).
     */
    public Mono<Void> storeAll(List<NewRevision> revisions, String cause, String actorName) {
        if (revisions.isEmpty()) {
            return Mono.empty();
        }
        List<NewRevision> sorted = revisions.stream().sorted(java.util.Comparator.comparing(NewRevision::firewall)).toList();
        UUID[] ids = sorted.stream().map(NewRevision::firewall).toArray(UUID[]::new);
        Integer[] numbers = sorted.stream().map(NewRevision::revision).toArray(Integer[]::new);
        return db.sql("""
                        INSERT INTO firewall_config (firewall_id, revision, hash, frr, nftables, cause, actor_name)
                        SELECT id, revision, hash, frr, nftables, :cause, :actor
                        FROM unnest(CAST(:ids AS uuid[]), CAST(:revisions AS integer[]), CAST(:hashes AS text[]),
                                    CAST(:frr AS text[]), CAST(:nftables AS text[])) AS r(id, revision, hash, frr, nftables)""")
                .bind("ids", ids).bind("revisions", numbers)
                .bind("hashes", sorted.stream().map(NewRevision::hash).toArray(String[]::new))
                .bind("frr", sorted.stream().map(NewRevision::frr).toArray(String[]::new))
                .bind("nftables", sorted.stream().map(NewRevision::nftables).toArray(String[]::new))
                .bind("cause", cause).bind("actor", actorName)
                .then()
                .then(db.sql("""
                                INSERT INTO firewall_sync (firewall_id, desired_revision)
                                SELECT id, revision FROM unnest(CAST(:ids AS uuid[]), CAST(:revisions AS integer[])) AS r(id, revision)
                                ORDER BY id
                                ON CONFLICT (firewall_id) DO UPDATE SET desired_revision = EXCLUDED.desired_revision,
                                       state = 'PENDING', attempts = 0, next_attempt_at = now(), last_failure = NULL""")
                        .bind("ids", ids).bind("revisions", numbers).then());
    }

    /** The allocated firewalls of a partition, by id. */
    public Flux<UUID> firewallsInPartition(String partition) {
        return db.sql("SELECT id FROM machine WHERE partition_id = :partition AND role = 'FIREWALL' AND state = 'ALLOCATED' ORDER BY id")
                .bind("partition", partition).map((row, meta) -> row.get("id", UUID.class)).all();
    }

    /** Every allocated firewall, by id. */
    public Flux<UUID> allocatedFirewalls() {
        return db.sql("SELECT id FROM machine WHERE role = 'FIREWALL' AND state = 'ALLOCATED' ORDER BY id")
                .map((row, meta) -> row.get("id", UUID.class)).all();
    }

    /** Locks the allocated firewalls with an address in the network, in id order, until the transaction ends. */
    public Mono<Void> lockFirewallsIn(UUID network) {
        return db.sql("""
                        SELECT m.id FROM machine m
                        WHERE m.id IN (SELECT i.machine_id FROM ip i WHERE i.network_id = :network)
                          AND m.role = 'FIREWALL' AND m.state = 'ALLOCATED'
                        ORDER BY m.id FOR UPDATE""")
                .bind("network", network).map((row, meta) -> row.get("id", UUID.class)).all().then();
    }

    public Flux<UUID> firewallsIn(UUID network) {
        return db.sql("""
                        SELECT DISTINCT m.id FROM ip i JOIN machine m ON m.id = i.machine_id
                        WHERE i.network_id = :network AND m.role = 'FIREWALL' ORDER BY m.id""")
                .bind("network", network).map((row, meta) -> row.get("id", UUID.class)).all();
    }

    /**
     * Drops a freed firewall's sync state. Its revisions stay, so that the machine's next firewall continues the
     * numbering: an agent never sees a "new" revision 1 below the one it runs.
     */
    public Mono<Void> forget(UUID firewall) {
        return db.sql("DELETE FROM firewall_sync WHERE firewall_id = :id").bind("id", firewall).then();
    }

    public Mono<FirewallConfig> current(UUID firewall) {
        return db.sql("""
                        SELECT c.revision, c.hash, c.frr, c.nftables, s.applied_revision, s.state::text AS state, s.last_error,
                               s.next_attempt_at, (s.agent_stream IS NOT NULL AND s.agent_seen_at > now() - interval '2 minutes') AS connected, s.agent_seen_at,
                               s.agent_refusal, s.agent_refused_at
                        FROM firewall_config c JOIN firewall_sync s ON s.firewall_id = c.firewall_id
                        WHERE c.firewall_id = :id ORDER BY c.revision DESC LIMIT 1""")
                .bind("id", firewall)
                .map((row, meta) -> new FirewallConfig(row.get("revision", Integer.class), row.get("hash", String.class),
                        row.get("frr", String.class), row.get("nftables", String.class),
                        row.get("applied_revision", Integer.class), SyncStatus.valueOf(row.get("state", String.class)),
                        row.get("last_error", String.class), row.get("next_attempt_at", OffsetDateTime.class),
                        Boolean.TRUE.equals(row.get("connected", Boolean.class)), row.get("agent_seen_at", OffsetDateTime.class),
                        row.get("agent_refusal", String.class), row.get("agent_refused_at", OffsetDateTime.class)))
                .first();
    }

    /**
     * The firewall's revisions since its allocation, newest first (earlier firewalls on the same machine kept
     * theirs, for the numbering, but they are not this firewall's history).
     */
    public Mono<Slice<Revision>> history(UUID firewall, long offset, int limit) {
        return db.sql("""
                        SELECT c.revision, c.hash, c.frr, c.nftables, c.cause, c.actor_name, c.created_at,
                               count(*) OVER () AS total
                        FROM firewall_config c JOIN machine m ON m.id = c.firewall_id
                        WHERE c.firewall_id = :id AND c.created_at >= m.allocated_at
                        ORDER BY c.revision DESC OFFSET :offset LIMIT :limit""")
                .bind("id", firewall).bind("offset", offset).bind("limit", limit)
                .map((row, meta) -> Map.entry(row.get("total", Long.class), revision(row))).all().collectList()
                .flatMap(rows -> Slice.of(rows, offset, db.sql("""
                                SELECT count(*) AS n FROM firewall_config c JOIN machine m ON m.id = c.firewall_id
                                WHERE c.firewall_id = :id AND c.created_at >= m.allocated_at""")
                        .bind("id", firewall).map((row, meta) -> row.get("n", Long.class)).one()));
    }

    /** One stored revision of the firewall since its allocation (an earlier tenant's stay theirs). */
    public Mono<Revision> revision(UUID firewall, int revision) {
        return db.sql("""
                        SELECT c.revision, c.hash, c.frr, c.nftables, c.cause, c.actor_name, c.created_at
                        FROM firewall_config c JOIN machine m ON m.id = c.firewall_id
                        WHERE c.firewall_id = :id AND c.revision = :revision AND c.created_at >= m.allocated_at""")
                .bind("id", firewall).bind("revision", revision)
                .map((row, meta) -> revision(row)).first();
    }

    private static Revision revision(io.r2dbc.spi.Readable row) {
        return new Revision(row.get("revision", Integer.class), row.get("hash", String.class), row.get("frr", String.class),
                row.get("nftables", String.class), row.get("cause", String.class), row.get("actor_name", String.class),
                row.get("created_at", OffsetDateTime.class));
    }

    /** The sync states of the given firewalls (those without a configuration are missing). */
    public Flux<Map.Entry<UUID, SyncState>> sync(List<UUID> firewalls) {
        return db.sql("""
                        SELECT firewall_id, state::text AS state, desired_revision, applied_revision FROM firewall_sync
                        WHERE firewall_id = ANY(:ids)""")
                .bind("ids", firewalls.toArray(UUID[]::new))
                .map((row, meta) -> Map.entry(row.get("firewall_id", UUID.class), new SyncState(SyncStatus.valueOf(row.get("state", String.class)),
                        row.get("desired_revision", Integer.class), row.get("applied_revision", Integer.class))))
                .all();
    }

    /** A stretch of the allocated firewalls with their sync states, those not in sync first, or only those. */
    public Mono<Slice<FleetEntry>> fleet(boolean notInSyncOnly, long offset, int limit) {
        return db.sql("""
                        SELECT m.id, m.name, m.project_id, m.partition_id, s.desired_revision, s.applied_revision,
                               s.state::text AS state, s.last_failure, s.next_attempt_at, (s.agent_stream IS NOT NULL AND s.agent_seen_at > now() - interval '2 minutes') AS connected,
                               s.agent_seen_at,
                               count(*) OVER () AS total
                        FROM machine m JOIN firewall_sync s ON s.firewall_id = m.id
                        WHERE m.role = 'FIREWALL' AND m.state = 'ALLOCATED'
                          AND (NOT :notInSync OR s.state <> 'IN_SYNC')
                        ORDER BY s.state = 'IN_SYNC', s.state = 'PENDING', m.project_id, m.name, m.id
                        OFFSET :offset LIMIT :limit""")
                .bind("notInSync", notInSyncOnly).bind("offset", offset).bind("limit", limit)
                .map((row, meta) -> Map.entry(row.get("total", Long.class), new FleetEntry(row.get("id", UUID.class),
                        row.get("name", String.class), row.get("project_id", String.class), row.get("partition_id", String.class),
                        row.get("desired_revision", Integer.class), row.get("applied_revision", Integer.class),
                        SyncStatus.valueOf(row.get("state", String.class)), row.get("last_failure", String.class),
                        row.get("next_attempt_at", OffsetDateTime.class), Boolean.TRUE.equals(row.get("connected", Boolean.class)),
                        row.get("agent_seen_at", OffsetDateTime.class))))
                .all().collectList()
                .flatMap(rows -> Slice.of(rows, offset, fleetCounts().map(counts -> counts.entrySet().stream()
                        .filter(count -> !notInSyncOnly || count.getKey() != SyncStatus.IN_SYNC)
                        .mapToLong(Map.Entry::getValue).sum())));
    }

    /** How many allocated firewalls are in each sync state. */
    public Mono<Map<SyncStatus, Long>> fleetCounts() {
        return db.sql("""
                        SELECT s.state::text AS state, count(*) AS n FROM machine m JOIN firewall_sync s ON s.firewall_id = m.id
                        WHERE m.role = 'FIREWALL' AND m.state = 'ALLOCATED' GROUP BY s.state""")
                .map((row, meta) -> Map.entry(SyncStatus.valueOf(row.get("state", String.class)), row.get("n", Long.class)))
                .all().collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }
}
