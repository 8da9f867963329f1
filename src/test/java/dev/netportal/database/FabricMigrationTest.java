package dev.netportal.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netportal.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Migration 16 on data of the version before it: firewalls allocated before get an AS number each, in allocation
 * order, plain machines none; partitions get the default fabric settings; from then on the database gives a
 * firewall its number at allocation, keeps it, drops it when the machine is freed, and refuses timers out of range.
 */
class FabricMigrationTest {

    @Test
    void firewallsOfBeforeGetAnAsNumberEachAndPartitionsTheDefaultFabricSettings() throws Exception {
        TestDatabase.Coordinates database = TestDatabase.fresh();
        Flyway.configure().dataSource(database.jdbcUrl(), database.user(), database.password()).target("15").load().migrate();
        try (Connection db = database.connect(); Statement sql = db.createStatement()) {
            sql.executeUpdate("""
                    INSERT INTO project (id, name) VALUES ('old', 'Old');
                    INSERT INTO partition (id, name, child_length_v4, min_child_length_v4) VALUES ('old-1', 'Old 1', 24, 16);
                    INSERT INTO network (id, partition_id, type, name) VALUES ('00000000-0000-0000-0000-000000000001', 'old-1', 'SUPER', 'pool');
                    INSERT INTO network (id, partition_id, project_id, type, name, vrf)
                        VALUES ('00000000-0000-0000-0000-000000000002', 'old-1', 'old', 'CHILD', 'web', 901);
                    INSERT INTO partition_inventory (partition_id, size, count) VALUES ('old-1', 'c1', 4);
                    WITH m AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM machine WHERE partition_id = 'old-1')
                    UPDATE machine SET state = 'ALLOCATED', role = CASE WHEN m.n < 3 THEN 'FIREWALL' ELSE 'MACHINE' END::machine_role,
                        project_id = 'old', name = 'm' || m.n, agent_secret = CASE WHEN m.n < 3 THEN 'hash' END,
                        primary_network = '00000000-0000-0000-0000-000000000002', allocated_at = now() - m.n * interval '1 hour'
                    FROM m WHERE machine.id = m.id AND m.n < 4;
                    """);
        }

        Flyway.configure().dataSource(database.jdbcUrl(), database.user(), database.password()).load().migrate();

        try (Connection db = database.connect(); Statement sql = db.createStatement()) {
            assertThat(database.column("SELECT name || '=' || coalesce(asn::text, '-') FROM machine WHERE partition_id = 'old-1' AND name IS NOT NULL ORDER BY name"))
                    .as("the earlier allocated firewall first; plain machines none").containsExactly("m1=4200000001", "m2=4200000000", "m3=-");
            assertThat(database.column("SELECT bgp_keepalive || '/' || bgp_hold_time || ' ' || external_export FROM partition WHERE id = 'old-1'"))
                    .containsExactly("3/9 NO_EXPORT");

            sql.executeUpdate("UPDATE machine SET asn = 7 WHERE name = 'm1'");
            assertThat(database.column("SELECT asn FROM machine WHERE name = 'm1'")).as("kept").containsExactly("4200000001");
            sql.executeUpdate("""
                    UPDATE machine SET state = 'FREE', role = NULL, project_id = NULL, name = NULL, agent_secret = NULL,
                        primary_network = NULL, allocated_at = NULL WHERE name = 'm1'""");
            sql.executeUpdate("""
                    UPDATE machine SET state = 'ALLOCATED', role = 'FIREWALL', project_id = 'old', name = 'm4', agent_secret = 'hash',
                        primary_network = '00000000-0000-0000-0000-000000000002', allocated_at = now()
                    WHERE id = (SELECT id FROM machine WHERE partition_id = 'old-1' AND state = 'FREE' ORDER BY id LIMIT 1)""");
            assertThat(database.column("SELECT name || '=' || asn FROM machine WHERE asn IS NOT NULL ORDER BY asn"))
                    .as("a new allocation takes a new number, never a freed one").containsExactly("m2=4200000000", "m4=4200000002");

            assertThatThrownBy(() -> sql.executeUpdate("UPDATE partition SET bgp_keepalive = 5, bgp_hold_time = 14 WHERE id = 'old-1'"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("partition_bgp_timers");
            assertThatThrownBy(() -> sql.executeUpdate("UPDATE partition SET bgp_keepalive = 0 WHERE id = 'old-1'"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("partition_bgp_timers");
        }
    }
}
