package dev.netportal.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A PostgreSQL 17 server started from the jar, for running Netportal without installing a database. Durable
 * like a real one: data in a directory that survives restarts, with fsync and synchronous commit on.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts a server that keeps its data in {@code dataDirectory} (created if missing, reused if present). */
    public static EmbeddedDatabase start(Path dataDirectory) {
        try {
            Files.createDirectories(dataDirectory);
            return new EmbeddedDatabase(EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(true)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the embedded PostgreSQL in " + dataDirectory.toAbsolutePath(), e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    /** Spring settings that point R2DBC and Flyway at this server's {@code postgres} database. */
    public Map<String, Object> connectionProperties() {
        String hostPort = "localhost:" + port() + "/postgres";
        return Map.of(
                "spring.r2dbc.url", "r2dbc:postgresql://" + hostPort,
                "spring.r2dbc.username", "postgres",
                "spring.r2dbc.password", "",
                "spring.flyway.url", "jdbc:postgresql://" + hostPort,
                "spring.flyway.user", "postgres",
                "spring.flyway.password", "");
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot stop the embedded PostgreSQL", e);
        }
    }
}
