package dev.netportal.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.testing.Api;
import dev.netportal.testing.PkceLogin;
import dev.netportal.testing.TestPortal;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;

/** Admins create projects and set quotas; everyone else sees their own projects only. */
class ProjectApiTest {

    private final TestPortal portal = TestPortal.shared();

    private Api.Answer send(String user, String method, String path, String json) {
        return Api.send(HttpRequest.newBuilder(URI.create(portal.apiUrl() + path)).timeout(Api.TIMEOUT)
                .header("Authorization", "Bearer " + PkceLogin.accessToken(portal.issuer(), user, user))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build());
    }

    @Test
    void adminsCreateProjectsAndSetQuotasThatTheNetworkRulesThenApply() {
        Api.Answer created = send("admin", "POST", "/api/v1/projects",
                "{\"id\":\"quota-demo\",\"name\":\"Quota demo\",\"quotas\":{\"networks\":0}}");
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        assertThat(created.json().get("quotas").get("networks").asInt()).isZero();
        assertThat(created.json().get("quotas").get("ips").isNull()).isTrue();

        Api.Answer again = send("admin", "POST", "/api/v1/projects", "{\"id\":\"quota-demo\",\"name\":\"Again\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("type").asString()).endsWith("/errors/project-exists");

        Api.Answer refused = send("admin", "POST", "/api/v1/projects/quota-demo/networks", "{\"name\":\"n\",\"partition\":\"fra-1\"}");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("type").asString()).endsWith("/errors/N4-quota-networks");

        Api.Answer raised = send("admin", "PATCH", "/api/v1/projects/quota-demo",
                "{\"name\":\"Quota demo\",\"quotas\":{\"networks\":3,\"ips\":10}}");
        assertThat(raised.status()).isEqualTo(200);
        assertThat(raised.json().get("quotas").get("networks").asInt()).isEqualTo(3);
        assertThat(send("admin", "POST", "/api/v1/projects/quota-demo/networks", "{\"name\":\"n\",\"partition\":\"fra-1\"}")
                .status()).isEqualTo(201);

        assertThat(send("bob", "POST", "/api/v1/projects", "{\"id\":\"bobs\",\"name\":\"Bob's\"}").status()).isEqualTo(403);
        assertThat(send("bob", "PATCH", "/api/v1/projects/tenant-a", "{\"name\":\"Mine\",\"quotas\":{}}").status()).isEqualTo(403);
        assertThat(send("bob", "PATCH", "/api/v1/projects/tenant-b", "{\"name\":\"Mine\"}").status()).isEqualTo(404);
        assertThat(send("admin", "POST", "/api/v1/projects", "{\"id\":\"Not A Slug\",\"name\":\"x\"}").status()).isEqualTo(400);
        assertThat(send("admin", "PATCH", "/api/v1/projects/quota-demo", "{\"name\":\"x\",\"quotas\":{\"ips\":-1}}").status()).isEqualTo(400);
    }

    @Test
    void tenantsSeeOnlyTheirProjectsAdminsAll() {
        Api.Answer forBob = Api.get(portal.apiUrl() + "/api/v1/projects", PkceLogin.accessToken(portal.issuer(), "bob", "bob"));
        assertThat(forBob.json().get("items").valueStream().map(p -> p.get("id").asString()).toList()).containsExactly("tenant-a");
        assertThat(forBob.json().get("items").get(0).has("usage")).isTrue();

        Api.Answer forAdmin = Api.get(portal.apiUrl() + "/api/v1/projects?size=500",
                PkceLogin.accessToken(portal.issuer(), "admin", "admin"));
        assertThat(forAdmin.json().get("items").valueStream().map(p -> p.get("id").asString()).toList())
                .contains("storage", "tenant-a", "tenant-b");
    }

    @Test
    void projectsArePagedInTheDatabaseById() {
        for (String id : new String[] {"paging-b", "paging-a"}) {
            send("admin", "POST", "/api/v1/projects", "{\"id\":\"" + id + "\",\"name\":\"Paging\"}");
        }
        String admin = PkceLogin.accessToken(portal.issuer(), "admin", "admin");

        Api.Answer second = Api.get(portal.apiUrl() + "/api/v1/projects?size=1&page=1", admin);

        assertThat(second.json().get("items").valueStream().map(p -> p.get("id").asString()).toList())
                .as("the second by id").containsExactlyElementsOf(portal.database().column("SELECT id FROM project ORDER BY id OFFSET 1 LIMIT 1"));
        assertThat(second.json().get("total").asLong()).isEqualTo(Long.parseLong(portal.database().column("SELECT count(*) FROM project").getFirst()));
        assertThat(second.json().get("page").asInt()).isEqualTo(1);
        assertThat(second.json().get("size").asInt()).isEqualTo(1);
        Api.Answer past = Api.get(portal.apiUrl() + "/api/v1/projects?size=10&page=1000", admin);
        assertThat(past.json().get("items").size()).isZero();
        assertThat(past.json().get("total").asLong()).as("past the end, still counted").isEqualTo(second.json().get("total").asLong());
        Api.Answer forBob = Api.get(portal.apiUrl() + "/api/v1/projects?size=1&page=1", PkceLogin.accessToken(portal.issuer(), "bob", "bob"));
        assertThat(forBob.json().get("items").size()).as("bob sees one project only").isZero();
        assertThat(forBob.json().get("total").asLong()).isEqualTo(1);
        assertThat(Api.get(portal.apiUrl() + "/api/v1/projects?size=501", admin).status()).isEqualTo(400);
    }
}
