package dev.netportal.partition.internal;

import dev.netportal.common.NatType;
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
                                               min_child_length_v6, proxy_host, proxy_port)
                        VALUES (:id, :name, :description, :childLength, :minChildLength, :childLengthV6, :minChildLengthV6,
                                :proxyHost, :proxyPort)""")
                .bind("id", spec.id())
                .bind("name", spec.name())
                .bind("description", spec.description())
                .bind("childLength", spec.childLengthV4())
                .bind("minChildLength", spec.minChildLengthV4())
                .bind("childLengthV6", spec.childLengthV6())
                .bind("minChildLengthV6", spec.minChildLengthV6())
                .bind("proxyHost", Parameter.fromOrEmpty(spec.proxy().map(PartitionSpec.Proxy::host).orElse(null), String.class))
                .bind("proxyPort", Parameter.fromOrEmpty(spec.proxy().map(PartitionSpec.Proxy::port).orElse(null), Integer.class))
                .then();
    }

    /** Locks the partition's row until the transaction ends; empty if there is no such partition. */
    public Mono<String> lock(String id) {
        return db.sql("SELECT id FROM partition WHERE id = :id FOR UPDATE").bind("id", id)
                .map((row, meta) -> row.get("id", String.class)).first();
    }

    public Mono<Void> update(String id, String name, String description, int childLength, int minChildLength,
            int childLengthV6, int minChildLengthV6, Optional<PartitionSpec.Proxy> proxy) {
        return db.sql("""
                        UPDATE partition SET name = :name, description = :description, child_length_v4 = :childLength,
                               min_child_length_v4 = :minChildLength, child_length_v6 = :childLengthV6,
                               min_child_length_v6 = :minChildLengthV6, proxy_host = :proxyHost, proxy_port = :proxyPort
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
        Mono<List<String>> pools = db.sql("""
                        SELECT np.prefix::text AS prefix FROM network n JOIN network_prefix np ON np.network_id = n.id
                        WHERE n.partition_id = :id AND n.type = 'SUPER' ORDER BY family(np.prefix), np.prefix""")
                .bind("id", id).map((row, meta) -> row.get("prefix", String.class)).all().collectList();
        Mono<List<Partition.ExternalNetwork>> externals = db.sql("""
                        SELECT n.id, n.name, n.nat_type::text AS nat,
                               array(SELECT np.prefix::text FROM network_prefix np WHERE np.network_id = n.id ORDER BY np.prefix) AS prefixes,
                               array(SELECT d.prefix::text FROM external_destination d WHERE d.network_id = n.id ORDER BY d.prefix) AS destinations
                        FROM network n WHERE n.partition_id = :id AND n.type = 'EXTERNAL' ORDER BY n.name""")
                .bind("id", id)
                .map((row, meta) -> new Partition.ExternalNetwork(row.get("id", UUID.class), row.get("name", String.class),
                        List.of(row.get("prefixes", String[].class)), List.of(row.get("destinations", String[].class)),
                        NatType.valueOf(row.get("nat", String.class))))
                .all().collectList();
        // free machines by size, for every size of the inventory (0 when all are in use)
        Mono<Map<String, Integer>> inventory = db.sql("""
                        SELECT i.size, (SELECT count(*) FROM machine m WHERE m.partition_id = i.partition_id
                                        AND m.size = i.size AND m.state = 'FREE')::integer AS count
                        FROM partition_inventory i WHERE i.partition_id = :id ORDER BY i.size""")
                .bind("id", id)
                .map((row, meta) -> Map.entry(row.get("size", String.class), row.get("count", Integer.class)))
                .all().collectList()
                .map(entries -> {
                    Map<String, Integer> sizes = new LinkedHashMap<>();
                    entries.forEach(e -> sizes.put(e.getKey(), e.getValue()));
                    return sizes;
                });
        return db.sql("SELECT * FROM partition WHERE id = :id").bind("id", id)
                .map((row, meta) -> new PartitionRow(row.get("name", String.class), row.get("description", String.class),
                        row.get("child_length_v4", Short.class), row.get("min_child_length_v4", Short.class),
                        row.get("child_length_v6", Short.class), row.get("min_child_length_v6", Short.class),
                        Optional.ofNullable(row.get("proxy_host", String.class))
                                .map(host -> new PartitionSpec.Proxy(host, row.get("proxy_port", Integer.class)))))
                .first()
                // one query after the other: they may share a transaction's connection
                .flatMap(p -> pools.flatMap(poolList -> externals.flatMap(externalList -> inventory.map(sizes ->
                        new Partition(new PartitionId(id), p.name(), p.description(), poolList, p.childLengthV4(), p.minChildLengthV4(),
                                p.childLengthV6(), p.minChildLengthV6(), externalList, p.proxy(), sizes)))));
    }

    private record PartitionRow(String name, String description, int childLengthV4, int minChildLengthV4,
                                int childLengthV6, int minChildLengthV6, Optional<PartitionSpec.Proxy> proxy) {
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
