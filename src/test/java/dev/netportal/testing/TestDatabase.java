package dev.netportal.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The PostgreSQL server of the test run, chosen once per JVM: {@code TEST_DATABASE_URL}
 * ({@code postgresql://user:password@host:port}) if set, else a Testcontainers container when a Docker engine
 * answers, else an embedded PostgreSQL. Each caller gets a fresh database on it, so tests never see each
 * other's rows.
 */
public final class TestDatabase {

    /** Where one fresh database lives. */
    public record Coordinates(String host, int port, String database, String user, String password) {

        public String jdbcUrl() {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }

        public String r2dbcUrl() {
            return "r2dbc:postgresql://" + host + ":" + port + "/" + database;
        }

        /**
         * Command-line arguments that point Netportal at this database: the R2DBC settings only, as an operator
         * would give them; the migrations' JDBC settings are derived from them.
         */
        public List<String> springArguments() {
            return List.of("--spring.r2dbc.url=" + r2dbcUrl(), "--spring.r2dbc.username=" + user,
                    "--spring.r2dbc.password=" + password);
        }

        public Connection connect() throws SQLException {
            return DriverManager.getConnection(jdbcUrl(), user, password);
        }

        /** The first column of each row that {@code query} answers, as text: what the database itself says. */
        public List<String> column(String query) {
            try (Connection connection = connect(); Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery(query)) {
                List<String> values = new ArrayList<>();
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
                return values;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot run " + query, e);
            }
        }
    }

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static Coordinates server;

    private TestDatabase() {
    }

    /** Creates an empty database on the test server. */
    public static synchronized Coordinates fresh() {
        Coordinates admin = server();
        String name = "netportal_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (Connection connection = admin.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return new Coordinates(admin.host(), admin.port(), name, admin.user(), admin.password());
    }

    private static Coordinates server() {
        if (server == null) {
            server = start();
        }
        return server;
    }

    private static Coordinates start() {
        String url = System.getenv("TEST_DATABASE_URL");
        if (url != null && !url.isBlank()) {
            URI uri = URI.create(url);
            String[] credentials = uri.getUserInfo().split(":", 2);
            return new Coordinates(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), "postgres",
                    credentials[0], credentials.length > 1 ? credentials[1] : "");
        }
        if (DockerClientFactory.instance().isDockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine");
            container.start();
            return new Coordinates(container.getHost(), container.getMappedPort(5432), "postgres",
                    container.getUsername(), container.getPassword());
        }
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            return new Coordinates("localhost", postgres.getPort(), "postgres", "postgres", "");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL for tests", e);
        }
    }
}
