package dev.netportal.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the portal's database holds, table by table (row count and an order-independent hash of the rows), to show
 * that a refused request changed nothing. The tables are listed from {@code information_schema}, so a table added
 * by a later migration is covered without touching the tests.
 */
public final class DatabaseSnapshot {

    /**
     * Tables that change without any request: the agents' delivery state ({@code firewall_sync}: leases, streams,
     * applied revisions), written by the dispatcher and the agents in the background. What a request changes about
     * a firewall's configuration lands in {@code firewall_config} in the same transaction (D1), which is compared.
     */
    public static final Set<String> MOVING_BY_THEMSELVES = Set.of("firewall_sync");

    /** One table's content: how many rows, and the sum of their hashes. */
    public record Content(long rows, String hash) {
    }

    private final Connection connection;
    private final String query;
    private final List<String> tables;

    private DatabaseSnapshot(Connection connection, List<String> tables) {
        this.connection = connection;
        this.tables = tables;
        this.query = tables.stream()
                .map(table -> "SELECT '" + table + "', count(*), coalesce(sum(hashtextextended(t::text, 0)), 0)::text FROM \""
                        + table + "\" t")
                .collect(Collectors.joining(" UNION ALL "));
    }

    /** Opens a connection to the portal's database and lists its tables; close it with {@link #close()}. */
    public static DatabaseSnapshot of(TestPortal portal) {
        try {
            Connection connection = portal.database().connect();
            List<String> tables = new ArrayList<>();
            try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery("""
                    SELECT table_name FROM information_schema.tables
                    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name""")) {
                while (result.next()) {
                    tables.add(result.getString(1));
                }
            }
            tables.removeAll(MOVING_BY_THEMSELVES);
            return new DatabaseSnapshot(connection, List.copyOf(tables));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the portal's database", e);
        }
    }

    /** The tables compared. */
    public List<String> tables() {
        return tables;
    }

    /** The content of every compared table now. */
    public Map<String, Content> take() {
        Map<String, Content> content = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(query)) {
            while (result.next()) {
                content.put(result.getString(1), new Content(result.getLong(2), result.getString(3)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the portal's database", e);
        }
        return content;
    }

    /** The tables whose content differs between two snapshots, with their row counts before and after. */
    public static Map<String, String> changes(Map<String, Content> before, Map<String, Content> after) {
        Map<String, String> changed = new LinkedHashMap<>();
        before.forEach((table, was) -> {
            Content now = after.get(table);
            if (!was.equals(now)) {
                changed.put(table, was.rows() + " rows -> " + (now == null ? "gone" : now.rows() + " rows (content changed)"));
            }
        });
        return changed;
    }

    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
