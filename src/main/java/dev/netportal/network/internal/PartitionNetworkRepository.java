package dev.netportal.network.internal;

import dev.netportal.ipam.Prefix;
import dev.netportal.partition.PartitionSpec;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** SQL for the networks a partition brings: its pools (super networks) and its external networks. */
@Repository
public class PartitionNetworkRepository {

    private final DatabaseClient db;
    private final FreeRanges freeRanges;

    PartitionNetworkRepository(DatabaseClient db, FreeRanges freeRanges) {
        this.db = db;
        this.freeRanges = freeRanges;
    }

    /** A pool (super network) and its whole prefix as one free block. */
    public Mono<Void> insertPool(String partition, UUID id, Prefix pool) {
        return db.sql("INSERT INTO network (id, partition_id, type, name) VALUES (:id, :partition, 'SUPER', :name)")
                .bind("id", id).bind("partition", partition).bind("name", "pool " + pool)
                .then()
                .then(insertPrefix(id, partition, "POOL", pool))
                .then(db.sql("INSERT INTO prefix_free_block (partition_id, pool_id, block) VALUES (:partition, :pool, CAST(:block AS cidr))")
                        .bind("partition", partition).bind("pool", id).bind("block", pool.toString())
                        .then());
    }

    public Mono<Void> insertExternal(String partition, UUID id, PartitionSpec.ExternalNetworkSpec external) {
        return db.sql("""
                        INSERT INTO network (id, partition_id, type, nat_type, name, vrf)
                        VALUES (:id, :partition, 'EXTERNAL', CAST(:nat AS nat_type), :name, nextval('vrf_id'))""")
                .bind("id", id).bind("partition", partition).bind("nat", external.natType().name()).bind("name", external.name())
                .then()
                .thenMany(Flux.fromIterable(external.prefixes()).concatMap(p -> insertPrefix(id, partition, "POOL", p)
                        .then(Mono.justOrEmpty(p.allocatable()).flatMap(range -> freeRanges.insert(id, p, range)))))
                .thenMany(Flux.fromIterable(external.destinations()).concatMap(d ->
                        db.sql("INSERT INTO external_destination (network_id, prefix) VALUES (:id, CAST(:prefix AS cidr))")
                                .bind("id", id).bind("prefix", d.toString()).then()))
                .then();
    }

    private Mono<Void> insertPrefix(UUID network, String partition, String layer, Prefix prefix) {
        return db.sql("""
                        INSERT INTO network_prefix (network_id, partition_id, layer, prefix)
                        VALUES (:network, :partition, :layer, CAST(:prefix AS cidr))""")
                .bind("network", network).bind("partition", partition).bind("layer", layer).bind("prefix", prefix.toString())
                .then();
    }
}
