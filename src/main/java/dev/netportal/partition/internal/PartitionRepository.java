package dev.netportal.partition.internal;

import dev.netportal.common.NatType;
import dev.netportal.common.Slice;
import dev.netportal.partition.FabricSettings;
import dev.netportal.partition.Partition;
import dev.netportal.partition.PartitionId;
import dev.netportal.partition.PartitionService.PartitionSettings;
import dev.netportal.partition.PartitionSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** SQL for partitions, their pools, external networks and inventory. */
@Repository
public class PartitionRepository {

    private final DatabaseClient db;

    PartitionRepository(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Boolean> exists(String id) {
        return db.sql("SELECT 1 FROM partition WHERE id = :id").bind("id", id).map((row, meta) -> true).first()
                .defaultIfEmpty(false);
    }

    public Mono<Void> insert(PartitionSpec spec) {
        return db.sql("""
                        INSERT INTO partition (id, name, description, child_length_v4, min_child_length_v4, child_length_v6,
                                               min_child_length_v6, proxy_host, proxy_port, bgp_keepalive, bgp_hold_time,
                                               external_export)
                        VALUES (:id, :name, :description, :childLength, :minChildLength, :childLengthV6, :minChildLengthV6,
                                :proxyHost, :proxyPort, :keepalive, :holdTime, CAST(:externalExport AS external_export))""")
                .bind("id", spec.id())
                .bind("name", spec.name())
                .bind("description", spec.description())
                .bind("childLength", spec.childLengthV4())
                .bind("minChildLength", spec.minChildLengthV4())
                .bind("childLengthV6", spec.childLengthV6())
                .bind("minChildLengthV6", spec.minChildLengthV6())
                .bind("proxyHost", Parameter.fromOrEmpty(spec.proxy().map(PartitionSpec.Proxy::host).orElse(null), String.class))
                .bind("proxyPort", Parameter.fromOrEmpty(spec.proxy().map(PartitionSpec.Proxy::port).orElse(null), Integer.class))
                .bind("keepalive", spec.fabric().keepalive())
                .bind("holdTime", spec.fabric().holdTime())
                .bind("externalExport", spec.fabric().externalExport().name())
                .then();
    }

    /** Holds the partition's row (FOR SHARE) until the transaction ends: changes to it wait, readers do not. */
    public Mono<Void> lockShared(String id) {
        return db.sql("SELECT id FROM partition WHERE id = :id FOR SHARE").bind("id", id).fetch().first().then();
    }

    /** Locks the partition's row until the transaction ends; empty if there is no such partition. */
    public Mono<String> lock(String id) {
        return db.sql("SELECT id FROM partition WHERE id = :id FOR UPDATE").bind("id", id)
                .map((row, meta) -> row.get("id", String.class)).first();
    }

    public Mono<Void> update(String id, String name, String description, int childLength, int minChildLength,
            int childLengthV6, int minChildLengthV6, Optional<PartitionSpec.Proxy> proxy, FabricSettings fabric) {
        return db.sql("""
                        UPDATE partition SET name = :name, description = :description, child_length_v4 = :childLength,
                               min_child_length_v4 = :minChildLength, child_length_v6 = :childLengthV6,
                               min_child_length_v6 = :minChildLengthV6, proxy_host = :proxyHost, proxy_port = :proxyPort,
                               bgp_keepalive = :keepalive, bgp_hold_time = :holdTime,
                               external_export = CAST(:externalExport AS external_export)
                        WHERE id = :id""")
                .bind("id", id)
                .bind("name", name)
                .bind("description", description)
                .bind("childLength", childLength)
                .bind("minChildLength", minChildLength)
                .bind("childLengthV6", childLengthV6)
                .bind("minChildLengthV6", minChildLengthV6)
                .bind("proxyHost", Parameter.fromOrEmpty(proxy.map(PartitionSpec.Proxy::host).orElse(null), String.class))
                .bind("proxyPort", Parameter.fromOrEmpty(proxy.map(PartitionSpec.Proxy::port).orElse(null), Integer.class))
                .bind("keepalive", fabric.keepalive())
                .bind("holdTime", fabric.holdTime())
                .bind("externalExport", fabric.externalExport().name())
                .then();
    }

    /** Sets the count of machines of a size; 0 removes the size. */
    public Mono<Void> setInventory(String partition, String size, int count) {
        if (count == 0) {
            return db.sql("DELETE FROM partition_inventory WHERE partition_id = :partition AND size = :size")
                    .bind("partition", partition).bind("size", size).then();
        }
        return db.sql("""
                        INSERT INTO partition_inventory (partition_id, size, count) VALUES (:partition, :size, :count)
                        ON CONFLICT (partition_id, size) DO UPDATE SET count = EXCLUDED.count""")
                .bind("partition", partition).bind("size", size).bind("count", count)
                .then();
    }

    public Mono<Void> insertInventory(String partition, String size, int count) {
        return db.sql("INSERT INTO partition_inventory (partition_id, size, count) VALUES (:partition, :size, :count)")
                .bind("partition", partition).bind("size", size).bind("count", count)
                .then();
    }

    /** One partition with its pools, external networks and inventory. */
    public Mono<Partition> find(String id) {
        return withDetails(db.sql("SELECT p.*, p.external_export::text AS external_export_name, 1::bigint AS total FROM partition p WHERE p.id = :id").bind("id", id))
                .flatMap(rows -> Mono.justOrEmpty(rows.stream().findFirst().map(Map.Entry::getValue)));
    }

    /** Every partition with its pools, external networks and inventory, by id. */
    public Mono<List<Partition>> all() {
        return withDetails(db.sql("SELECT p.*, p.external_export::text AS external_export_name, 0::bigint AS total FROM partition p ORDER BY p.id"))
                .map(rows -> rows.stream().map(Map.Entry::getValue).toList());
    }

    /** A stretch of the partitions by id, each with its pools, external networks and inventory, and how many there are. */
    public Mono<Slice<Partition>> page(long offset, int limit) {
        return withDetails(db.sql("SELECT p.*, p.external_export::text AS external_export_name, count(*) OVER () AS total FROM partition p ORDER BY p.id OFFSET :offset LIMIT :limit")
                        .bind("offset", offset).bind("limit", limit))
                .flatMap(rows -> Slice.of(rows, offset, db.sql("SELECT count(*) AS n FROM partition")
                        .map((row, meta) -> row.get("n", Long.class)).one()));
    }

    /**
     * The partitions that {@code query} selects (with a {@code total} column), in its order, completed with their
     * pools, external networks and free inventory: three queries for all of them together.
     */
    private Mono<List<Map.Entry<Long, Partition>>> withDetails(DatabaseClient.GenericExecuteSpec query) {
        return query.map((row, meta) -> new PartitionRow(row.get("id", String.class), row.get("name", String.class),
                        row.get("description", String.class),
                        row.get("child_length_v4", Short.class), row.get("min_child_length_v4", Short.class),
                        row.get("child_length_v6", Short.class), row.get("min_child_length_v6", Short.class),
                        Optional.ofNullable(row.get("proxy_host", String.class))
                                .map(host -> new PartitionSpec.Proxy(host, row.get("proxy_port", Integer.class))),
                        new FabricSettings(row.get("bgp_keepalive", Integer.class), row.get("bgp_hold_time", Integer.class),
                                FabricSettings.ExternalExport.valueOf(row.get("external_export_name", String.class))),
                        row.get("total", Long.class)))
                .all().collectList()
                // one query after the other: they may share a transaction's connection
                .flatMap(rows -> rows.isEmpty() ? Mono.just(List.<Map.Entry<Long, Partition>>of()) : details(rows));
    }

    private Mono<List<Map.Entry<Long, Partition>>> details(List<PartitionRow> rows) {
        String[] ids = rows.stream().map(PartitionRow::id).toArray(String[]::new);
        Mono<Map<String, List<String>>> pools = db.sql("""
                        SELECT n.partition_id, np.prefix::text AS prefix FROM network n JOIN network_prefix np ON np.network_id = n.id
                        WHERE n.partition_id = ANY(:ids) AND n.type = 'SUPER' ORDER BY n.partition_id, family(np.prefix), np.prefix""")
                .bind("ids", ids)
                .map((row, meta) -> Map.entry(row.get("partition_id", String.class), row.get("prefix", String.class)))
                .all().collectMultimap(Map.Entry::getKey, Map.Entry::getValue).map(PartitionRepository::lists);
        Mono<Map<String, List<Partition.ExternalNetwork>>> externals = db.sql("""
                        SELECT n.partition_id, n.id, n.name, n.nat_type::text AS nat,
                               array(SELECT np.prefix::text FROM network_prefix np WHERE np.network_id = n.id ORDER BY np.prefix) AS prefixes,
                               array(SELECT d.prefix::text FROM external_destination d WHERE d.network_id = n.id ORDER BY d.prefix) AS destinations
                        FROM network n WHERE n.partition_id = ANY(:ids) AND n.type = 'EXTERNAL' ORDER BY n.partition_id, n.name""")
                .bind("ids", ids)
                .map((row, meta) -> Map.entry(row.get("partition_id", String.class), new Partition.ExternalNetwork(row.get("id", UUID.class),
                        row.get("name", String.class), List.of(row.get("prefixes", String[].class)),
                        List.of(row.get("destinations", String[].class)), NatType.valueOf(row.get("nat", String.class)))))
                .all().collectMultimap(Map.Entry::getKey, Map.Entry::getValue).map(PartitionRepository::lists);
        // free machines by size, for every size of the inventory (0 when all are in use)
        Mono<Map<String, Map<String, Integer>>> inventory = db.sql("""
                        SELECT i.partition_id, i.size, (SELECT count(*) FROM machine m WHERE m.partition_id = i.partition_id
                                        AND m.size = i.size AND m.state = 'FREE')::integer AS count
                        FROM partition_inventory i WHERE i.partition_id = ANY(:ids) ORDER BY i.partition_id, i.size""")
                .bind("ids", ids)
                .map((row, meta) -> new Free(row.get("partition_id", String.class), row.get("size", String.class),
                        row.get("count", Integer.class)))
                .all().collectList()
                .map(free -> {
                    Map<String, Map<String, Integer>> sizes = new LinkedHashMap<>();
                    free.forEach(f -> sizes.computeIfAbsent(f.partition(), partition -> new LinkedHashMap<>()).put(f.size(), f.count()));
                    return sizes;
                });
        return pools.flatMap(poolLists -> externals.flatMap(externalLists -> inventory.map(sizes -> rows.stream()
                .map(p -> Map.entry(p.total(), new Partition(new PartitionId(p.id()), p.name(), p.description(),
                        poolLists.getOrDefault(p.id(), List.of()), p.childLengthV4(), p.minChildLengthV4(), p.childLengthV6(),
                        p.minChildLengthV6(), externalLists.getOrDefault(p.id(), List.of()), p.proxy(),
                        sizes.getOrDefault(p.id(), Map.of()), p.fabric())))
                .toList())));
    }

    /** Multimap values in the order they were read. */
    private static <T> Map<String, List<T>> lists(Map<String, java.util.Collection<T>> multimap) {
        Map<String, List<T>> lists = new LinkedHashMap<>();
        multimap.forEach((key, values) -> lists.put(key, List.copyOf(values)));
        return lists;
    }

    /** Free machines of a size in a partition. */
    private record Free(String partition, String size, int count) {
    }

    private record PartitionRow(String id, String name, String description, int childLengthV4, int minChildLengthV4,
                                int childLengthV6, int minChildLengthV6, Optional<PartitionSpec.Proxy> proxy,
                                FabricSettings fabric, long total) {
    }

    public Flux<String> ids() {
        return db.sql("SELECT id FROM partition ORDER BY id").map((row, meta) -> row.get("id", String.class)).all();
    }

    public Mono<PartitionSettings> settings(String id) {
        return db.sql("""
                        SELECT p.id, p.child_length_v4, p.min_child_length_v4, p.child_length_v6, p.min_child_length_v6,
                               EXISTS (SELECT 1 FROM network n JOIN network_prefix np ON np.network_id = n.id
                                       WHERE n.partition_id = p.id AND n.type = 'SUPER' AND family(np.prefix) = 6) AS v6
                        FROM partition p WHERE p.id = :id""")
                .bind("id", id)
                .map((row, meta) -> new PartitionSettings(row.get("id", String.class),
                        row.get("child_length_v4", Short.class), row.get("min_child_length_v4", Short.class),
                        row.get("child_length_v6", Short.class), row.get("min_child_length_v6", Short.class),
                        Boolean.TRUE.equals(row.get("v6", Boolean.class))))
                .first();
    }

    /** Machines in use (allocated) by size; sizes without any are absent. */
    public Mono<Map<String, Integer>> allocatedBySize(String partition) {
        return db.sql("""
                        SELECT size, count(*)::integer AS n FROM machine WHERE partition_id = :id AND state = 'ALLOCATED'
                        GROUP BY size""")
                .bind("id", partition)
                .map((row, meta) -> Map.entry(row.get("size", String.class), row.get("n", Integer.class)))
                .all().collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }
}
