package dev.netportal.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import dev.netportal.Netportal;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An external database given by its R2DBC URL alone also gets its schema migrated, over JDBC. */
class EmbeddedDatabaseStarterTest {

    @ParameterizedTest
    @CsvSource({
            "r2dbc:postgresql://db.example:5432/netportal, jdbc:postgresql://db.example:5432/netportal",
            "r2dbc:postgres://db/netportal?sslmode=require, jdbc:postgresql://db/netportal?sslmode=require",
            "r2dbc:pool:postgresql://10.0.0.5:6432/np, jdbc:postgresql://10.0.0.5:6432/np"})
    void derivesTheMigrationUrlFromTheR2dbcUrl(String r2dbc, String jdbc) {
        assertThat(EmbeddedDatabaseStarter.flywaySettingsFor(r2dbc))
                .containsEntry("spring.flyway.url", jdbc)
                .containsEntry("spring.flyway.user", "${spring.r2dbc.username:}")
                .containsEntry("spring.flyway.password", "${spring.r2dbc.password:}");
    }

    @Test
    void outsideDevelopmentModeAMissingDatabaseStopsTheStartInsteadOfStartingALocalOne(@TempDir Path data) {
        assertThatThrownBy(() -> Netportal.start("--netportal.mode=api",
                "--netportal.database.embedded.data-directory=" + data))
                .hasStackTraceContaining("No database configured: set SPRING_R2DBC_URL")
                .hasStackTraceContaining("NETPORTAL_DATABASE_EMBEDDED_ENABLED");
        assertThat(data).isEmptyDirectory();
    }

    @Test
    void refusesAnR2dbcUrlOfAnotherDatabase() {
        assertThatThrownBy(() -> EmbeddedDatabaseStarter.flywaySettingsFor("r2dbc:h2:mem:///test"))
                .hasMessageContaining("SPRING_FLYWAY_URL");
    }
}
