package dev.netportal.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netportal.common.DomainException;
import dev.netportal.identity.Actor;
import dev.netportal.identity.ProjectId;
import dev.netportal.identity.ProjectRole;
import dev.netportal.network.NetworkService;
import dev.netportal.network.NewNetwork;
import dev.netportal.testing.Api;
import dev.netportal.testing.PkceLogin;
import dev.netportal.testing.TestPortal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every input has a largest size, checked before any work (V2): a 400 that names the field and the limit, and
 * nothing stored. The OpenAPI document states the same limits.
 */
class InputBoundsApiTest {

    private final TestPortal portal = TestPortal.shared();

    private String bob() {
        return PkceLogin.accessToken(portal.issuer(), "bob", "bob");
    }

    private long count(String sql) throws Exception {
        try (Connection db = portal.database().connect(); Statement statement = db.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static void assertNamesFieldAndLimit(Api.Answer answer, String field, int limit) {
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(400);
        assertThat(answer.json().get("type").asString()).endsWith("/validation");
        assertThat(answer.json().get("errors").valueStream()
                .filter(e -> e.get("field").asString().equals(field)).map(e -> e.get("message").asString()).toList())
                .as(answer.raw().body()).singleElement().asString().contains(String.valueOf(limit));
    }

    @Test
    void aDescriptionLongerThanItsLimitIsRefusedAndNothingIsCreated() throws Exception {
        String name = "bounds-" + UUID.randomUUID().toString().substring(0, 8);
        Api.Answer refused = Api.send("POST", portal.apiUrl() + "/api/v1/projects/tenant-a/networks", bob(),
                "{\"name\":\"" + name + "\",\"partition\":\"nbg-1\",\"description\":\"" + "d".repeat(1001) + "\"}");

        assertNamesFieldAndLimit(refused, "description", 1000);
        assertThat(count("SELECT count(*) FROM network WHERE name = '" + name + "'")).isZero();
    }

    @Test
    void theDomainRefusesALongDescriptionOnEveryPathNotOnlyTheApi() {
        NetworkService networks = portal.portal().core().getBean(NetworkService.class);
        Actor bob = new Actor("bob", "Bob Tenant-A", false, Map.of(new ProjectId("tenant-a"), ProjectRole.OWNER));

        assertThatThrownBy(() -> networks.create(bob, new ProjectId("tenant-a"),
                new NewNetwork("bounds-domain", "nbg-1", Optional.of(28), "d".repeat(1001))).block())
                .isInstanceOfSatisfying(DomainException.class, refused -> {
                    assertThat(refused.code()).isEqualTo("description-length");
                    assertThat(refused.getMessage()).contains("1000", "1001");
                });
    }

    @Test
    void anAuditObjectIdAsLongAsAShareRequestsIsAFilter() {
        String shareRequestObject = UUID.randomUUID() + "/share-requests/" + UUID.randomUUID();

        assertThat(Api.get(portal.apiUrl() + "/api/v1/audit-events?object=" + shareRequestObject, bob()).status()).isEqualTo(200);
    }

    @Test
    void tooManyLabelsOrALongLabelValueAreRefused() {
        String labels = IntStream.range(0, 33).mapToObj(i -> "\"k" + i + "\":\"v\"").collect(Collectors.joining(","));
        assertNamesFieldAndLimit(Api.send("POST", portal.apiUrl() + "/api/v1/projects/tenant-a/networks", bob(),
                "{\"name\":\"bounds-labels\",\"partition\":\"nbg-1\",\"labels\":{" + labels + "}}"), "labels", 32);
        Api.Answer longValue = Api.send("POST", portal.apiUrl() + "/api/v1/projects/tenant-a/networks", bob(),
                "{\"name\":\"bounds-labels\",\"partition\":\"nbg-1\",\"labels\":{\"team\":\"" + "v".repeat(257) + "\"}}");
        assertThat(longValue.status()).isEqualTo(400);
        assertThat(longValue.json().get("detail").asString()).contains("labels", "256");
    }

    @Test
    void aFirewallRequestWithThousandsOfNetworksIsRefusedBeforeAnyLookup() throws Exception {
        String networks = IntStream.range(0, 4000).mapToObj(i -> "{\"network\":\"" + UUID.randomUUID() + "\"}")
                .collect(Collectors.joining(","));
        long revisions = count("SELECT count(*) FROM firewall_config");
        String token = bob();
        for (int round = 1; round <= 3; round++) {
            long started = System.nanoTime();
            Api.Answer refused = Api.send("POST", portal.apiUrl() + "/api/v1/projects/tenant-a/firewalls", token,
                    "{\"name\":\"bounds-fw\",\"partition\":\"nbg-1\",\"size\":\"fw-small\",\"networks\":[" + networks + "]}");

            assertNamesFieldAndLimit(refused, "networks", 64);
            System.out.printf("4000 networks refused in %d ms (round %d)%n", (System.nanoTime() - started) / 1_000_000, round);
        }
        assertThat(count("SELECT count(*) FROM firewall_config")).isEqualTo(revisions);
    }

    @Test
    void givenAddressesAreBoundedInCountAndLength() {
        Api.Answer tooMany = Api.send("POST", portal.apiUrl() + "/api/v1/projects/tenant-a/machines", bob(),
                "{\"name\":\"bounds-m\",\"partition\":\"nbg-1\",\"size\":\"s\",\"network\":\"" + UUID.randomUUID()
                        + "\",\"ips\":[\"10.0.0.1\",\"10.0.0.2\",\"10.0.0.3\"]}");
        assertNamesFieldAndLimit(tooMany, "ips", 2);
        Api.Answer tooLong = Api.send("POST", portal.apiUrl() + "/api/v1/networks/" + UUID.randomUUID() + "/ips", bob(),
                "{\"ip\":\"" + "1".repeat(65) + "\"}");
        assertNamesFieldAndLimit(tooLong, "ip", 64);
    }

    @Test
    void queryParametersAreBoundedToo() {
        Api.Answer refused = Api.get(portal.apiUrl() + "/api/v1/audit-events?actor=" + "a".repeat(256), bob());

        assertNamesFieldAndLimit(refused, "actor", 255);
    }

    @Test
    void theOpenApiDocumentStatesTheLimits() {
        JsonNode schemas = Api.get(portal.apiUrl() + "/v3/api-docs", null).json().get("components").get("schemas");

        assertThat(schemas.get("CreateNetwork").get("properties").get("description").get("maxLength").asInt()).isEqualTo(1000);
        assertThat(schemas.get("CreateNetwork").get("properties").get("name").get("maxLength").asInt()).isEqualTo(100);
        assertThat(schemas.get("NewFirewall").get("properties").get("networks").get("maxItems").asInt()).isEqualTo(64);
        assertThat(schemas.get("FileRequest").get("properties").get("reason").get("maxLength").asInt()).isEqualTo(2000);
    }

    @Test
    void theAuditLogKeepsWhatChangedAndTheNameNotCopiesOfUnchangedText() throws Exception {
        String token = bob();
        String description = "x".repeat(900);
        Api.Answer created = Api.send("POST", portal.apiUrl() + "/api/v1/projects/tenant-a/networks", token,
                "{\"name\":\"bounds-audit\",\"partition\":\"nbg-1\",\"prefixLength\":28,\"description\":\"" + description + "\"}");
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        String id = created.json().get("id").asString();

        Api.Answer renamed = Api.send("PATCH", portal.apiUrl() + "/api/v1/networks/" + id, token, "{\"name\":\"bounds-audit-2\"}");
        assertThat(renamed.status()).as(renamed.raw().body()).isEqualTo(200);

        JsonNode event = Api.get(portal.apiUrl() + "/api/v1/audit-events?object=" + id + "&action=network.update", token)
                .json().get("items").get(0);
        assertThat(event.get("before").propertyNames()).containsExactly("name");
        assertThat(event.get("after").get("name").asString()).isEqualTo("bounds-audit-2");
        assertThat(event.toString()).doesNotContain(description);
    }
}
