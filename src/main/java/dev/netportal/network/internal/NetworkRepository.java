package dev.netportal.network.internal;

import dev.netportal.audit.AuditLog;
import dev.netportal.common.NatType;
import dev.netportal.common.Slice;
import dev.netportal.identity.ProjectId;
import dev.netportal.ipam.Address;
import dev.netportal.ipam.Family;
import dev.netportal.ipam.Prefix;
import dev.netportal.ipam.Range;
import dev.netportal.network.IpAddress;
import dev.netportal.network.IpKind;
import dev.netportal.network.Network;
import dev.netportal.network.NetworkId;
import dev.netportal.network.NetworkType;
import dev.netportal.partition.PartitionId;
import io.r2dbc.spi.Readable;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** SQL for networks, their prefixes, the free lists and IP addresses (docs/decisions/002-ipam-allocation.md). */
@Repository
public class NetworkRepository {

    /** A free block of a pool. */
    public record FreeBlock(Prefix block, UUID pool) {
    }

    private static final String NETWORK_VIEW = """
            SELECT n.id, n.name, n.project_id, n.partition_id, n.type::text AS type, n.nat_type::text AS nat_type,
                   n.vrf, n.description, n.created_at,
                   array(SELECT np.prefix::text FROM network_prefix np WHERE np.network_id = n.id
                         ORDER BY family(np.prefix), np.prefix) AS prefixes,
                   array(SELECT key FROM jsonb_each_text(n.labels) ORDER BY key) AS label_keys,
                   array(SELECT value FROM jsonb_each_text(n.labels) ORDER BY key) AS label_values,
                   coalesce((SELECT np.allocated FROM network_prefix np
                             WHERE np.network_id = n.id AND family(np.prefix) = 4), 0) AS allocated,
                   coalesce((SELECT np.allocated FROM network_prefix np
                             WHERE np.network_id = n.id AND family(np.prefix) = 6), 0) AS allocated_v6
            FROM network n
            """;

    private final DatabaseClient db;
    private final FreeRanges freeRanges;
    private final JsonMapper json;

    NetworkRepository(DatabaseClient db, JsonMapper json, FreeRanges freeRanges) {
        this.db = db;
        this.freeRanges = freeRanges;
        this.json = json;
    }

    public Mono<Network> find(UUID id) {
        return db.sql(NETWORK_VIEW + " WHERE n.id = :id").bind("id", id).map(NetworkRepository::network).first();
    }

    /**
     * A stretch of every project's networks (not pools or external networks), by partition and age, and how many
     * there are: only those of {@code partition} when given, and only those whose name (in lower case), project or
     * a prefix contains {@code text} when it is not empty.
     */
    public Mono<Slice<Network>> allOfProjects(String partition, String text, long offset, int limit) {
        String where = """
                WHERE n.project_id IS NOT NULL AND (CAST(:partition AS text) IS NULL OR n.partition_id = :partition)
                  AND (:text = '' OR strpos(lower(n.name), :text) > 0 OR strpos(n.project_id, :text) > 0
                       OR EXISTS (SELECT 1 FROM network_prefix np WHERE np.network_id = n.id AND strpos(np.prefix::text, :text) > 0))""";
        Parameter wanted = Parameter.fromOrEmpty(partition, String.class);
        return db.sql("WITH page AS (SELECT n.id, count(*) OVER () AS total FROM network n " + where
                        + " ORDER BY n.partition_id, n.created_at, n.id OFFSET :offset LIMIT :limit)"
                        + " SELECT q.*, page.total FROM (" + NETWORK_VIEW + " WHERE n.id IN (SELECT id FROM page)) q"
                        + " JOIN page ON page.id = q.id ORDER BY q.partition_id, q.created_at, q.id")
                .bind("partition", wanted).bind("text", text).bind("offset", offset).bind("limit", limit)
                .map((row, meta) -> Map.entry(row.get("total", Long.class), network(row))).all().collectList()
                .flatMap(rows -> Slice.of(rows, offset, db.sql("SELECT count(*) AS n FROM network n " + where)
                        .bind("partition", wanted).bind("text", text).map((row, meta) -> row.get("n", Long.class)).one()));
    }

    /** A stretch of the project's networks, oldest first. */
    public Flux<Network> ofProject(ProjectId project, long offset, int limit) {
        return db.sql(NETWORK_VIEW + " WHERE n.project_id = :project ORDER BY n.created_at, n.id OFFSET :offset LIMIT :limit")
                .bind("project", project.value()).bind("offset", offset).bind("limit", limit)
                .map(NetworkRepository::network).all();
    }

    public Mono<Long> countOfProject(ProjectId project) {
        return db.sql("SELECT count(*) AS n FROM network WHERE project_id = :project").bind("project", project.value())
                .map((row, meta) -> row.get("n", Long.class)).first();
    }

    public Flux<Network> ofProject(ProjectId project) {
        return db.sql(NETWORK_VIEW + " WHERE n.project_id = :project ORDER BY n.created_at, n.id")
                .bind("project", project.value()).map(NetworkRepository::network).all();
    }

    /** Serialises child-prefix allocation in a partition (the lock is held until the transaction ends). */
    public Mono<Void> lockPartition(String partition) {
        return db.sql("SELECT id FROM partition WHERE id = :id FOR UPDATE").bind("id", partition).fetch().first().then();
    }

    /** Serialises IP allocation in a network (the lock is held until the transaction ends). */
    public Mono<Void> lockNetwork(UUID network) {
        return db.sql("SELECT id FROM network WHERE id = :id FOR UPDATE").bind("id", network).fetch().first().then();
    }

    /** Turns a private network into a shared one with the consumers' NAT type (S3); answers whether it did. */
    public Mono<Boolean> promote(UUID network, NatType natType) {
        return db.sql("""
                        UPDATE network SET type = 'CHILD_SHARED', nat_type = CAST(:nat AS nat_type)
                        WHERE id = :id AND type = 'CHILD'""")
                .bind("id", network).bind("nat", natType.name())
                .fetch().rowsUpdated().map(rows -> rows == 1);
    }

    /**
     * The lowest free block of the partition's pools of that family that can hold a prefix of {@code length}: one
     * index probe per block length, the lowest address wins (first fit).
     */
    public Mono<FreeBlock> firstFreeBlock(String partition, int family, int length) {
        return db.sql("""
                        SELECT b.block::text AS block, b.pool_id
                        FROM generate_series(0, :length) AS m(len)
                        CROSS JOIN LATERAL (
                            SELECT f.block, f.pool_id FROM prefix_free_block f
                            WHERE f.partition_id = :partition AND family(f.block) = :family AND masklen(f.block) = m.len
                            ORDER BY f.block LIMIT 1) b
                        ORDER BY b.block LIMIT 1""")
                .bind("partition", partition).bind("family", family).bind("length", length)
                .map((row, meta) -> new FreeBlock(Prefix.parse(row.get("block", String.class)), row.get("pool_id", UUID.class)))
                .first();
    }

    public Mono<Void> replaceFreeBlock(String partition, FreeBlock taken, List<Prefix> stillFree) {
        return db.sql("DELETE FROM prefix_free_block WHERE partition_id = :partition AND block = CAST(:block AS cidr)")
                .bind("partition", partition).bind("block", taken.block().toString()).then()
                .thenMany(Flux.fromIterable(stillFree).concatMap(block -> db.sql("""
                                INSERT INTO prefix_free_block (partition_id, pool_id, block)
                                VALUES (:partition, :pool, CAST(:block AS cidr))""")
                        .bind("partition", partition).bind("pool", taken.pool()).bind("block", block.toString()).then()))
                .then();
    }

    /** Whether any IP is allocated in the network. */
    /** Whether a share request for the network waits for a decision (N3: such a network is not deleted). */
    public Mono<Boolean> hasPendingShareRequest(UUID network) {
        return db.sql("SELECT 1 FROM share_request WHERE network_id = :id AND status = 'PENDING'").bind("id", network)
                .map((row, meta) -> true).first().defaultIfEmpty(false);
    }

    /** A machine or firewall with an IP in the network, as "machine db-1" or "firewall edge"; empty if none. */
    /**
     * Who uses the network: the first machine or firewall of the given project there ("machine db-1"), and how many
     * machines of other projects are there (only counted: V1 keeps their names from the network's owner).
     */
    public Mono<Users> users(UUID network, ProjectId project) {
        return db.sql("""
                        SELECT (SELECT lower(m.role::text) || ' ' || m.name FROM ip i JOIN machine m ON m.id = i.machine_id
                                WHERE i.network_id = :network AND m.project_id = :project
                                ORDER BY m.allocated_at LIMIT 1) AS own,
                               (SELECT count(DISTINCT m.id) FROM ip i JOIN machine m ON m.id = i.machine_id
                                WHERE i.network_id = :network AND m.project_id <> :project) AS others""")
                .bind("network", network).bind("project", project.value())
                .map((row, meta) -> new Users(row.get("own", String.class), row.get("others", Long.class))).first();
    }

    /** See {@link #users}. */
    public record Users(String own, long others) {
    }

    public Mono<Boolean> hasIps(UUID network) {
        return db.sql("SELECT EXISTS (SELECT 1 FROM ip WHERE network_id = :network) AS used").bind("network", network)
                .map((row, meta) -> Boolean.TRUE.equals(row.get("used", Boolean.class))).first();
    }

    /** Deletes a network with its prefixes and free runs; its VRF id is gone with it. */
    public Mono<Void> deleteNetwork(UUID network) {
        return db.sql("DELETE FROM network WHERE id = :id").bind("id", network).then();
    }

    /** The pool (and its prefix) of the partition that holds a child prefix. */
    public Mono<FreeBlock> poolHolding(String partition, Prefix child) {
        return db.sql("""
                        SELECT np.prefix::text AS prefix, n.id FROM network n JOIN network_prefix np ON np.network_id = n.id
                        WHERE n.partition_id = :partition AND n.type = 'SUPER' AND np.prefix >>= CAST(:child AS cidr)""")
                .bind("partition", partition).bind("child", child.toString())
                .map((row, meta) -> new FreeBlock(Prefix.parse(row.get("prefix", String.class)), row.get("id", UUID.class)))
                .first();
    }

    /** Whether a block is free in the partition. */
    public Mono<Boolean> isFree(String partition, Prefix block) {
        return db.sql("SELECT EXISTS (SELECT 1 FROM prefix_free_block WHERE partition_id = :partition AND block = CAST(:block AS cidr)) AS free")
                .bind("partition", partition).bind("block", block.toString())
                .map((row, meta) -> Boolean.TRUE.equals(row.get("free", Boolean.class))).first();
    }

    public Mono<Void> deleteFreeBlock(String partition, Prefix block) {
        return db.sql("DELETE FROM prefix_free_block WHERE partition_id = :partition AND block = CAST(:block AS cidr)")
                .bind("partition", partition).bind("block", block.toString()).then();
    }

    public Mono<Void> insertFreeBlock(String partition, UUID pool, Prefix block) {
        return db.sql("INSERT INTO prefix_free_block (partition_id, pool_id, block) VALUES (:partition, :pool, CAST(:block AS cidr))")
                .bind("partition", partition).bind("pool", pool).bind("block", block.toString()).then();
    }

    public Mono<Void> insertNetwork(UUID id, ProjectId project, String partition, String name, String description,
            Map<String, String> labels) {
        return db.sql("""
                        INSERT INTO network (id, partition_id, project_id, type, name, description, labels, vrf)
                        VALUES (:id, :partition, :project, 'CHILD', :name, :description, CAST(:labels AS jsonb), nextval('vrf_id'))""")
                .bind("id", id).bind("partition", partition).bind("project", project.value())
                .bind("name", name).bind("description", description).bind("labels", json.writeValueAsString(labels))
                .then();
    }

    /** Changes what may change (N2); partition, prefixes, VRF and type are not touched here. */
    public Mono<Void> updateNetwork(UUID id, String name, String description, Map<String, String> labels) {
        return db.sql("UPDATE network SET name = :name, description = :description, labels = CAST(:labels AS jsonb) WHERE id = :id")
                .bind("id", id).bind("name", name).bind("description", description)
                .bind("labels", json.writeValueAsString(labels))
                .then();
    }

    /** A child prefix of a network, with its allocatable range as the first free run. */
    public Mono<Void> insertChildPrefix(UUID network, String partition, Prefix prefix) {
        return db.sql("""
                        INSERT INTO network_prefix (network_id, partition_id, layer, prefix)
                        VALUES (:network, :partition, 'CHILD', CAST(:prefix AS cidr))""")
                .bind("network", network).bind("partition", partition).bind("prefix", prefix.toString())
                .then()
                .then(Mono.justOrEmpty(prefix.allocatable()).flatMap(range -> freeRanges.insert(network, prefix, range)));
    }

    /** The free run that ends at the given address. */
    public Mono<Range> runEndingAt(UUID network, Prefix prefix, Address last) {
        return runWhere("last", network, prefix, last);
    }

    /** The free run that starts at the given address. */
    public Mono<Range> runStartingAt(UUID network, Prefix prefix, Address first) {
        return runWhere("first", network, prefix, first);
    }

    private Mono<Range> runWhere(String end, UUID network, Prefix prefix, Address address) {
        return db.sql("SELECT host(first) AS first, host(last) AS last FROM ip_free_range "
                        + "WHERE network_id = :network AND prefix = CAST(:prefix AS cidr) AND " + end + " = CAST(:address AS inet)")
                .bind("network", network).bind("prefix", prefix.toString()).bind("address", address.toString())
                .map(NetworkRepository::range).first();
    }

    /** Adds a run of free addresses (a released address, merged with its free neighbours). */
    public Mono<Void> insertRun(UUID network, Prefix prefix, Range run) {
        return freeRanges.insert(network, prefix, run);
    }

    public Mono<Void> deleteRun(UUID network, Prefix prefix, Range run) {
        return db.sql("DELETE FROM ip_free_range WHERE network_id = :network AND prefix = CAST(:prefix AS cidr) AND first = CAST(:first AS inet)")
                .bind("network", network).bind("prefix", prefix.toString()).bind("first", run.first().toString())
                .then();
    }

    /**
     * What {@link #allocateIp} or {@link #reserveIp} did: {@code ok} with the address, {@code quota} with the quota,
     * {@code full}, {@code taken}; {@code gone} (reserveIp only) when the network no longer exists.
     */
    public record Allocation(String outcome, Integer quota, IpAddress ip) {
    }

    /**
     * Takes the lowest free address of the prefix, or the wanted one, in one call to the database (function
     * {@code ip_allocate}: network lock, quota, free run, IP row and usage counter).
     */
    public Mono<Allocation> allocateIp(UUID network, Prefix prefix, Address wanted, ProjectId project, IpKind kind,
            String name, String description, UUID machine) {
        return db.sql("""
                        SELECT outcome, quota, host(address) AS ip, created_at
                        FROM ip_allocate(:network, CAST(:prefix AS cidr), CAST(:wanted AS inet), :project,
                                         CAST(:kind AS ip_kind), :name, :description, :machine)""")
                .bind("machine", Parameter.fromOrEmpty(machine, UUID.class))
                .bind("network", network).bind("prefix", prefix.toString())
                .bind("wanted", Parameter.fromOrEmpty(wanted == null ? null : wanted.toString(), String.class))
                .bind("project", project.value()).bind("kind", kind.name())
                .bind("name", Parameter.fromOrEmpty(name, String.class)).bind("description", description)
                .map((row, meta) -> {
                    String ip = row.get("ip", String.class);
                    return new Allocation(row.get("outcome", String.class), row.get("quota", Integer.class),
                            ip == null ? null : new IpAddress(Address.parse(ip), new NetworkId(network), project, kind, name, description,
                                    row.get("created_at", java.time.OffsetDateTime.class)));
                })
                .first();
    }

    /**
     * Reserves a static IP, the lowest free one of the prefix or the wanted one, and writes its audit event, in one
     * statement (function {@code ip_reserve}, migration V13): called outside a transaction, the statement is the
     * transaction, and the network stays locked only while the server runs it. The event's object id is
     * {@code audit.objectId()} followed by the address, its {@code after} gets the address as {@code ip}.
     */
    public Mono<Allocation> reserveIp(UUID network, Prefix prefix, Address wanted, ProjectId project, String name,
            String description, AuditLog.Columns audit) {
        return db.sql("""
                        SELECT outcome, quota, host(address) AS ip, created_at
                        FROM ip_reserve(:network, CAST(:prefix AS cidr), CAST(:wanted AS inet), :project, :name, :description,
                                        :subject, :actor, :action, :type, :idPrefix, :partition, CAST(:after AS jsonb), :requestId)""")
                .bind("network", network).bind("prefix", prefix.toString())
                .bind("wanted", Parameter.fromOrEmpty(wanted == null ? null : wanted.toString(), String.class))
                .bind("project", project.value())
                .bind("name", Parameter.fromOrEmpty(name, String.class)).bind("description", description)
                .bind("subject", audit.subject()).bind("actor", audit.name()).bind("action", audit.action())
                .bind("type", audit.objectType()).bind("idPrefix", audit.objectId())
                .bind("partition", Parameter.fromOrEmpty(audit.partition(), String.class))
                .bind("after", Parameter.fromOrEmpty(audit.after(), String.class))
                .bind("requestId", Parameter.fromOrEmpty(audit.requestId(), String.class))
                .map((row, meta) -> {
                    String ip = row.get("ip", String.class);
                    return new Allocation(row.get("outcome", String.class), row.get("quota", Integer.class),
                            ip == null ? null : new IpAddress(Address.parse(ip), new NetworkId(network), project, IpKind.STATIC,
                                    name, description, row.get("created_at", java.time.OffsetDateTime.class)));
                })
                .first();
    }

    private Mono<Void> countAllocated(UUID network, Prefix prefix, int delta) {
        return db.sql("UPDATE network_prefix SET allocated = allocated + :delta WHERE network_id = :network AND prefix = CAST(:prefix AS cidr)")
                .bind("delta", delta).bind("network", network).bind("prefix", prefix.toString()).then();
    }

    /** The networks a machine has IPs in, by id (the order in which to lock them). */
    public Flux<UUID> machineNetworks(UUID machine) {
        return db.sql("SELECT DISTINCT network_id FROM ip WHERE machine_id = :machine ORDER BY network_id").bind("machine", machine)
                .map((row, meta) -> row.get("network_id", UUID.class)).all();
    }

    /** Deletes a machine's IPs and answers them (network, prefix, address), so their addresses can be given back. */
    public Flux<Released> deleteMachineIps(UUID machine) {
        return db.sql("""
                        DELETE FROM ip WHERE machine_id = :machine
                        RETURNING network_id, prefix::text AS prefix, host(address) AS ip""")
                .bind("machine", machine)
                .map((row, meta) -> new Released(row.get("network_id", UUID.class), Prefix.parse(row.get("prefix", String.class)),
                        Address.parse(row.get("ip", String.class))))
                .all();
    }

    /** Deletes a machine's IPs in one network (one per family); answers them. */
    public Flux<Released> deleteMachineIp(UUID machine, UUID network) {
        return db.sql("""
                        DELETE FROM ip WHERE machine_id = :machine AND network_id = :network
                        RETURNING network_id, prefix::text AS prefix, host(address) AS ip""")
                .bind("machine", machine).bind("network", network)
                .map((row, meta) -> new Released(row.get("network_id", UUID.class), Prefix.parse(row.get("prefix", String.class)),
                        Address.parse(row.get("ip", String.class))))
                .all();
    }

    /** An address taken away from a machine, to be given back to its network's free runs. */
    public record Released(UUID network, Prefix prefix, Address address) {
    }

    /** Lowers a prefix's usage counter after its IPs were deleted. */
    public Mono<Void> uncountAllocated(UUID network, Prefix prefix) {
        return countAllocated(network, prefix, -1);
    }

    /** Deletes a static IP; answers it, or empty when there is no such static IP. */
    public Mono<IpAddress> deleteStaticIp(UUID network, Prefix prefix, Address address) {
        return db.sql("""
                        DELETE FROM ip WHERE network_id = :network AND address = CAST(:address AS inet) AND kind = 'STATIC'
                        RETURNING host(address) AS ip, network_id, project_id, kind::text AS kind, name, description, created_at""")
                .bind("network", network).bind("address", address.toString())
                .map(NetworkRepository::ip).first()
                .flatMap(deleted -> countAllocated(network, prefix, -1).thenReturn(deleted));
    }

    /** The network's IPs from the {@code offset}-th lowest, at most {@code limit}. */
    public Flux<IpAddress> ips(UUID network, long offset, int limit) {
        return db.sql("""
                        SELECT host(address) AS ip, network_id, project_id, kind::text AS kind, name, description, created_at
                        FROM ip WHERE network_id = :network ORDER BY address OFFSET :offset LIMIT :limit""")
                .bind("network", network).bind("offset", offset).bind("limit", limit)
                .map(NetworkRepository::ip).all();
    }

    /** How many IPs the network holds, from its prefixes' counters. */
    public Mono<Long> ipCount(UUID network) {
        return db.sql("SELECT coalesce(sum(allocated), 0)::bigint AS n FROM network_prefix WHERE network_id = :network")
                .bind("network", network).map((row, meta) -> row.get("n", Long.class)).first();
    }

    public Mono<IpAddress> ip(UUID network, Address address) {
        return db.sql("""
                        SELECT host(address) AS ip, network_id, project_id, kind::text AS kind, name, description, created_at
                        FROM ip WHERE network_id = :network AND address = CAST(:address AS inet)""")
                .bind("network", network).bind("address", address.toString())
                .map(NetworkRepository::ip).first();
    }

    private static Network network(Readable row) {
        List<Prefix> prefixes = Arrays.stream(row.get("prefixes", String[].class)).map(Prefix::parse).toList();
        Prefix v4 = prefixes.stream().filter(p -> p.family() == Family.IPV4).findFirst().orElse(null);
        long total = v4 == null ? 0 : v4.allocatable().map(r -> r.size().longValue()).orElse(0L);
        BigInteger totalV6 = prefixes.stream().filter(p -> p.family() == Family.IPV6).findFirst()
                .flatMap(Prefix::allocatable).map(Range::size).orElse(BigInteger.ZERO);
        String project = row.get("project_id", String.class);
        String[] keys = row.get("label_keys", String[].class);
        String[] values = row.get("label_values", String[].class);
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < keys.length; i++) {
            labels.put(keys[i], values[i]);
        }
        return new Network(new NetworkId(row.get("id", UUID.class)), row.get("name", String.class),
                project == null ? null : new ProjectId(project), new PartitionId(row.get("partition_id", String.class)),
                NetworkType.valueOf(row.get("type", String.class)), NatType.ofNullable(row.get("nat_type", String.class)), v4, prefixes,
                row.get("vrf", Integer.class), row.get("description", String.class), labels,
                row.get("allocated", Integer.class), total, row.get("allocated_v6", Integer.class), totalV6,
                row.get("created_at", OffsetDateTime.class));
    }

    private static Range range(Readable row) {
        return new Range(Address.parse(row.get("first", String.class)), Address.parse(row.get("last", String.class)));
    }

    private static IpAddress ip(Readable row) {
        return new IpAddress(Address.parse(row.get("ip", String.class)), new NetworkId(row.get("network_id", UUID.class)),
                new ProjectId(row.get("project_id", String.class)), IpKind.valueOf(row.get("kind", String.class)),
                row.get("name", String.class), row.get("description", String.class),
                row.get("created_at", OffsetDateTime.class));
    }
}
