package dev.netportal.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Migration 10 on data of the version before it: a partition whose IPv6 lengths were shorter than its IPv6 pool is
 * mended, and a machine in a dual-stack network gets its IPv6 address (the lowest free one).
 */
class DualStackMigrationTest {

    @Test
    void partitionsAndMachinesOfBeforeGetTheirIpv6LengthsAndAddresses() throws Exception {
        TestDatabase.Coordinates database = TestDatabase.fresh();
        Flyway.configure().dataSource(database.jdbcUrl(), database.user(), database.password()).target("9").load().migrate();
        try (Connection db = database.connect(); Statement sql = db.createStatement()) {
            sql.executeUpdate("""
                    INSERT INTO project (id, name) VALUES ('old', 'Old');
                    INSERT INTO partition (id, name, child_length_v4, min_child_length_v4) VALUES ('old-1', 'Old 1', 24, 16);
                    INSERT INTO network (id, partition_id, type, name) VALUES ('00000000-0000-0000-0000-000000000001', 'old-1', 'SUPER', 'pool');
                    INSERT INTO network_prefix (network_id, partition_id, layer, prefix) VALUES
                        ('00000000-0000-0000-0000-000000000001', 'old-1', 'POOL', '10.60.0.0/16'),
                        ('00000000-0000-0000-0000-000000000001', 'old-1', 'POOL', 'fd00:60::/60');
                    INSERT INTO network (id, partition_id, project_id, type, name, vrf)
                        VALUES ('00000000-0000-0000-0000-000000000002', 'old-1', 'old', 'CHILD', 'web', 901);
                    INSERT INTO network_prefix (network_id, partition_id, layer, prefix) VALUES
                        ('00000000-0000-0000-0000-000000000002', 'old-1', 'CHILD', '10.60.0.0/24'),
                        ('00000000-0000-0000-0000-000000000002', 'old-1', 'CHILD', 'fd00:60::/64');
                    INSERT INTO ip_free_range (network_id, prefix, first, last) VALUES
                        ('00000000-0000-0000-0000-000000000002', '10.60.0.0/24', '10.60.0.3', '10.60.0.254'),
                        ('00000000-0000-0000-0000-000000000002', 'fd00:60::/64', 'fd00:60::2', 'fd00:60::ffff:ffff:ffff:ffff');
                    INSERT INTO partition_inventory (partition_id, size, count) VALUES ('old-1', 'c1', 1);
                    UPDATE machine SET state = 'ALLOCATED', role = 'MACHINE', project_id = 'old', name = 'db',
                        primary_network = '00000000-0000-0000-0000-000000000002', allocated_at = now() WHERE partition_id = 'old-1';
                    INSERT INTO ip (network_id, prefix, address, project_id, kind, machine_id)
                        SELECT '00000000-0000-0000-0000-000000000002', '10.60.0.0/24', '10.60.0.2', 'old', 'EPHEMERAL', id
                        FROM machine WHERE partition_id = 'old-1';
                    UPDATE network_prefix SET allocated = 1 WHERE prefix = '10.60.0.0/24';
                    """);
        }

        Flyway.configure().dataSource(database.jdbcUrl(), database.user(), database.password()).load().migrate();

        try (Connection db = database.connect(); Statement sql = db.createStatement()) {
            ResultSet lengths = sql.executeQuery("SELECT child_length_v6, min_child_length_v6 FROM partition WHERE id = 'old-1'");
            lengths.next();
            assertThat(lengths.getInt(1)).as("default IPv6 child length").isEqualTo(64);
            assertThat(lengths.getInt(2)).as("no shorter than the /60 pool").isEqualTo(60);
            ResultSet addresses = sql.executeQuery("""
                    SELECT string_agg(host(address), ',' ORDER BY family(address)) FROM ip
                    WHERE machine_id = (SELECT id FROM machine WHERE partition_id = 'old-1')""");
            addresses.next();
            assertThat(addresses.getString(1)).isEqualTo("10.60.0.2,fd00:60::2");
            ResultSet counted = sql.executeQuery("SELECT allocated FROM network_prefix WHERE prefix = 'fd00:60::/64'");
            counted.next();
            assertThat(counted.getInt(1)).isEqualTo(1);
        }
    }
}
