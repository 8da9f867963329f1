package dev.netportal.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.testing.Api;
import dev.netportal.testing.PkceLogin;
import dev.netportal.testing.TestPortal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * What {@link ApiFuzzTest} found, one case each: every answer is a 4xx problem, and the refused request left
 * nothing behind.
 */
class HostileInputApiTest {

    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    private final TestPortal portal = TestPortal.shared();

    private String token(String user) {
        return TOKENS.computeIfAbsent(user, u -> PkceLogin.accessToken(portal.issuer(), u, u));
    }

    private static void assertProblem(Api.Answer answer, int status) {
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().get("status").asInt()).isEqualTo(status);
        assertThat(answer.json().get("title").asString()).isNotBlank();
    }

    private boolean networkExists(String name) {
        return Api.get(portal.apiUrl() + "/api/v1/projects/tenant-a/networks?size=500", token("bob")).raw().body()
                .contains("\"" + name + "\"");
    }

    @Test
    void releasingTheLowestAddressOfAFamilyOutsideTheNetworkIsNotFound() {
        String network = Api.postAs(portal, "bob", "/api/v1/projects/tenant-a/networks",
                "{\"name\":\"release-zero\",\"partition\":\"nbg-1\",\"prefixLength\":28}").get("id").asString();
        for (String ip : List.of("0.0.0.0", "255.255.255.255")) {
            Api.Answer answer = Api.send("DELETE", portal.apiUrl() + "/api/v1/networks/" + network + "/ips/" + ip, token("bob"), null);

            assertProblem(answer, 404);
        }
    }

    @Test
    void aNulCharacterInABodyFieldIsRefusedNamingTheField() {
        Api.Answer answer = Api.send("POST", portal.apiUrl() + "/api/v1/projects/tenant-a/machines", token("bob"),
                "{\"name\":\"m\",\"partition\":\"fra-1\",\"size\":\"a\\u0000b\",\"network\":\"" + UUID.randomUUID() + "\"}");

        assertProblem(answer, 400);
        assertThat(answer.json().get("errors").get(0).get("field").asString()).isEqualTo("size");
        assertThat(answer.json().get("detail").asString()).contains("size must not contain the NUL character");
    }

    @Test
    void aNulCharacterInALabelKeyIsRefusedNamingTheMap() {
        Api.Answer answer = Api.send("POST", portal.apiUrl() + "/api/v1/projects/tenant-a/networks", token("bob"),
                "{\"name\":\"nul-label\",\"partition\":\"fra-1\",\"labels\":{\"a\\u0000\":\"b\"}}");

        assertProblem(answer, 400);
        assertThat(answer.json().get("errors").get(0).get("field").asString()).startsWith("labels");
        assertThat(networkExists("nul-label")).isFalse();
    }

    @Test
    void aFieldOfTheWrongTypeIsNamed() {
        Api.Answer answer = Api.send("POST", portal.apiUrl() + "/api/v1/projects/tenant-a/firewalls", token("bob"),
                "{\"name\":\"fw\",\"partition\":\"fra-1\",\"size\":\"c1\",\"networks\":[{\"network\":\"not-a-uuid\"}]}");

        assertProblem(answer, 400);
        assertThat(answer.json().get("errors").get(0).get("field").asString()).isEqualTo("networks[0].network");
    }

    @Test
    void aNulCharacterInAQueryValueIsRefused() {
        assertProblem(Api.get(portal.apiUrl() + "/api/v1/networks?partition=a%00b&type=CHILD_SHARED", token("bob")), 400);
        assertProblem(Api.get(portal.apiUrl() + "/api/v1/audit-events?actor=a%00b", token("bob")), 400);
    }

    @Test
    void aPathTheSecurityFirewallRejectsIsAProblem() {
        for (String path : new String[] {"/api/v1/networks/%2F", "/api/v1/networks/a%00b", "/api/v1/machines/%25",
                "/api/v1/networks/b%0Ac"}) {
            assertProblem(Api.get(portal.apiUrl() + path, token("bob")), 400);
        }
    }

    @Test
    void aRefusedQuotaCreatesNoProject() {
        Api.Answer answer = Api.send("POST", portal.apiUrl() + "/api/v1/projects", token("admin"),
                "{\"id\":\"negative-quota\",\"name\":\"Negative\",\"quotas\":{\"machines\":-1}}");

        assertProblem(answer, 400);
        assertThat(answer.json().get("type").asString()).endsWith("/N4-quota");
        assertThat(Api.send("PATCH", portal.apiUrl() + "/api/v1/projects/negative-quota", token("admin"),
                "{\"name\":\"Negative\"}").status()).isEqualTo(404);
    }

    @Test
    void aWriteWhoseAnswerTheCallerWouldNotAcceptIsNotDone() {
        Api.Answer answer = Api.send("POST", portal.apiUrl() + "/api/v1/projects/tenant-a/networks", token("bob"),
                "{\"name\":\"html-only\",\"partition\":\"fra-1\"}", "Accept", "text/html");

        assertProblem(answer, 406);
        assertThat(networkExists("html-only")).isFalse();
        assertProblem(Api.send("POST", portal.apiUrl() + "/api/v1/projects/tenant-a/networks", token("bob"),
                "{\"name\":\"garbage-accept\",\"partition\":\"fra-1\"}", "Accept", "garbage;;q=x"), 406);
        assertThat(Api.send("POST", portal.apiUrl() + "/api/v1/projects/tenant-a/networks", token("bob"),
                "{\"name\":\"any-accept\",\"partition\":\"fra-1\",\"prefixLength\":28}", "Accept", "*/*").status()).isEqualTo(201);
    }

    @Test
    void aNetworkWithoutPartitionIsRefusedNamingIt() {
        Api.Answer answer = Api.send("POST", portal.apiUrl() + "/api/v1/projects/tenant-a/networks", token("bob"),
                "{\"name\":\"no-partition\"}");

        assertProblem(answer, 400);
        assertThat(answer.json().get("detail").asString()).containsIgnoringCase("partition");
    }

    @Test
    void nullsWhereAValueIsNeededAreRefusedNamingTheField() {
        Api.Answer machine = Api.send("POST", portal.apiUrl() + "/api/v1/projects/tenant-a/machines", token("bob"),
                "{\"name\":\"m\",\"partition\":\"fra-1\",\"size\":null,\"network\":\"" + UUID.randomUUID() + "\"}");
        assertProblem(machine, 400);
        assertThat(machine.json().get("type").asString()).endsWith("/M1-size");

        Api.Answer firewall = Api.send("POST", portal.apiUrl() + "/api/v1/projects/tenant-a/firewalls", token("bob"),
                "{\"name\":\"fw\",\"partition\":\"fra-1\",\"size\":\"c1\",\"networks\":[null]}");
        assertProblem(firewall, 400);
        assertThat(firewall.json().get("detail").asString()).contains("networks[].network");

        Api.Answer inventory = Api.send("POST", portal.apiUrl() + "/api/v1/partitions", token("admin"),
                "{\"id\":\"null-count\",\"name\":\"Null\",\"superNetworks\":[\"10.251.0.0/16\"],\"inventory\":{\"c1\":null}}");
        assertProblem(inventory, 400);
        assertThat(inventory.json().get("detail").asString()).contains("c1");

        assertProblem(Api.send("PATCH", portal.apiUrl() + "/api/v1/partitions/fra-1", token("admin"),
                "{\"externalNetworks\":[null]}"), 400);
    }
}
