package dev.netportal.network.internal;

import dev.netportal.ipam.Prefix;
import dev.netportal.ipam.Range;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Free address runs of a network's prefix ({@code ip_free_range}), from which IPs are allocated: written when a
 * private network is carved or an external network is added to a partition, and when addresses are released.
 */
@Component
public class FreeRanges {

    private final DatabaseClient db;

    FreeRanges(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Void> insert(UUID network, Prefix prefix, Range run) {
        return db.sql("""
                        INSERT INTO ip_free_range (network_id, prefix, first, last)
                        VALUES (:network, CAST(:prefix AS cidr), CAST(:first AS inet), CAST(:last AS inet))""")
                .bind("network", network).bind("prefix", prefix.toString())
                .bind("first", run.first().toString()).bind("last", run.last().toString())
                .then();
    }
}
