package dev.netportal.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded database of the local run is durable: fsync on, data kept across restarts, stopped on close. */
class EmbeddedDatabaseTest {

    @TempDir
    Path dataDirectory;

    @Test
    void isDurableAndKeepsItsDataAcrossRestarts() throws SQLException {
        int firstPort;
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDirectory)) {
            firstPort = database.port();
            try (Connection c = connect(database); Statement s = c.createStatement()) {
                assertThat(setting(s, "fsync")).isEqualTo("on");
                assertThat(setting(s, "synchronous_commit")).isEqualTo("on");
                s.execute("CREATE TABLE kept (v text)");
                s.execute("INSERT INTO kept VALUES ('still here')");
            }
        }
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:postgresql://localhost:" + firstPort + "/postgres", "postgres", ""))
                .as("the server stops on close").isInstanceOf(SQLException.class);

        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDirectory);
                Connection c = connect(database); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT v FROM kept")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("still here");
        }
    }

    @Test
    void everyConnectionNeedsTheGeneratedPasswordKeptForItsOwnerOnly() throws Exception {
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDirectory)) {
            String url = (String) database.connectionProperties().get("spring.flyway.url");
            String password = (String) database.connectionProperties().get("spring.flyway.password");

            assertThat(password).hasSize(48);
            assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "postgres")).isInstanceOf(SQLException.class);
            assertThat(EmbeddedDatabase.accessRules(dataDirectory)).isNotEmpty().noneMatch(rule -> rule.endsWith("trust"));
            Path kept = dataDirectory.resolve(EmbeddedDatabase.PASSWORD_FILE);
            assertThat(Files.readString(kept)).isEqualTo(password);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kept))).isEqualTo("rw-------");
            try (Connection c = connect(database); Statement s = c.createStatement()) {
                assertThat(setting(s, "listen_addresses")).isEqualTo("localhost");
            }
        }
        // the same password again after a restart
        try (EmbeddedDatabase again = EmbeddedDatabase.start(dataDirectory); Connection c = connect(again)) {
            assertThat(c.isValid(1)).isTrue();
        }
    }

    private static Connection connect(EmbeddedDatabase database) throws SQLException {
        return DriverManager.getConnection((String) database.connectionProperties().get("spring.flyway.url"), "postgres",
                (String) database.connectionProperties().get("spring.flyway.password"));
    }

    private static String setting(Statement statement, String name) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SHOW " + name)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
