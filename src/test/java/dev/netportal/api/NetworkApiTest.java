package dev.netportal.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.testing.Api;
import dev.netportal.testing.PkceLogin;
import dev.netportal.testing.TestPortal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The network and IP endpoints with real tokens of the demo users: statuses, bodies and problem types by role. */
class NetworkApiTest {

    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    private final TestPortal portal = TestPortal.shared();

    private String token(String user) {
        return TOKENS.computeIfAbsent(user, u -> PkceLogin.accessToken(portal.issuer(), u, u));
    }

    private Api.Answer post(String user, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(portal.apiUrl() + path)).timeout(Api.TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (user != null) {
            request.header("Authorization", "Bearer " + token(user));
        }
        return Api.send(request.build());
    }

    private Api.Answer get(String user, String path) {
        return Api.get(portal.apiUrl() + path, user == null ? null : token(user));
    }

    private static void assertProblem(Api.Answer answer, int status, String type) {
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().get("type").asString()).endsWith("/errors/" + type);
        assertThat(answer.json().get("detail").asString()).isNotBlank();
    }

    private String createNetwork(String user) {
        Api.Answer created = post(user, "/api/v1/projects/tenant-a/networks", "{\"name\":\"web\",\"partition\":\"fra-1\"}");
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    @Test
    void aMemberCreatesANetworkAndReservesAutomaticAndSpecificIps() {
        Api.Answer created = post("carol", "/api/v1/projects/tenant-a/networks",
                "{\"name\":\"backend\",\"partition\":\"fra-1\",\"prefixLength\":24}");

        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asString();
        assertThat(created.raw().headers().firstValue("Location")).contains("/api/v1/networks/" + id);
        assertThat(created.json().get("type").asString()).isEqualTo("CHILD");
        assertThat(created.json().get("project").asString()).isEqualTo("tenant-a");
        assertThat(created.json().get("prefix").asString()).startsWith("10.0.").endsWith("/24");
        assertThat(created.json().get("vrf").asInt()).isPositive();
        assertThat(created.json().get("usage").get("total").asLong()).isEqualTo(253);
        String base = created.json().get("prefix").asString().replace(".0/24", ".");

        Api.Answer auto = post("carol", "/api/v1/networks/" + id + "/ips", "{}");
        Api.Answer specific = post("bob", "/api/v1/networks/" + id + "/ips", "{\"ip\":\"" + base + "200\",\"name\":\"lb\"}");

        assertThat(auto.status()).isEqualTo(201);
        assertThat(auto.json().get("ip").asString()).isEqualTo(base + "2");
        assertThat(auto.json().get("kind").asString()).isEqualTo("STATIC");
        assertThat(specific.status()).isEqualTo(201);
        assertThat(specific.json().get("ip").asString()).isEqualTo(base + "200");
        assertThat(get("vera", "/api/v1/networks/" + id).json().get("usage").get("allocated").asLong()).isEqualTo(2);
        Api.Answer list = get("vera", "/api/v1/networks/" + id + "/ips?size=1");
        assertThat(list.json().get("total").asLong()).isEqualTo(2);
        assertThat(list.json().get("items").size()).isEqualTo(1);
        assertThat(list.json().get("items").get(0).get("ip").asString()).isEqualTo(base + "2");
        Api.Answer second = get("vera", "/api/v1/networks/" + id + "/ips?size=1&page=1");
        assertThat(second.json().get("items").get(0).get("ip").asString()).isEqualTo(base + "200");
        assertThat(second.json().get("page").asInt()).isEqualTo(1);
        assertThat(get("vera", "/api/v1/networks/" + id + "/ips?size=1&page=2").json().get("items").size()).isZero();
        assertProblem(get("vera", "/api/v1/networks/" + id + "/ips?size=501"), 400, "paging");

        assertProblem(post("carol", "/api/v1/networks/" + id + "/ips", "{\"ip\":\"" + base + "200\"}"), 409, "I1-ip-taken");
        assertProblem(post("carol", "/api/v1/networks/" + id + "/ips", "{\"ip\":\"" + base + "1\"}"), 400, "I1-reserved");
        assertProblem(post("carol", "/api/v1/networks/" + id + "/ips", "{\"ip\":\"192.168.1.1\"}"), 400, "I1-outside");

        Api.Answer released = Api.send(HttpRequest.newBuilder(URI.create(portal.apiUrl() + "/api/v1/networks/" + id + "/ips/" + base + "2"))
                .timeout(Api.TIMEOUT).header("Authorization", "Bearer " + token("carol")).DELETE().build());
        assertThat(released.status()).isEqualTo(204);
    }

    @Test
    void rolesDecideWhoMaySeeAndWhoMayChange() {
        String id = createNetwork("bob");

        assertThat(get("vera", "/api/v1/networks/" + id).status()).as("viewer reads").isEqualTo(200);
        assertThat(get("vera", "/api/v1/projects/tenant-a/networks").status()).isEqualTo(200);
        assertProblem(post("vera", "/api/v1/networks/" + id + "/ips", "{}"), 403, "forbidden");
        assertProblem(post("vera", "/api/v1/projects/tenant-a/networks", "{\"name\":\"x\",\"partition\":\"fra-1\"}"), 403, "forbidden");
        assertProblem(get("dave", "/api/v1/networks/" + id), 404, "not-found");
        assertProblem(get("dave", "/api/v1/projects/tenant-a/networks"), 404, "not-found");
        assertProblem(post("dave", "/api/v1/networks/" + id + "/ips", "{}"), 404, "not-found");
        assertProblem(get(null, "/api/v1/networks/" + id), 401, "unauthorized");
    }

    @Test
    void aNetworkIsDeletedOnlyWhenNoIpIsLeft() {
        String id = createNetwork("bob");
        String ip = post("bob", "/api/v1/networks/" + id + "/ips", "{}").json().get("ip").asString();

        assertProblem(delete("bob", "/api/v1/networks/" + id), 409, "N3-network-in-use");
        assertProblem(delete("vera", "/api/v1/networks/" + id), 403, "forbidden");
        assertThat(delete("bob", "/api/v1/networks/" + id + "/ips/" + ip).status()).isEqualTo(204);
        assertThat(delete("bob", "/api/v1/networks/" + id).status()).isEqualTo(204);
        assertProblem(get("bob", "/api/v1/networks/" + id), 404, "not-found");
    }

    private Api.Answer delete(String user, String path) {
        return Api.send(HttpRequest.newBuilder(URI.create(portal.apiUrl() + path)).timeout(Api.TIMEOUT)
                .header("Authorization", "Bearer " + token(user)).DELETE().build());
    }

    @Test
    void nameDescriptionAndLabelsChangeButPartitionPrefixVrfAndTypeNever() {
        Api.Answer created = post("bob", "/api/v1/projects/tenant-a/networks",
                "{\"name\":\"db\",\"partition\":\"fra-1\",\"labels\":{\"team\":\"data\"}}");
        assertThat(created.json().get("labels").get("team").asString()).isEqualTo("data");
        String id = created.json().get("id").asString();
        String prefix = created.json().get("prefix").asString();

        Api.Answer changed = patch("carol", "/api/v1/networks/" + id,
                "{\"name\":\"database\",\"labels\":{\"team\":\"storage\",\"tier\":\"gold\"}}");

        assertThat(changed.status()).as(changed.raw().body()).isEqualTo(200);
        assertThat(changed.json().get("name").asString()).isEqualTo("database");
        assertThat(changed.json().get("labels").get("tier").asString()).isEqualTo("gold");
        assertThat(changed.json().get("prefix").asString()).isEqualTo(prefix);
        assertProblem(patch("carol", "/api/v1/networks/" + id, "{\"prefix\":\"10.0.200.0/24\"}"), 422, "N2-immutable");
        assertProblem(patch("carol", "/api/v1/networks/" + id, "{\"type\":\"CHILD\"}"), 422, "S4-unshare-forbidden");
        assertProblem(patch("carol", "/api/v1/networks/" + id, "{\"labels\":{\"Bad Key\":\"x\"}}"), 400, "network-labels");
        assertProblem(patch("vera", "/api/v1/networks/" + id, "{\"name\":\"mine\"}"), 403, "forbidden");
        assertThat(get("vera", "/api/v1/networks/" + id).json().get("name").asString()).isEqualTo("database");
    }

    private Api.Answer patch(String user, String path, String json) {
        return Api.send(HttpRequest.newBuilder(URI.create(portal.apiUrl() + path)).timeout(Api.TIMEOUT)
                .header("Authorization", "Bearer " + token(user)).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)).build());
    }

    @Test
    void badInputIsAClearProblemNeverA500() {
        assertProblem(post("bob", "/api/v1/projects/tenant-a/networks", "{not json"), 400, "malformed-request");
        assertProblem(post("bob", "/api/v1/projects/tenant-a/networks", "{\"name\":\"x\",\"partition\":\"fra-1\",\"prefixLength\":8}"),
                400, "N1-prefix-length");
        assertProblem(post("bob", "/api/v1/projects/tenant-a/networks", "{\"name\":\"x\",\"partition\":\"mars-1\"}"), 404, "not-found");
        assertProblem(post("bob", "/api/v1/projects/tenant-a/networks", "{\"partition\":\"fra-1\"}"), 400, "network-name");
        assertProblem(get("bob", "/api/v1/networks/not-a-uuid"), 400, "malformed-request");
        assertProblem(get("bob", "/api/v1/networks/00000000-0000-0000-0000-000000000000"), 404, "not-found");
        assertProblem(get("bob", "/api/v1/projects/tenant-a/networks?size=501"), 400, "paging");
        assertProblem(get("bob", "/api/v1/projects/tenant-a/networks?page=-1"), 400, "paging");
    }

    @Test
    void aProjectsNetworksComeInPagesWithoutGapsOrRepeats() {
        for (int i = 0; i < 3; i++) {
            assertThat(post("carol", "/api/v1/projects/tenant-a/networks",
                    "{\"name\":\"paged-" + i + "\",\"partition\":\"nbg-1\",\"prefixLength\":29}").status()).isEqualTo(201);
        }
        long total = get("vera", "/api/v1/projects/tenant-a/networks?size=1").json().get("total").asLong();
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (int page = 0; page * 2 < total; page++) {
            Api.Answer answer = get("vera", "/api/v1/projects/tenant-a/networks?size=2&page=" + page);
            assertThat(answer.json().get("page").asInt()).isEqualTo(page);
            answer.json().get("items").valueStream().forEach(n -> ids.add(n.get("id").asString()));
        }
        assertThat(ids).hasSize((int) total).doesNotHaveDuplicates();
    }
}
