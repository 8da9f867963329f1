package dev.netportal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netportal.api.ApiContext;
import dev.netportal.testing.Api;
import dev.netportal.testing.TestPortal;
import dev.netportal.ui.UiContext;
import dev.netportal.idp.IdpContext;
import java.net.ConnectException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** {@code netportal.mode} starts only the web contexts it names, so production can run them apart. */
class ModesTest {

    @Test
    void apiModeServesTheApiAndNoUi() {
        try (TestPortal portal = TestPortal.start("--netportal.mode=api")) {
            assertThat(portal.portal().context(ApiContext.class)).isPresent();
            assertThat(portal.portal().context(UiContext.class)).isEmpty();
            assertThat(Api.get(portal.apiUrl() + "/actuator/health", null).status()).isEqualTo(200);
            assertThatThrownBy(() -> new Socket("localhost", portal.uiPort()).close())
                    .as("nothing listens on the UI port").isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void theDevelopmentSignInNeverStartsOutsideDevelopmentMode() throws Exception {
        try (TestPortal portal = TestPortal.startWith(List.of("--netportal.mode=api",
                "--netportal.oidc.issuer=http://localhost:1/realms/netportal"))) {
            assertThat(portal.portal().context(IdpContext.class)).isEmpty();
            assertThatThrownBy(() -> new Socket("localhost", portal.idpPort()).close())
                    .as("nothing listens on the sign-in port").isInstanceOf(ConnectException.class);
            assertThat(portal.portal().core().getEnvironment().getActiveProfiles()).doesNotContain("dev");
            try (Connection c = portal.database().connect(); Statement s = c.createStatement();
                    ResultSet rows = s.executeQuery("SELECT count(*) FROM project")) {
                rows.next();
                assertThat(rows.getInt(1)).as("no demo data outside development mode").isZero();
            }
            assertThat(Api.get(portal.apiUrl() + "/api/v1/me", null).status()).isEqualTo(401);
        }
    }

    @Test
    void dispatcherModeServesHealthForProbesAndNoWebContext() throws Exception {
        int health;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            health = socket.getLocalPort();
        }
        try (TestPortal portal = TestPortal.start("--netportal.mode=dispatcher", "--netportal.dispatcher.port=" + health)) {
            assertThat(portal.portal().context(ApiContext.class)).isEmpty();
            assertThat(portal.portal().context(UiContext.class)).isEmpty();
            assertThat(portal.portal().context(IdpContext.class)).as("no sign-in provider either").isEmpty();
            Api.Answer ready = Api.get("http://localhost:" + health + "/actuator/health/readiness", null);
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.json().path("status").asString()).isEqualTo("UP");
            assertThat(Api.get("http://localhost:" + health + "/actuator/health/liveness", null).status()).isEqualTo(200);
            assertThatThrownBy(() -> new Socket("localhost", portal.apiPort()).close())
                    .as("nothing listens on the API port").isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void migrateModeMigratesAndStartsNothingElse() throws Exception {
        try (TestPortal portal = TestPortal.start("--netportal.mode=migrate")) {
            assertThat(portal.portal().context(ApiContext.class)).isEmpty();
            assertThat(portal.portal().context(UiContext.class)).isEmpty();
            assertThat(portal.portal().context(IdpContext.class)).isEmpty();
            try (Connection c = portal.database().connect(); Statement s = c.createStatement();
                    ResultSet rows = s.executeQuery("SELECT max(version::int) FROM flyway_schema_history WHERE success")) {
                rows.next();
                assertThat(rows.getInt(1)).as("every migration ran").isGreaterThanOrEqualTo(9);
            }
        }
    }

    @Test
    void anUnknownModeIsRefusedByName() {
        assertThatThrownBy(() -> TestPortal.start("--netportal.mode=everything"))
                .hasMessageContaining("everything").hasMessageContaining("dispatcher");
    }
}
