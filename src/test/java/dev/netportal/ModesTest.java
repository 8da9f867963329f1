package dev.netportal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netportal.api.ApiContext;
import dev.netportal.testing.Api;
import dev.netportal.testing.TestPortal;
import dev.netportal.ui.UiContext;
import java.net.ConnectException;
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
}
