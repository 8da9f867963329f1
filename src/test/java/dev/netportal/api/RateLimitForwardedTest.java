package dev.netportal.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.testing.Api;
import dev.netportal.testing.TestPortal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With the web server reading forwarded headers ({@code server.forward-headers-strategy=native}, as the Helm chart
 * runs it), a client that writes its own {@code X-Forwarded-For} is still counted by its connection's address
 * when it is not a trusted proxy: it cannot escape the per-address limit by naming a new address each time.
 */
class RateLimitForwardedTest {

    private static TestPortal portal;

    @BeforeAll
    static void start() {
        portal = TestPortal.start("--server.forward-headers-strategy=native", "--netportal.rate-limits.enabled=true",
                "--netportal.rate-limits.per-address-per-second=1", "--netportal.rate-limits.per-address-burst=20");
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    @Test
    void aClientNamingANewAddressEachTimeIsCountedByItsConnection() {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            statuses.add(Api.send("GET", portal.apiUrl() + "/api/v1/me", "not-a-token", null,
                    "X-Forwarded-For", "203.0.113." + i).status());
        }
        assertThat(statuses.subList(0, 20)).containsOnly(401);
        assertThat(statuses.subList(21, 25)).containsOnly(429);
    }
}
