package dev.netportal.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.testing.PkceLogin;
import dev.netportal.testing.TestPortal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Clients that keep their connection open get every answer. A request answered from the database thread
 * followed quickly by one answered at once used to leave the next request on the same connection unanswered
 * (Reactor Netty before 1.3.8, reactor/reactor-netty#4361); this sends such pairs many times on one connection.
 */
class KeepAliveTest {

    @Test
    void everyRequestOnAKeptAliveConnectionIsAnswered() throws Exception {
        TestPortal portal = TestPortal.shared();
        String token = PkceLogin.accessToken(portal.issuer(), "bob", "bob");
        URI me = URI.create(portal.apiUrl() + "/api/v1/me");
        List<String> unanswered = new ArrayList<>();
        try (HttpClient http = HttpClient.newBuilder().build()) {
            for (int i = 0; i < 300; i++) {
                String bearer = i % 2 == 0 ? token : "not.a.jwt";
                HttpRequest request = HttpRequest.newBuilder(me).timeout(Duration.ofSeconds(3))
                        .header("Authorization", "Bearer " + bearer).GET().build();
                try {
                    int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                    assertThat(status).isEqualTo(i % 2 == 0 ? 200 : 401);
                } catch (java.net.http.HttpTimeoutException e) {
                    unanswered.add("request " + i);
                }
            }
        }
        assertThat(unanswered).as("requests left without an answer").isEmpty();
    }
}
