package dev.netportal.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.testing.Api;
import dev.netportal.testing.PkceLogin;
import dev.netportal.testing.TestPortal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Every change leaves an audit event that the project's viewers and the admins can read, and nobody else. */
class AuditApiTest {

    private final TestPortal portal = TestPortal.shared();

    @Test
    void aNetworkCreationIsAuditedAndVisibleToTheRightPeople() {
        String bob = PkceLogin.accessToken(portal.issuer(), "bob", "bob");
        Api.Answer created = Api.send(HttpRequest.newBuilder(URI.create(portal.apiUrl() + "/api/v1/projects/tenant-a/networks"))
                .timeout(Api.TIMEOUT).header("Authorization", "Bearer " + bob).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"audited\",\"partition\":\"nbg-1\"}")).build());
        String id = created.json().get("id").asString();

        Api.Answer forVera = Api.get(portal.apiUrl() + "/api/v1/audit-events?project=tenant-a",
                PkceLogin.accessToken(portal.issuer(), "vera", "vera"));
        assertThat(forVera.status()).isEqualTo(200);
        JsonNode event = forVera.json().get("items").valueStream()
                .filter(e -> e.get("objectId").asString().equals(id)).findFirst().orElseThrow();
        assertThat(event.get("action").asString()).isEqualTo("network.create");
        assertThat(event.get("actorSubject").asString()).isEqualTo("bob");
        assertThat(event.get("actorName").asString()).isEqualTo("Bob Tenant-A");
        assertThat(event.get("after").get("name").asString()).isEqualTo("audited");
        assertThat(event.get("after").get("prefixes").get(0).asString()).startsWith("10.1.");
        assertThat(created.raw().headers().firstValue("X-Request-Id")).isPresent()
                .hasValue(event.get("requestId").asString());

        String dave = PkceLogin.accessToken(portal.issuer(), "dave", "dave");
        assertThat(Api.get(portal.apiUrl() + "/api/v1/audit-events?project=tenant-a", dave).status()).isEqualTo(404);
        List<String> davesProjects = Api.get(portal.apiUrl() + "/api/v1/audit-events", dave).json().get("items")
                .valueStream().map(e -> e.get("project").isNull() ? "" : e.get("project").asString()).distinct().toList();
        assertThat(davesProjects).doesNotContain("tenant-a");

        String admin = PkceLogin.accessToken(portal.issuer(), "admin", "admin");
        assertThat(Api.get(portal.apiUrl() + "/api/v1/audit-events?object=" + id, admin).json().get("items").size())
                .as("admins see every project's events").isEqualTo(1);
        assertThat(Api.get(portal.apiUrl() + "/api/v1/audit-events?object=fra-1", admin).json().get("items")
                .valueStream().map(e -> e.get("action").asString())).as("and those of no project").contains("partition.create");
    }

    @Test
    void eventsFilterByObjectActionAndActor() {
        String carol = PkceLogin.accessToken(portal.issuer(), "carol", "carol");
        String network = Api.send("POST", portal.apiUrl() + "/api/v1/projects/tenant-a/networks", carol,
                "{\"name\":\"audit-filter\",\"partition\":\"nbg-1\",\"prefixLength\":28}").json().get("id").asString();
        Api.Answer reserved = Api.send("POST", portal.apiUrl() + "/api/v1/networks/" + network + "/ips", carol, "{}");
        String ip = reserved.json().get("ip").asString();

        JsonNode trail = Api.get(portal.apiUrl() + "/api/v1/audit-events?project=tenant-a&object=" + network, carol).json();
        assertThat(trail.get("items").valueStream().map(e -> e.get("action").asString()).toList())
                .as("a network's trail holds its IPs' events, newest first").containsExactly("ip.allocate", "network.create");
        JsonNode event = trail.get("items").get(0);
        assertThat(event.get("objectId").asString()).isEqualTo(network + "/" + ip);
        assertThat(event.get("after").get("ip").asString()).isEqualTo(ip);
        assertThat(event.get("after").get("network").asString()).isEqualTo("audit-filter");
        assertThat(event.get("after").get("kind").asString()).isEqualTo("STATIC");
        assertThat(event.get("before").isNull()).isTrue();
        assertThat(event.get("partition").asString()).isEqualTo("nbg-1");
        assertThat(event.get("actorName").asString()).isEqualTo("Carol Tenant-A");
        assertThat(event.get("requestId").asString()).isEqualTo(reserved.raw().headers().firstValue("X-Request-Id").orElseThrow());

        JsonNode ipsOnly = Api.get(portal.apiUrl() + "/api/v1/audit-events?project=tenant-a&action=ip.&actor=carol&object=" + network, carol).json();
        assertThat(ipsOnly.get("items").valueStream().map(e -> e.get("action").asString()).toList())
                .containsExactly("ip.allocate");
        assertThat(ipsOnly.get("items").valueStream().map(e -> e.get("actorSubject").asString()).distinct().toList())
                .containsExactly("carol");
        JsonNode byName = Api.get(portal.apiUrl() + "/api/v1/audit-events?object=" + network + "&actor=Carol%20Tenant", carol).json();
        assertThat(byName.get("items").size()).isEqualTo(2);
        JsonNode nobody = Api.get(portal.apiUrl() + "/api/v1/audit-events?object=" + network + "&actor=bob", carol).json();
        assertThat(nobody.get("items").size()).isZero();
    }

    @Test
    void pagesFollowEachOtherWithoutGapsOrRepeats() {
        String admin = PkceLogin.accessToken(portal.issuer(), "admin", "admin");
        JsonNode first = Api.get(portal.apiUrl() + "/api/v1/audit-events?size=2", admin).json();
        JsonNode second = Api.get(portal.apiUrl() + "/api/v1/audit-events?size=2&after=" + first.get("next").asLong(), admin).json();

        long lastOfFirst = first.get("items").get(1).get("id").asLong();
        assertThat(second.get("items").get(0).get("id").asLong()).isLessThan(lastOfFirst);
        assertThat(Api.get(portal.apiUrl() + "/api/v1/audit-events?size=0", admin).status()).isEqualTo(400);
    }
}
