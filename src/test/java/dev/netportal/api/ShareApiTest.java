package dev.netportal.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.testing.Api;
import dev.netportal.testing.PkceLogin;
import dev.netportal.testing.TestPortal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Share requests through the API: filing, the four eyes, decisions, no way back, and the catalogue per partition. */
class ShareApiTest {

    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    private final TestPortal portal = TestPortal.shared();

    private String token(String user) {
        return TOKENS.computeIfAbsent(user, u -> PkceLogin.accessToken(portal.issuer(), u, u));
    }

    private Api.Answer send(String method, String user, String path, String json) {
        return Api.send(method, portal.apiUrl() + path, token(user), json);
    }

    private static void assertProblem(Api.Answer answer, int status, String type) {
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(status);
        assertThat(answer.json().get("type").asString()).endsWith("/errors/" + type);
    }

    private String network(String user, String project, String name, String partition) {
        Api.Answer created = send("POST", user, "/api/v1/projects/" + project + "/networks",
                "{\"name\":\"" + name + "\",\"partition\":\"" + partition + "\",\"prefixLength\":27}");
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    @Test
    void anOwnerFilesAnotherAdminApprovesAndTheNetworkStaysSharedForGood() {
        String network = network("alice", "storage", "api-share", "fra-1");

        assertProblem(send("POST", "alice", "/api/v1/networks/" + network + "/share-requests", "{\"natType\":\"NONE\"}"),
                400, "S1-reason-required");
        assertProblem(send("POST", "alice", "/api/v1/networks/" + network + "/share-requests",
                "{\"reason\":\"r\",\"natType\":\"SNAT\"}"), 400, "S1-nat-type");
        Api.Answer filed = send("POST", "alice", "/api/v1/networks/" + network + "/share-requests",
                "{\"reason\":\"backups for all\",\"natType\":\"IPV4_MASQUERADE\"}");
        assertThat(filed.status()).isEqualTo(201);
        String request = filed.json().get("id").asString();
        assertThat(filed.raw().headers().firstValue("Location")).contains("/api/v1/share-requests/" + request);
        assertThat(filed.json().get("status").asString()).isEqualTo("PENDING");
        assertThat(filed.json().get("requestedBy").get("subject").asString()).isEqualTo("alice");
        assertProblem(send("POST", "alice", "/api/v1/networks/" + network + "/share-requests",
                "{\"reason\":\"again\",\"natType\":\"NONE\"}"), 409, "S1-request-pending");
        assertProblem(send("DELETE", "alice", "/api/v1/networks/" + network, null), 409, "N3-share-request-pending");

        List<String> queue = send("GET", "admin", "/api/v1/share-requests?status=PENDING&size=500", null).json()
                .get("items").valueStream().map(r -> r.get("id").asString()).toList();
        assertThat(queue).contains(request);
        JsonNode all = send("GET", "admin", "/api/v1/share-requests?size=500", null).json();
        List<String> everything = all.get("items").valueStream().map(r -> r.get("id").asString()).toList();
        JsonNode second = send("GET", "admin", "/api/v1/share-requests?size=1&page=1", null).json();
        assertThat(second.get("total").asLong()).isEqualTo(all.get("total").asLong()).isEqualTo(everything.size());
        if (everything.size() > 1) {
            assertThat(second.get("items").get(0).get("id").asString()).as("paged in the same order").isEqualTo(everything.get(1));
        }
        JsonNode past = send("GET", "admin", "/api/v1/share-requests?size=10&page=1000", null).json();
        assertThat(past.get("items").size()).isZero();
        assertThat(past.get("total").asLong()).as("past the end, still counted").isEqualTo(everything.size());
        assertThat(send("GET", "bob", "/api/v1/share-requests?size=500", null).json().get("items").valueStream()
                .map(r -> r.get("project").asString()).distinct()).doesNotContain("storage");

        Api.Answer approved = send("POST", "admin", "/api/v1/share-requests/" + request + "/approve", "{\"comment\":\"ok\"}");
        assertThat(approved.status()).as(approved.raw().body()).isEqualTo(200);
        assertThat(approved.json().get("status").asString()).isEqualTo("APPROVED");
        assertThat(approved.json().get("decidedBy").get("name").asString()).isEqualTo("Ada Admin");
        assertProblem(send("POST", "admin", "/api/v1/share-requests/" + request + "/approve", "{}"), 409, "S2-not-pending");
        assertProblem(send("POST", "alice", "/api/v1/share-requests/" + request + "/withdraw", "{}"), 409, "S2-not-pending");

        JsonNode shared = send("GET", "alice", "/api/v1/networks/" + network, null).json();
        assertThat(shared.get("type").asString()).isEqualTo("CHILD_SHARED");
        assertThat(shared.get("natType").asString()).isEqualTo("IPV4_MASQUERADE");
        assertProblem(send("PATCH", "alice", "/api/v1/networks/" + network, "{\"type\":\"CHILD\"}"), 422, "S4-unshare-forbidden");
        assertProblem(send("POST", "alice", "/api/v1/networks/" + network + "/share-requests",
                "{\"reason\":\"more\",\"natType\":\"NONE\"}"), 409, "S1-already-shared");
        String internet = send("GET", "alice", "/api/v1/partitions/fra-1", null).json().get("externalNetworks").get(0)
                .get("id").asString();
        Api.Answer firewall = send("POST", "alice", "/api/v1/projects/storage/firewalls", "{\"name\":\"front\",\"partition\":"
                + "\"fra-1\",\"size\":\"s2-xlarge\",\"networks\":[{\"network\":\"" + network + "\"},{\"network\":\"" + internet + "\"}]}");
        assertThat(firewall.status()).as(firewall.raw().body()).isEqualTo(201);
        Api.Answer inUse = send("DELETE", "alice", "/api/v1/networks/" + network, null);
        assertProblem(inUse, 409, "N3-network-in-use");
        assertThat(inUse.json().get("detail").asString()).contains("firewall front");
        assertThat(send("DELETE", "alice", "/api/v1/firewalls/" + firewall.json().get("firewall").get("id").asString(), null)
                .status()).isEqualTo(204);
        assertThat(send("DELETE", "alice", "/api/v1/networks/" + network, null).status())
                .as("a shared network nothing uses any more is deleted").isEqualTo(204);
    }

    @Test
    void nobodyDecidesTheirOwnRequestAndRejectionsSayWhy() {
        String network = network("bob", "tenant-a", "four-eyes", "fra-1");
        String request = send("POST", "admin", "/api/v1/networks/" + network + "/share-requests",
                "{\"reason\":\"an admin's own\",\"natType\":\"NONE\"}").json().get("id").asString();

        assertProblem(send("POST", "admin", "/api/v1/share-requests/" + request + "/approve", "{}"), 422, "S2-four-eyes");
        assertProblem(send("POST", "admin", "/api/v1/share-requests/" + request + "/reject", "{\"comment\":\"mine\"}"),
                422, "S2-four-eyes");
        assertProblem(send("POST", "bob", "/api/v1/share-requests/" + request + "/withdraw", "{}"), 403, "S2-requester-only");
        assertProblem(send("POST", "bob", "/api/v1/share-requests/" + request + "/approve", "{}"), 403, "S2-admin-only");

        Api.Answer withdrawn = send("POST", "admin", "/api/v1/share-requests/" + request + "/withdraw", "{}");
        assertThat(withdrawn.json().get("status").asString()).isEqualTo("WITHDRAWN");

        String second = send("POST", "bob", "/api/v1/networks/" + network + "/share-requests",
                "{\"reason\":\"second try\",\"natType\":\"NONE\"}").json().get("id").asString();
        assertProblem(send("POST", "admin", "/api/v1/share-requests/" + second + "/reject", "{}"), 400, "S2-comment-required");
        Api.Answer rejected = send("POST", "admin", "/api/v1/share-requests/" + second + "/reject",
                "{\"comment\":\"use a firewall rule instead\"}");
        assertThat(rejected.json().get("status").asString()).isEqualTo("REJECTED");
        assertThat(rejected.json().get("comment").asString()).isEqualTo("use a firewall rule instead");
        assertThat(send("GET", "bob", "/api/v1/networks/" + network, null).json().get("type").asString()).isEqualTo("CHILD");
        assertProblem(send("POST", "carol", "/api/v1/networks/" + network + "/share-requests",
                "{\"reason\":\"member\",\"natType\":\"NONE\"}"), 403, "S1-owner-only");
        assertThat(send("GET", "dave", "/api/v1/share-requests/" + second, null).status()).isEqualTo(404);
    }

    @Test
    void theCatalogueListsAPartitionsSharedNetworksWithOnlyWhatConsumersNeed() {
        String network = network("dave", "tenant-b", "catalogued", "nbg-1");
        String request = send("POST", "dave", "/api/v1/networks/" + network + "/share-requests",
                "{\"reason\":\"for all\",\"natType\":\"NONE\"}").json().get("id").asString();
        send("POST", "admin", "/api/v1/share-requests/" + request + "/approve", "{}");

        JsonNode nbg = send("GET", "vera", "/api/v1/networks?partition=nbg-1&type=CHILD_SHARED&size=500", null).json();
        JsonNode entry = nbg.get("items").valueStream().filter(n -> n.get("id").asString().equals(network)).findFirst().orElseThrow();
        assertThat(entry.get("name").asString()).isEqualTo("catalogued");
        assertThat(entry.get("projectName").asString()).isEqualTo("Tenant B");
        assertThat(entry.get("natType").asString()).isEqualTo("NONE");
        assertThat(entry.get("prefixes").get(0).asString()).startsWith("10.1.");
        assertThat(entry.propertyNames()).containsExactlyInAnyOrder("id", "name", "partition", "projectName", "prefixes", "natType");
        JsonNode read = send("GET", "vera", "/api/v1/networks/" + network, null).json();
        assertThat(read.get("type").asString()).as("a shared network is readable by id by everyone (V1)").isEqualTo("CHILD_SHARED");
        assertThat(read.get("name").asString()).isEqualTo("catalogued");
        assertThat(read.path("usage").isMissingNode() || read.path("usage").isNull())
                .as("its owner alone sees how much it is used: " + read).isTrue();
        assertThat((read.path("vrf").isNull() || read.path("vrf").isMissingNode())
                && read.path("description").asString().isEmpty() && read.path("labels").isEmpty())
                .as("only what the catalogue shows: " + read).isTrue();
        assertThat(send("GET", "dave", "/api/v1/networks/" + network, null).json().get("usage").get("total").asLong())
                .isPositive();
        assertThat(send("GET", "vera", "/api/v1/networks/" + network + "/ips", null).status())
                .as("who holds addresses in it is the owner's").isEqualTo(404);
        assertThat(send("PATCH", "vera", "/api/v1/networks/" + network, "{\"name\":\"mine\"}").status()).isEqualTo(404);
        assertThat(send("GET", "vera", "/api/v1/networks/" + send("POST", "dave", "/api/v1/projects/tenant-b/networks",
                "{\"name\":\"still-private\",\"partition\":\"nbg-1\",\"prefixLength\":28}").json().get("id").asString(), null)
                .status()).as("a private network stays unseen").isEqualTo(404);
        assertThat(send("GET", "vera", "/api/v1/networks?partition=fra-1&type=CHILD_SHARED&size=500", null).json()
                .get("items").valueStream().map(n -> n.get("id").asString())).doesNotContain(network);

        assertProblem(send("GET", "vera", "/api/v1/networks?type=CHILD_SHARED", null), 400, "partition-required");
        assertProblem(send("GET", "vera", "/api/v1/networks?partition=nbg-1&type=CHILD", null), 400, "network-type");
        assertProblem(send("GET", "vera", "/api/v1/networks?partition=mars-1&type=CHILD_SHARED", null), 404, "not-found");
    }

    @Test
    void theCatalogueIsPagedInTheDatabaseByName() {
        for (String name : new String[] {"paged-shared-b", "paged-shared-a"}) {
            String network = network("dave", "tenant-b", name, "nbg-1");
            String request = send("POST", "dave", "/api/v1/networks/" + network + "/share-requests",
                    "{\"reason\":\"for all\",\"natType\":\"NONE\"}").json().get("id").asString();
            assertThat(send("POST", "admin", "/api/v1/share-requests/" + request + "/approve", "{}").status()).isEqualTo(200);
        }
        String where = " FROM network WHERE partition_id = 'nbg-1' AND type = 'CHILD_SHARED'";

        JsonNode second = send("GET", "vera", "/api/v1/networks?partition=nbg-1&type=CHILD_SHARED&size=1&page=1", null).json();

        assertThat(second.get("items").valueStream().map(n -> n.get("id").asString()).toList()).as("the second by name")
                .containsExactlyElementsOf(portal.database().column("SELECT id" + where + " ORDER BY name, id OFFSET 1 LIMIT 1"));
        assertThat(second.get("total").asLong()).isEqualTo(Long.parseLong(portal.database().column("SELECT count(*)" + where).getFirst()));
        JsonNode past = send("GET", "vera", "/api/v1/networks?partition=nbg-1&size=10&page=1000", null).json();
        assertThat(past.get("items").size()).isZero();
        assertThat(past.get("total").asLong()).as("past the end, still counted").isEqualTo(second.get("total").asLong());
        assertProblem(send("GET", "vera", "/api/v1/networks?partition=mars-1&page=-1", null), 404, "not-found");
    }
}
