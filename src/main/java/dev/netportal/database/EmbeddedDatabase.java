package dev.netportal.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A PostgreSQL 17 server started from the jar, for running Netportal without installing a database. Durable
 * like a real one: data in a directory that survives restarts, with fsync and synchronous commit on. It listens
 * on the loopback address only, and every connection needs the password generated when the data directory was
 * made (kept in it, readable by its owner only): the server's own first start trusts local connections, which is
 * changed to SCRAM before anything else connects.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    static final String PASSWORD_FILE = "netportal-password";
    private static final Pattern TRUST = Pattern.compile("(?m)^(\\s*(?:local|host)\\s+.*?)\\btrust\\s*$");

    private final EmbeddedPostgres postgres;
    private final String password;

    private EmbeddedDatabase(EmbeddedPostgres postgres, String password) {
        this.postgres = postgres;
        this.password = password;
    }

    /** Starts a server that keeps its data in {@code dataDirectory} (created if missing, reused if present). */
    public static EmbeddedDatabase start(Path dataDirectory) {
        try {
            Files.createDirectories(dataDirectory);
            Path passwordFile = dataDirectory.resolve(PASSWORD_FILE);
            boolean known = Files.isRegularFile(passwordFile);
            String password = known ? Files.readString(passwordFile).strip() : generated();
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(true)
                    .setServerConfig("listen_addresses", "localhost")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setConnectConfig("password", password)
                    .start();
            if (!known) {
                // the password is kept before the server asks for it, so a crash in between cannot lock us out
                Path written = Files.createTempFile(dataDirectory, PASSWORD_FILE, ".new",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(written, password);
                Files.move(written, passwordFile, StandardCopyOption.ATOMIC_MOVE);
                requirePassword(postgres, dataDirectory, password);
            }
            return new EmbeddedDatabase(postgres, password);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the embedded PostgreSQL in " + dataDirectory.toAbsolutePath(), e);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot secure the embedded PostgreSQL in " + dataDirectory.toAbsolutePath(), e);
        }
    }

    /** Sets the password and replaces every {@code trust} rule of {@code pg_hba.conf} by SCRAM, then reloads. */
    private static void requirePassword(EmbeddedPostgres postgres, Path dataDirectory, String password)
            throws IOException, SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement sql = connection.createStatement()) {
            sql.execute("ALTER USER postgres PASSWORD '" + password + "'");   // hex digits only: nothing to escape
            Path hba = dataDirectory.resolve("pg_hba.conf");
            Files.writeString(hba, TRUST.matcher(Files.readString(hba)).replaceAll("$1scram-sha-256"));
            sql.execute("SELECT pg_reload_conf()");
        }
    }

    private static String generated() {
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        return HexFormat.of().formatHex(secret);
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
                "spring.r2dbc.password", password,
                "spring.flyway.url", "jdbc:postgresql://" + hostPort,
                "spring.flyway.user", "postgres",
                "spring.flyway.password", password);
    }

    /** The rules of {@code pg_hba.conf} that are not comments, for checks. */
    static List<String> accessRules(Path dataDirectory) throws IOException {
        return Files.readAllLines(dataDirectory.resolve("pg_hba.conf")).stream()
                .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
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
