package dev.netportal.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.testing.Api;
import dev.netportal.testing.PkceLogin;
import dev.netportal.testing.TestPortal;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Machines and firewalls through the API: answers, the rules' problem types, M4's proxy, the credential once. */
class MachineApiTest {

    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    private final TestPortal portal = TestPortal.shared();

    private String token(String user) {
        return TOKENS.computeIfAbsent(user, u -> PkceLogin.accessToken(portal.issuer(), u, u));
    }

    private Api.Answer send(String method, String user, String path, String json, String... headers) {
        return Api.send(method, portal.apiUrl() + path, token(user), json, headers);
    }

    private static void assertProblem(Api.Answer answer, int status, String type) {
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().get("type").asString()).endsWith("/errors/" + type);
    }

    private String network(String user, String project, String name) {
        Api.Answer created = send("POST", user, "/api/v1/projects/" + project + "/networks",
                "{\"name\":\"" + name + "\",\"partition\":\"nbg-1\",\"prefixLength\":28}");
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private String internet() {
        return send("GET", "bob", "/api/v1/partitions/nbg-1", null).json().get("externalNetworks").get(0).get("id").asString();
    }

    @Test
    void aMachineGetsAFixedIpAndAMachineOnASharedNetworkIsToldAboutTheProxy() {
        String network = network("bob", "tenant-a", "machines-api");
        String base = send("GET", "bob", "/api/v1/networks/" + network, null).json().get("prefix").asString()
                .replaceAll("\\d+/28$", "");
        int first = Integer.parseInt(send("GET", "bob", "/api/v1/networks/" + network, null).json().get("prefix").asString()
                .replaceAll(".*\\.(\\d+)/28$", "$1"));

        Api.Answer machine = send("POST", "carol", "/api/v1/projects/tenant-a/machines", "{\"name\":\"db-1\",\"partition\":\"nbg-1\","
                + "\"size\":\"c1-large\",\"network\":\"" + network + "\",\"ip\":\"" + base + (first + 9) + "\"}");
        assertThat(machine.status()).as(machine.raw().body()).isEqualTo(201);
        assertThat(machine.json().get("ip").asString()).isEqualTo(base + (first + 9));
        assertThat(machine.json().get("network").asString()).isEqualTo(network);
        assertThat(machine.json().get("internetAccess").asString()).isEqualTo("none: no firewall of the project in machines-api");
        assertThat(send("GET", "bob", "/api/v1/networks/" + network + "/ips", null).json().get("items").get(0).get("kind")
                .asString()).isEqualTo("EPHEMERAL");

        assertProblem(send("POST", "carol", "/api/v1/projects/tenant-a/machines", "{\"name\":\"db-2\",\"partition\":\"nbg-1\","
                + "\"size\":\"c1-large\",\"network\":\"" + network + "\",\"ip\":\"" + base + (first + 9) + "\"}"), 409, "I1-ip-taken");
        assertProblem(send("POST", "carol", "/api/v1/projects/tenant-a/machines", "{\"name\":\"x\",\"partition\":\"nbg-1\","
                + "\"size\":\"c1-large\",\"network\":\"" + internet() + "\"}"), 422, "M1-network-type");
        assertProblem(send("POST", "carol", "/api/v1/projects/tenant-a/machines", "{\"name\":\"x\",\"partition\":\"fra-1\","
                + "\"size\":\"c1-large\",\"network\":\"" + network + "\"}"), 422, "S5-partition");
        assertProblem(send("POST", "carol", "/api/v1/projects/tenant-a/machines", "{\"name\":\"x\",\"partition\":\"nbg-1\","
                + "\"size\":\"c1-large\"}"), 400, "network-required");
        assertProblem(send("POST", "carol", "/api/v1/projects/tenant-a/machines", "{\"name\":\"x\",\"partition\":\"nbg-1\","
                + "\"size\":\"c1-large\",\"network\":\"" + UUID.randomUUID() + "\"}"), 404, "not-found");
        assertProblem(send("DELETE", "carol", "/api/v1/networks/" + network, null), 409, "N3-network-in-use");

        String shared = network("bob", "tenant-a", "shared-for-proxy");
        String request = send("POST", "bob", "/api/v1/networks/" + shared + "/share-requests",
                "{\"reason\":\"proxy test\",\"natType\":\"NONE\"}").json().get("id").asString();
        send("POST", "admin", "/api/v1/share-requests/" + request + "/approve", "{}");
        Api.Answer behindProxy = send("POST", "carol", "/api/v1/projects/tenant-a/machines", "{\"name\":\"web\",\"partition\":\"nbg-1\","
                + "\"size\":\"c1-large\",\"network\":\"" + shared + "\"}");
        assertThat(behindProxy.json().get("internetAccess").asString()).isEqualTo("through proxy proxy.nbg-1.example:31280");

        String id = machine.json().get("id").asString();
        assertThat(send("DELETE", "carol", "/api/v1/machines/" + id, null).status()).isEqualTo(204);
        assertThat(send("GET", "vera", "/api/v1/audit-events?project=tenant-a&object=" + id, null).json().get("items")
                .valueStream().map(e -> e.get("action").asString()).toList()).containsExactly("machine.free", "machine.allocate");
        assertThat(send("GET", "bob", "/api/v1/networks/" + network, null).json().get("usage").get("allocated").asLong()).isZero();
        assertThat(send("GET", "bob", "/api/v1/machines/" + id, null).status()).isEqualTo(404);
    }

    @Test
    void aFirewallShowsItsCredentialOnceAndRefusesASecondPrivateNetwork() {
        String own = network("bob", "tenant-a", "fw-private");
        String second = network("bob", "tenant-a", "fw-second");
        String body = "{\"name\":\"edge\",\"partition\":\"nbg-1\",\"size\":\"c1-large\",\"networks\":[{\"network\":\"" + own
                + "\"},{\"network\":\"" + internet() + "\"}]}";
        String key = UUID.randomUUID().toString();

        Api.Answer created = send("POST", "bob", "/api/v1/projects/tenant-a/firewalls", body, "Idempotency-Key", key);
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        assertThat(created.json().get("agentCredential").asString()).hasSizeGreaterThanOrEqualTo(40);
        JsonNode firewall = created.json().get("firewall");
        assertThat(firewall.get("networks").valueStream().map(n -> n.get("type").asString()).toList())
                .containsExactly("CHILD", "EXTERNAL");
        Api.Answer replay = send("POST", "bob", "/api/v1/projects/tenant-a/firewalls", body, "Idempotency-Key", key);
        assertThat(replay.json().get("firewall").get("id").asString()).isEqualTo(firewall.get("id").asString());
        assertThat(replay.json().get("agentCredential").isNull()).as("the credential is shown once, not kept").isTrue();

        String id = firewall.get("id").asString();
        assertThat(firewall.get("sync").get("revision").asInt()).as("the first revision exists with the firewall").isEqualTo(1);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonNode sync = send("GET", "bob", "/api/v1/firewalls/" + id, null).json().get("sync");
            assertThat(sync.get("state").asString()).isEqualTo("IN_SYNC");
            assertThat(sync.get("appliedRevision").asInt()).isEqualTo(1);
        });
        assertThat(send("GET", "bob", "/api/v1/projects/tenant-a/firewalls", null).json().get("items").valueStream()
                .filter(f -> f.get("id").asString().equals(id)).findFirst().orElseThrow().get("sync").get("state").asString())
                .isEqualTo("IN_SYNC");
        assertProblem(send("PUT", "bob", "/api/v1/firewalls/" + id + "/networks/" + second, "{}"), 422, "F3-second-private");
        assertProblem(send("POST", "bob", "/api/v1/projects/tenant-a/firewalls", "{\"name\":\"e\",\"partition\":\"nbg-1\","
                + "\"size\":\"c1-large\",\"networks\":[{\"network\":\"" + own + "\"},{\"network\":\"" + second + "\"},{\"network\":\""
                + internet() + "\"}]}"), 422, "F3-second-private");
        assertProblem(send("POST", "bob", "/api/v1/projects/tenant-a/firewalls", "{\"name\":\"e\",\"partition\":\"nbg-1\","
                + "\"size\":\"c1-large\",\"networks\":[{\"network\":\"" + second + "\"}]}"), 422, "F1-external-required");
        assertProblem(send("DELETE", "bob", "/api/v1/firewalls/" + id + "/networks/" + own, null), 422, "F2-detach-shared-only");
        assertProblem(send("POST", "bob", "/api/v1/projects/tenant-a/firewalls", "{\"name\":\"e\",\"partition\":\"nbg-1\","
                + "\"size\":\"tiny\",\"networks\":[{\"network\":\"" + second + "\"},{\"network\":\"" + internet() + "\"}]}"), 400, "M1-size");
        assertThat(send("GET", "dave", "/api/v1/firewalls/" + id, null).status()).isEqualTo(404);
    }

    @Test
    void aRequestWithoutAPartitionIsRefusedByNameNotAnInternalError() {
        String network = network("bob", "tenant-a", "no-partition");
        assertProblem(send("POST", "carol", "/api/v1/projects/tenant-a/machines",
                "{\"name\":\"m\",\"size\":\"c1-large\",\"network\":\"" + network + "\"}"), 400, "partition-required");
        assertProblem(send("POST", "carol", "/api/v1/projects/tenant-a/firewalls",
                "{\"name\":\"f\",\"size\":\"c1-large\",\"networks\":[{\"network\":\"" + network + "\"}]}"), 400,
                "partition-required");
        assertProblem(send("POST", "carol", "/api/v1/projects/tenant-a/networks", "{\"name\":\"n\",\"partition\":\" \"}"),
                400, "partition-required");
    }

    @Test
    void machinesAndFirewallsArePagedInTheDatabaseOldestFirst() {
        assertThat(send("POST", "admin", "/api/v1/partitions", """
                {"id":"paging-1","name":"Paging 1","superNetworks":["10.41.0.0/16"],"inventory":{"c1-large":6},
                 "externalNetworks":[{"name":"internet","prefixes":["185.1.41.0/24"],"destinationPrefixes":["0.0.0.0/0"],
                 "natType":"IPV4_MASQUERADE"}]}""").status()).isEqualTo(201);
        Api.Answer created = send("POST", "bob", "/api/v1/projects/tenant-a/networks",
                "{\"name\":\"paging\",\"partition\":\"paging-1\",\"prefixLength\":28}");
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        String network = created.json().get("id").asString();
        String internet = send("GET", "bob", "/api/v1/partitions/paging-1", null).json().get("externalNetworks").get(0).get("id").asString();
        for (int i = 0; i < 3; i++) {
            assertThat(send("POST", "carol", "/api/v1/projects/tenant-a/machines", "{\"name\":\"paged-" + i
                    + "\",\"partition\":\"paging-1\",\"size\":\"c1-large\",\"network\":\"" + network + "\"}").status()).isEqualTo(201);
            assertThat(send("POST", "carol", "/api/v1/projects/tenant-a/firewalls", "{\"name\":\"paged-fw-" + i
                    + "\",\"partition\":\"paging-1\",\"size\":\"c1-large\",\"networks\":[{\"network\":\"" + network
                    + "\"},{\"network\":\"" + internet + "\"}]}").status()).isEqualTo(201);
        }

        for (String role : new String[] {"MACHINE", "FIREWALL"}) {
            String list = "/api/v1/projects/tenant-a/" + (role.equals("MACHINE") ? "machines" : "firewalls");
            String where = " FROM machine WHERE project_id = 'tenant-a' AND role = '" + role + "' AND state = 'ALLOCATED'";

            JsonNode second = send("GET", "vera", list + "?size=1&page=1", null).json();

            JsonNode item = second.get("items").get(0);
            assertThat(second.get("items").size()).isEqualTo(1);
            assertThat(item.get("id").asString()).as("the second oldest " + role)
                    .isEqualTo(portal.database().column("SELECT id" + where + " ORDER BY allocated_at, id OFFSET 1 LIMIT 1").getFirst());
            assertThat(second.get("total").asLong()).isEqualTo(Long.parseLong(portal.database().column("SELECT count(*)" + where).getFirst()));
            if (role.equals("FIREWALL")) {
                assertThat(item.get("sync").get("revision").asInt()).as("with its sync state").isPositive();
            } else {
                assertThat(item.get("internetAccess").asString()).isNotEmpty();
            }
            JsonNode past = send("GET", "vera", list + "?size=10&page=1000", null).json();
            assertThat(past.get("items").size()).isZero();
            assertThat(past.get("total").asLong()).as("past the end, still counted").isEqualTo(second.get("total").asLong());
        }
    }
}
