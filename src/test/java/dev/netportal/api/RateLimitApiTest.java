package dev.netportal.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.firewall.protocol.StreamMessage;
import dev.netportal.testing.Api;
import dev.netportal.testing.PkceLogin;
import dev.netportal.testing.TestPortal;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * The rate limits of a portal that has them on, with small limits so that a test reaches them quickly. The
 * loopback address is a trusted proxy here, so each test names its own client address in
 * {@code X-Forwarded-For} and no test uses up another's buckets.
 */
class RateLimitApiTest {

    private static TestPortal portal;

    @BeforeAll
    static void start() {
        portal = TestPortal.start("--netportal.rate-limits.enabled=true",
                "--netportal.rate-limits.writes-per-second=1", "--netportal.rate-limits.write-burst=5",
                "--netportal.rate-limits.reads-per-second=1", "--netportal.rate-limits.read-burst=8",
                "--netportal.rate-limits.per-address-per-second=1", "--netportal.rate-limits.per-address-burst=40",
                "--netportal.rate-limits.agent-connects-per-minute=1", "--netportal.rate-limits.agent-connect-burst=3",
                "--netportal.rate-limits.sign-ins-per-minute=1", "--netportal.rate-limits.sign-in-burst=4",
                "--netportal.rate-limits.trusted-proxies=127.0.0.1,::1");
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    private static String token(String user) {
        return PkceLogin.accessToken(portal.issuer(), user, user);
    }

    private static Api.Answer create(String token, String name, String client) {
        return Api.send("POST", portal.apiUrl() + "/api/v1/projects/tenant-a/networks", token,
                "{\"name\":\"" + name + "\",\"partition\":\"nbg-1\",\"prefixLength\":28}", "X-Forwarded-For", client);
    }

    private static int networksNamed(String prefix) throws Exception {
        try (Connection db = portal.database().connect(); Statement sql = db.createStatement();
                ResultSet rows = sql.executeQuery("SELECT count(*) FROM network WHERE name LIKE '" + prefix + "%'")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    @Test
    void aCallersWritesBeyondTheBurstAreRefusedWith429AndDoNothing() throws Exception {
        String bob = token("bob");
        List<Integer> statuses = new ArrayList<>();
        Api.Answer refused = null;
        for (int i = 0; i < 7 && refused == null; i++) {
            Api.Answer answer = create(bob, "flood-" + i, "192.0.2.10");
            statuses.add(answer.status());
            if (answer.status() == 429) {
                refused = answer;
            }
        }
        // five at once, the sixth refused (a token comes back each second, so at most one more may slip in)
        assertThat(statuses.subList(0, 5)).containsOnly(201);
        assertThat(refused).as("statuses " + statuses).isNotNull();
        assertThat(refused.raw().headers().firstValue("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Integer.parseInt(seconds)).isBetween(1, 2));
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("type").asString()).endsWith("/rate-limited");
        assertThat(refused.json().get("detail").asString()).contains("Too many writes", "1 per second, bursts of 5");
        assertThat(networksNamed("flood-")).isEqualTo(statuses.size() - 1);

        // reads have a bucket of their own, and so has another caller
        assertThat(Api.send("GET", portal.apiUrl() + "/api/v1/me", bob, null, "X-Forwarded-For", "192.0.2.10").status())
                .isEqualTo(200);
        assertThat(create(token("dave"), "other-caller", "192.0.2.10").status())
                .isEqualTo(404);   // dave's own bucket: tenant-a is not his project (not found), not 429

        // after the wait it names, the caller may write again
        Thread.sleep(Long.parseLong(refused.raw().headers().firstValue("Retry-After").orElseThrow()) * 1000 + 100);
        assertThat(create(bob, "flood-after", "192.0.2.10").status()).isEqualTo(201);
    }

    @Test
    void anAddressIsLimitedBeforeItsTokenIsRead() {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            statuses.add(Api.send("GET", portal.apiUrl() + "/api/v1/me", "not-a-token", null,
                    "X-Forwarded-For", "198.51.100.20").status());
        }
        assertThat(statuses.subList(0, 40)).containsOnly(401);
        assertThat(statuses.subList(41, 45)).containsOnly(429);
        // another address is not affected, and neither are the health probes
        assertThat(Api.send("GET", portal.apiUrl() + "/api/v1/me", "not-a-token", null,
                "X-Forwarded-For", "198.51.100.21").status()).isEqualTo(401);
        assertThat(Api.send("GET", portal.apiUrl() + "/actuator/health/readiness", null, null,
                "X-Forwarded-For", "198.51.100.20").status()).isEqualTo(200);
    }

    @Test
    void aForwardedHeaderFromTheClientItselfIsNotTrustedBeyondTheProxy() {
        // the loopback proxy appended 198.51.100.30; what the client put before it is ignored
        for (int i = 0; i < 40; i++) {
            Api.send("GET", portal.apiUrl() + "/api/v1/me", "x", null,
                    "X-Forwarded-For", "203.0.113." + i + ", 198.51.100.30");
        }
        assertThat(Api.send("GET", portal.apiUrl() + "/api/v1/me", "x", null,
                "X-Forwarded-For", "203.0.113.99, 198.51.100.30").status()).isEqualTo(429);
    }

    @Test
    void anAgentsConnectionsAreLimitedPerFirewallAndAddress() {
        String firewall = UUID.randomUUID().toString();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            statuses.add(Api.send("GET", portal.apiUrl() + "/agent/v1/firewalls/" + firewall + "/stream", "wrong", null,
                    "X-Forwarded-For", "198.51.100.40").status());
        }
        assertThat(statuses).containsExactly(401, 401, 401, 429, 429);
        // someone elsewhere using the firewall's id does not use up the agent's own connections
        assertThat(Api.send("GET", portal.apiUrl() + "/agent/v1/firewalls/" + firewall + "/stream", "wrong", null,
                "X-Forwarded-For", "198.51.100.41").status()).isEqualTo(401);
    }

    @Test
    void anAgentFloodingItsStreamIsCut() {
        String carol = token("carol");
        String network = Api.send("POST", portal.apiUrl() + "/api/v1/projects/tenant-a/networks", carol,
                "{\"name\":\"flood-agent\",\"partition\":\"nbg-1\",\"prefixLength\":28}", "X-Forwarded-For", "198.51.100.60")
                .json().get("id").asString();
        String internet = Api.send("GET", portal.apiUrl() + "/api/v1/partitions/nbg-1", carol, null,
                "X-Forwarded-For", "198.51.100.60").json().get("externalNetworks").get(0).get("id").asString();
        Api.Answer allocated = Api.send("POST", portal.apiUrl() + "/api/v1/projects/tenant-a/firewalls", carol,
                "{\"name\":\"flood-fw\",\"partition\":\"nbg-1\",\"size\":\"c1-large\",\"networks\":[{\"network\":\""
                        + network + "\"},{\"network\":\"" + internet + "\"}]}", "X-Forwarded-For", "198.51.100.60");
        assertThat(allocated.status()).as(allocated.raw().body()).isEqualTo(201);
        String firewall = allocated.json().get("firewall").get("id").asString();
        String credential = allocated.json().get("agentCredential").asString();
        String status = StreamMessage.encode(new StreamMessage.Status(0, null, "RECORD"));

        // the default allows 100 messages at once: 300 status messages in a row close the stream
        Integer code = reactor.netty.http.client.HttpClient.create()
                .headers(headers -> headers.set("Authorization", "Bearer " + credential).set("X-Forwarded-For", "198.51.100.61"))
                .websocket()
                .uri(portal.apiUrl().replaceFirst("^http", "ws") + "/agent/v1/firewalls/" + firewall + "/stream")
                .handle((in, out) -> {
                    out.sendString(Flux.range(0, 300).map(i -> status)).then().subscribe();
                    in.receive().subscribe();
                    return in.receiveCloseStatus().map(WebSocketCloseStatus::code);
                })
                .next()
                .block(Duration.ofSeconds(15));

        assertThat(code).isEqualTo(4429);
    }

    @Test
    void signInsFromOneAddressAreLimitedInTheUi() throws Exception {
        HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        List<Integer> statuses = new ArrayList<>();
        HttpResponse<String> last = null;
        for (int i = 0; i < 6; i++) {
            last = browser.send(HttpRequest.newBuilder(URI.create(portal.uiUrl() + "/oauth2/authorization/netportal"))
                    .header("X-Forwarded-For", "198.51.100.50").build(), HttpResponse.BodyHandlers.ofString());
            statuses.add(last.statusCode());
        }
        assertThat(statuses.subList(0, 4)).containsOnly(302);
        assertThat(statuses.subList(4, 6)).containsOnly(429);
        assertThat(last.headers().firstValue("Retry-After")).isPresent();
        assertThat(last.body()).contains("Too many sign-ins from your address", "1 per minute, bursts of 4");
    }
}
