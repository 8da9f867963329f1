package dev.netportal.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.netportal.idp.IdpContext;
import dev.netportal.testing.Api;
import dev.netportal.testing.DatabaseSnapshot;
import dev.netportal.testing.PkceLogin;
import dev.netportal.testing.TestPortal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import tools.jackson.databind.JsonNode;

/**
 * The authorization rules that need more than one call: who withdraws a share request once roles changed (S2),
 * four eyes for an admin who also holds a project role, and the agent stream, which takes only its own firewall's
 * credential. Every refusal is checked to have changed nothing.
 */
class AuthorizationRulesTest {

    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static DatabaseSnapshot database;

    private final TestPortal portal = TestPortal.shared();

    @BeforeAll
    static void openDatabase() {
        database = DatabaseSnapshot.of(TestPortal.shared());
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    // ---- S2: who withdraws ----

    /**
     * S2 says "the requester may withdraw while pending": the right belongs to who filed the request, not to the
     * role they hold now. Someone who filed as owner and is only a member of the project now still withdraws it.
     */
    @Test
    void aDemotedRequesterStillWithdrawsTheirRequest() {
        String subject = "demoted-" + SEQUENCE.incrementAndGet();
        String asOwner = tokenFor(subject, "project:tenant-a:owner");
        String asMember = tokenFor(subject, "project:tenant-a:member");
        String request = file(asOwner, network());

        Api.Answer withdrawn = send(asMember, "POST", "/api/v1/share-requests/" + request + "/withdraw", "{}");

        assertThat(withdrawn.status()).as(withdrawn.raw().body()).isEqualTo(200);
        assertThat(withdrawn.json().get("status").asString()).isEqualTo("WITHDRAWN");
    }

    /** A requester who lost every role in the project sees nothing of it any more: "not found" (V1), nothing changes. */
    @Test
    void aRequesterWithoutARoleInTheProjectAnymoreFindsNothing() {
        String subject = "removed-" + SEQUENCE.incrementAndGet();
        String request = file(tokenFor(subject, "project:tenant-a:owner"), network());

        Api.Answer refused = refusedAndNothingChanged(tokenFor(subject, "project:tenant-b:owner"), "POST",
                "/api/v1/share-requests/" + request + "/withdraw", "{}", 404, "not-found");

        assertThat(refused.raw().body()).doesNotContain("authz-rule");
        assertThat(status(request)).isEqualTo("PENDING");
    }

    /** S2: a second owner of the same project does not withdraw another owner's request; it stays pending. */
    @Test
    void aSecondOwnerDoesNotWithdrawAnotherOwnersRequest() {
        String request = file(token("bob"), network());

        Api.Answer refused = refusedAndNothingChanged(token("ingrid"), "POST", "/api/v1/share-requests/" + request + "/withdraw",
                "{}", 403, "S2-requester-only");

        assertThat(refused.json().get("detail").asString()).contains("Bob Tenant-A");
        assertThat(status(request)).isEqualTo("PENDING");
    }

    /** The request's owner may still withdraw it after the second owner was refused. */
    @Test
    void theRequesterWithdrawsWhatTheSecondOwnerCouldNot() {
        String request = file(token("bob"), network());
        refusedAndNothingChanged(token("ingrid"), "POST", "/api/v1/share-requests/" + request + "/withdraw", "{}", 403,
                "S2-requester-only");

        assertThat(send(token("bob"), "POST", "/api/v1/share-requests/" + request + "/withdraw", "{}").status()).isEqualTo(200);
        assertThat(status(request)).isEqualTo("WITHDRAWN");
    }

    // ---- S2: four eyes for an admin who also holds a project role ----

    /** An admin who is also in the project files as anyone may, but never decides their own request (four eyes). */
    @Test
    void anAdminWithAProjectRoleDoesNotDecideTheirOwnRequest() {
        String request = file(token("hazel"), network());

        refusedAndNothingChanged(token("hazel"), "POST", "/api/v1/share-requests/" + request + "/approve", "{}", 422,
                "S2-four-eyes");
        refusedAndNothingChanged(token("hazel"), "POST", "/api/v1/share-requests/" + request + "/reject",
                "{\"comment\":\"mine\"}", 422, "S2-four-eyes");
        assertThat(status(request)).isEqualTo("PENDING");

        Api.Answer approved = send(token("admin"), "POST", "/api/v1/share-requests/" + request + "/approve", "{}");
        assertThat(approved.status()).as(approved.raw().body()).isEqualTo(200);
        assertThat(approved.json().get("status").asString()).isEqualTo("APPROVED");
    }

    // ---- the agent stream takes its own firewall's credential only ----

    @Test
    void theAgentStreamRefusesEveryCredentialButItsFirewallsOwn() throws SQLException {
        JsonNode mine = firewall();
        JsonNode other = firewall();
        String path = "/agent/v1/firewalls/" + mine.get("firewall").get("id").asString() + "/stream";
        String agentState = agentState(mine, other);

        refusedAndNothingChanged(null, "GET", path, null, 401, "unauthorized");
        refusedAndNothingChanged(other.get("agentCredential").asString(), "GET", path, null, 401, "unauthorized");
        refusedAndNothingChanged(token("bob"), "GET", path, null, 401, "unauthorized");
        refusedAndNothingChanged(token("admin"), "GET", path, null, 401, "unauthorized");
        refusedAndNothingChanged("x".repeat(5000), "GET", path, null, 401, "unauthorized");
        // a firewall that does not exist, with a credential that exists
        refusedAndNothingChanged(mine.get("agentCredential").asString(), "GET", "/agent/v1/firewalls/" + UUID.randomUUID()
                + "/stream", null, 401, "unauthorized");
        assertThat(agentState(mine, other)).as("the agents' stream columns").isEqualTo(agentState);

        // the check above is the credential's: with its own, the request passes it (and fails as no WebSocket upgrade)
        Api.Answer own = send(mine.get("agentCredential").asString(), "GET", path, null);
        assertThat(own.status()).as(own.raw().body()).isNotEqualTo(401).isBetween(400, 499);
    }

    // ---- helpers ----

    private Api.Answer refusedAndNothingChanged(String token, String method, String path, String body, int status, String type) {
        Map<String, DatabaseSnapshot.Content> before = database.take();
        Api.Answer answer = send(token, method, path, body);

        assertThat(answer.status()).as(method + " " + path + ": " + answer.raw().body()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().get("type").asString()).isEqualTo(ApiErrors.TYPE_BASE + type);
        assertThat(DatabaseSnapshot.changes(before, database.take())).as("tables a refused call changed").isEmpty();
        return answer;
    }

    private Api.Answer send(String token, String method, String path, String body) {
        return Api.send(method, portal.apiUrl() + path, token, body);
    }

    private String token(String user) {
        return TOKENS.computeIfAbsent(user, u -> PkceLogin.accessToken(portal.issuer(), u, u));
    }

    /**
     * A token as the provider issues it, for {@code subject} with these groups: the same person can be given
     * another role, as an administrator of the provider would.
     */
    @SuppressWarnings("unchecked")
    private String tokenFor(String subject, String... groups) {
        JWKSource<SecurityContext> keys = portal.portal().context(IdpContext.class).orElseThrow().getBean(JWKSource.class);
        Instant now = Instant.now();
        JwtClaimsSet claims = JwtClaimsSet.builder().issuer(portal.issuer()).subject(subject)
                .audience(List.of("netportal-cli", "netportal-api")).issuedAt(now).notBefore(now).expiresAt(now.plusSeconds(300))
                .claim("groups", List.of(groups)).claim("name", "Person " + subject).build();
        return new NimbusJwtEncoder(keys).encode(JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.RS256).build(), claims))
                .getTokenValue();
    }

    private String network() {
        Api.Answer created = send(token("bob"), "POST", "/api/v1/projects/tenant-a/networks",
                "{\"name\":\"authz-rule-" + SEQUENCE.incrementAndGet() + "\",\"partition\":\"nbg-1\",\"prefixLength\":28}");
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private String file(String token, String network) {
        Api.Answer filed = send(token, "POST", "/api/v1/networks/" + network + "/share-requests",
                "{\"reason\":\"rules\",\"natType\":\"NONE\"}");
        assertThat(filed.status()).as(filed.raw().body()).isEqualTo(201);
        return filed.json().get("id").asString();
    }

    private String status(String request) {
        return send(token("admin"), "GET", "/api/v1/share-requests/" + request, null).json().get("status").asString();
    }

    private static volatile String internet;

    /** A firewall of tenant-a in a partition of this class's own (created once), with its agent credential. */
    private JsonNode firewall() {
        synchronized (AuthorizationRulesTest.class) {
            if (internet == null) {
                Api.Answer partition = send(token("admin"), "POST", "/api/v1/partitions", """
                        {"id":"authz-rules","name":"Rules","superNetworks":["10.201.0.0/16"],"childPrefixLength":{"ipv4":28},
                         "externalNetworks":[{"name":"internet","prefixes":["100.64.204.0/22"],"destinationPrefixes":["0.0.0.0/0"],
                         "natType":"IPV4_MASQUERADE"}],"inventory":{"c1":20}}""");
                assertThat(partition.status()).as(partition.raw().body()).isEqualTo(201);
                internet = partition.json().get("externalNetworks").get(0).get("id").asString();
            }
        }
        Api.Answer network = send(token("bob"), "POST", "/api/v1/projects/tenant-a/networks",
                "{\"name\":\"authz-rule-" + SEQUENCE.incrementAndGet() + "\",\"partition\":\"authz-rules\"}");
        assertThat(network.status()).as(network.raw().body()).isEqualTo(201);
        Api.Answer created = send(token("bob"), "POST", "/api/v1/projects/tenant-a/firewalls", "{\"name\":\"authz-rule-fw-"
                + SEQUENCE.incrementAndGet() + "\",\"partition\":\"authz-rules\",\"size\":\"c1\",\"networks\":[{\"network\":\""
                + network.json().get("id").asString() + "\"},{\"network\":\"" + internet + "\"}]}");
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        return created.json();
    }

    /** The stream columns of the firewalls' sync rows, which only an accepted agent changes. */
    private String agentState(JsonNode... firewalls) throws SQLException {
        StringBuilder state = new StringBuilder();
        try (Connection connection = portal.database().connect();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT agent_instance, agent_stream, agent_refusal FROM firewall_sync WHERE firewall_id = ?")) {
            for (JsonNode firewall : firewalls) {
                query.setObject(1, UUID.fromString(firewall.get("firewall").get("id").asString()));
                try (ResultSet row = query.executeQuery()) {
                    assertThat(row.next()).as("sync row of the firewall").isTrue();
                    state.append(row.getString(1)).append('/').append(row.getString(2)).append('/').append(row.getString(3)).append(';');
                }
            }
        }
        return state.toString();
    }
}
