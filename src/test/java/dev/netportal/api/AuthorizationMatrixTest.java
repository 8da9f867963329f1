package dev.netportal.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.testing.Api;
import dev.netportal.testing.PkceLogin;
import dev.netportal.testing.TestPortal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every endpoint against every kind of caller (domain.md, roles): a platform admin, the owner, a member and a
 * viewer of {@code tenant-a}, the owner of another project, and no token at all. Each cell gets its own objects,
 * so a delete in one cell cannot decide another; refusals must also carry a problem body.
 */
class AuthorizationMatrixTest {

    /** The callers: demo user, or null for no token. */
    private static final Map<String, String> CALLERS = new LinkedHashMap<>();

    static {
        CALLERS.put("admin", "admin");
        CALLERS.put("owner", "bob");
        CALLERS.put("member", "carol");
        CALLERS.put("viewer", "vera");
        CALLERS.put("other project", "dave");
        CALLERS.put("anonymous", null);
    }

    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final TestPortal portal = TestPortal.shared();

    /** One request: method, path and body, prepared afresh for each cell (objects it needs are created first). */
    private record Request(String method, String path, String body) {
    }

    /** An endpoint, how to prepare a request for one cell, and the expected status for each caller, in CALLERS order. */
    private record Row(String endpoint, Function<Integer, Request> prepare, int... expected) {
    }

    private String token(String user) {
        return TOKENS.computeIfAbsent(user, u -> PkceLogin.accessToken(portal.issuer(), u, u));
    }

    private String network() {
        Api.Answer created = Api.send("POST", portal.apiUrl() + "/api/v1/projects/tenant-a/networks", token("bob"),
                "{\"name\":\"authz-" + SEQUENCE.incrementAndGet() + "\",\"partition\":\"nbg-1\",\"prefixLength\":28}");
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private String ip(String network) {
        Api.Answer reserved = Api.send("POST", portal.apiUrl() + "/api/v1/networks/" + network + "/ips", token("bob"), "{}");
        assertThat(reserved.status()).as(reserved.raw().body()).isEqualTo(201);
        return reserved.json().get("ip").asString();
    }

    /** A pending share request for a fresh network of tenant-a, filed by its owner bob. */
    private String shareRequest() {
        Api.Answer filed = Api.send("POST", portal.apiUrl() + "/api/v1/networks/" + network() + "/share-requests",
                token("bob"), "{\"reason\":\"matrix\",\"natType\":\"NONE\"}");
        assertThat(filed.status()).as(filed.raw().body()).isEqualTo(201);
        return filed.json().get("id").asString();
    }

    /** A partition of the matrix's own, with plenty of machines, created once. */
    private static volatile String machinePartition;

    private synchronized String machinePartition() {
        if (machinePartition == null) {
            Api.Answer created = Api.send("POST", portal.apiUrl() + "/api/v1/partitions", token("admin"), """
                    {"id":"matrix-m","name":"Matrix","superNetworks":["10.200.0.0/16"],"childPrefixLength":{"ipv4":28},
                     "externalNetworks":[{"name":"internet","prefixes":["100.64.200.0/22"],"destinationPrefixes":["0.0.0.0/0"],
                     "natType":"IPV4_MASQUERADE"}],"inventory":{"c1":300}}""");
            assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
            machinePartition = "matrix-m";
        }
        return machinePartition;
    }

    private String machineNetwork() {
        Api.Answer created = Api.send("POST", portal.apiUrl() + "/api/v1/projects/tenant-a/networks", token("bob"),
                "{\"name\":\"authz-m-" + SEQUENCE.incrementAndGet() + "\",\"partition\":\"" + machinePartition() + "\"}");
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private String machine() {
        Api.Answer created = Api.send("POST", portal.apiUrl() + "/api/v1/projects/tenant-a/machines", token("bob"),
                "{\"name\":\"m\",\"partition\":\"matrix-m\",\"size\":\"c1\",\"network\":\"" + machineNetwork() + "\"}");
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private String internet() {
        return Api.get(portal.apiUrl() + "/api/v1/partitions/" + machinePartition(), token("bob")).json()
                .get("externalNetworks").get(0).get("id").asString();
    }

    private String firewallBody() {
        return "{\"name\":\"fw\",\"partition\":\"matrix-m\",\"size\":\"c1\",\"networks\":[{\"network\":\""
                + machineNetwork() + "\"},{\"network\":\"" + internet() + "\"}]}";
    }

    private String firewall() {
        Api.Answer created = Api.send("POST", portal.apiUrl() + "/api/v1/projects/tenant-a/firewalls", token("bob"), firewallBody());
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        return created.json().get("firewall").get("id").asString();
    }

    /** A shared network of tenant-b in the matrix partition, for attaching. */
    private String sharedOfTenantB() {
        Api.Answer network = Api.send("POST", portal.apiUrl() + "/api/v1/projects/tenant-b/networks", token("dave"),
                "{\"name\":\"authz-s-" + SEQUENCE.incrementAndGet() + "\",\"partition\":\"" + machinePartition() + "\"}");
        String id = network.json().get("id").asString();
        String request = Api.send("POST", portal.apiUrl() + "/api/v1/networks/" + id + "/share-requests", token("dave"),
                "{\"reason\":\"matrix\",\"natType\":\"NONE\"}").json().get("id").asString();
        assertThat(Api.send("POST", portal.apiUrl() + "/api/v1/share-requests/" + request + "/approve", token("admin"), "{}")
                .status()).isEqualTo(200);
        return id;
    }

    private List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        //                                                                   admin owner member viewer other anonymous
        rows.add(new Row("GET /me", n -> new Request("GET", "/api/v1/me", null), 200, 200, 200, 200, 200, 401));
        rows.add(new Row("GET /partitions", n -> new Request("GET", "/api/v1/partitions", null),
                200, 200, 200, 200, 200, 401));
        rows.add(new Row("GET /partitions/{id}", n -> new Request("GET", "/api/v1/partitions/fra-1", null),
                200, 200, 200, 200, 200, 401));
        rows.add(new Row("POST /partitions", n -> new Request("POST", "/api/v1/partitions",
                "{\"id\":\"authz-" + n + "\",\"name\":\"Authz\",\"superNetworks\":[\"172." + (16 + n) + ".0.0/16\"]}"),
                201, 403, 403, 403, 403, 401));
        rows.add(new Row("PATCH /partitions/{id}", n -> new Request("PATCH", "/api/v1/partitions/nbg-1",
                "{\"description\":\"Nuremberg\"}"), 200, 403, 403, 403, 403, 401));
        rows.add(new Row("GET /projects", n -> new Request("GET", "/api/v1/projects", null), 200, 200, 200, 200, 200, 401));
        rows.add(new Row("POST /projects", n -> new Request("POST", "/api/v1/projects",
                "{\"id\":\"authz-" + n + "\",\"name\":\"Authz\"}"), 201, 403, 403, 403, 403, 401));
        rows.add(new Row("PATCH /projects/{id}", n -> new Request("PATCH", "/api/v1/projects/tenant-a",
                "{\"name\":\"Tenant A\"}"), 200, 403, 403, 403, 404, 401));
        rows.add(new Row("GET /projects/{id}/networks", n -> new Request("GET", "/api/v1/projects/tenant-a/networks", null),
                200, 200, 200, 200, 404, 401));
        rows.add(new Row("POST /projects/{id}/networks", n -> new Request("POST", "/api/v1/projects/tenant-a/networks",
                "{\"name\":\"authz-new-" + SEQUENCE.incrementAndGet() + "\",\"partition\":\"nbg-1\",\"prefixLength\":28}"),
                201, 201, 201, 403, 404, 401));
        rows.add(new Row("GET /networks/{id}", n -> new Request("GET", "/api/v1/networks/" + network(), null),
                200, 200, 200, 200, 404, 401));
        rows.add(new Row("PATCH /networks/{id}", n -> new Request("PATCH", "/api/v1/networks/" + network(),
                "{\"description\":\"changed\"}"), 200, 200, 200, 403, 404, 401));
        rows.add(new Row("DELETE /networks/{id}", n -> new Request("DELETE", "/api/v1/networks/" + network(), null),
                204, 204, 204, 403, 404, 401));
        rows.add(new Row("GET /networks/{id}/ips", n -> new Request("GET", "/api/v1/networks/" + network() + "/ips", null),
                200, 200, 200, 200, 404, 401));
        rows.add(new Row("POST /networks/{id}/ips", n -> new Request("POST", "/api/v1/networks/" + network() + "/ips", "{}"),
                201, 201, 201, 403, 404, 401));
        rows.add(new Row("DELETE /networks/{id}/ips/{ip}", n -> {
            String network = network();
            return new Request("DELETE", "/api/v1/networks/" + network + "/ips/" + ip(network), null);
        }, 204, 204, 204, 403, 404, 401));
        rows.add(new Row("GET /audit-events?project=", n -> new Request("GET", "/api/v1/audit-events?project=tenant-a", null),
                200, 200, 200, 200, 404, 401));
        rows.add(new Row("GET /audit-events", n -> new Request("GET", "/api/v1/audit-events", null),
                200, 200, 200, 200, 200, 401));
        rows.add(new Row("POST /networks/{id}/share-requests", n -> new Request("POST", "/api/v1/networks/" + network()
                + "/share-requests", "{\"reason\":\"matrix\",\"natType\":\"IPV4_MASQUERADE\"}"), 201, 201, 403, 403, 404, 401));
        rows.add(new Row("GET /share-requests", n -> new Request("GET", "/api/v1/share-requests?status=PENDING", null),
                200, 200, 200, 200, 200, 401));
        rows.add(new Row("GET /share-requests/{id}", n -> new Request("GET", "/api/v1/share-requests/" + shareRequest(), null),
                200, 200, 200, 200, 404, 401));
        rows.add(new Row("POST /share-requests/{id}/approve", n -> new Request("POST", "/api/v1/share-requests/"
                + shareRequest() + "/approve", "{}"), 200, 403, 403, 403, 404, 401));
        rows.add(new Row("POST /share-requests/{id}/reject", n -> new Request("POST", "/api/v1/share-requests/"
                + shareRequest() + "/reject", "{\"comment\":\"no\"}"), 200, 403, 403, 403, 404, 401));
        rows.add(new Row("POST /share-requests/{id}/withdraw", n -> new Request("POST", "/api/v1/share-requests/"
                + shareRequest() + "/withdraw", "{}"), 403, 200, 403, 403, 404, 401));
        rows.add(new Row("GET /networks?partition=&type=CHILD_SHARED", n -> new Request("GET",
                "/api/v1/networks?partition=fra-1&type=CHILD_SHARED", null), 200, 200, 200, 200, 200, 401));
        rows.add(new Row("GET /projects/{id}/machines", n -> new Request("GET", "/api/v1/projects/tenant-a/machines", null),
                200, 200, 200, 200, 404, 401));
        rows.add(new Row("POST /projects/{id}/machines", n -> new Request("POST", "/api/v1/projects/tenant-a/machines",
                "{\"name\":\"m\",\"partition\":\"matrix-m\",\"size\":\"c1\",\"network\":\"" + machineNetwork() + "\"}"),
                201, 201, 201, 403, 404, 401));
        rows.add(new Row("GET /machines/{id}", n -> new Request("GET", "/api/v1/machines/" + machine(), null),
                200, 200, 200, 200, 404, 401));
        rows.add(new Row("DELETE /machines/{id}", n -> new Request("DELETE", "/api/v1/machines/" + machine(), null),
                204, 204, 204, 403, 404, 401));
        rows.add(new Row("GET /projects/{id}/firewalls", n -> new Request("GET", "/api/v1/projects/tenant-a/firewalls", null),
                200, 200, 200, 200, 404, 401));
        rows.add(new Row("POST /projects/{id}/firewalls", n -> new Request("POST", "/api/v1/projects/tenant-a/firewalls",
                firewallBody()), 201, 201, 201, 403, 404, 401));
        rows.add(new Row("GET /firewalls/{id}", n -> new Request("GET", "/api/v1/firewalls/" + firewall(), null),
                200, 200, 200, 200, 404, 401));
        rows.add(new Row("GET /firewalls/{id}/config", n -> new Request("GET", "/api/v1/firewalls/" + firewall() + "/config", null),
                200, 200, 200, 200, 404, 401));
        rows.add(new Row("GET /firewalls/{id}/config/revisions", n -> new Request("GET", "/api/v1/firewalls/" + firewall()
                + "/config/revisions", null), 200, 200, 200, 200, 404, 401));
        rows.add(new Row("GET /firewalls/{id}/config/revisions/{revision}", n -> new Request("GET", "/api/v1/firewalls/"
                + firewall() + "/config/revisions/1", null), 200, 200, 200, 200, 404, 401));
        rows.add(new Row("GET /firewalls (fleet)", n -> new Request("GET", "/api/v1/firewalls?notInSync=true", null),
                200, 403, 403, 403, 403, 401));
        rows.add(new Row("DELETE /firewalls/{id}", n -> new Request("DELETE", "/api/v1/firewalls/" + firewall(), null),
                204, 204, 204, 403, 404, 401));
        rows.add(new Row("PUT /firewalls/{id}/networks/{network}", n -> new Request("PUT", "/api/v1/firewalls/" + firewall()
                + "/networks/" + sharedOfTenantB(), "{}"), 200, 200, 200, 403, 404, 401));
        rows.add(new Row("DELETE /firewalls/{id}/networks/{network}", n -> {
            String firewall = firewall();
            String shared = sharedOfTenantB();
            assertThat(Api.send("PUT", portal.apiUrl() + "/api/v1/firewalls/" + firewall + "/networks/" + shared, token("bob"), "{}")
                    .status()).isEqualTo(200);
            return new Request("DELETE", "/api/v1/firewalls/" + firewall + "/networks/" + shared, null);
        }, 200, 200, 200, 403, 404, 401));
        return rows;
    }

    @TestFactory
    Stream<DynamicTest> everyEndpointAnswersEveryCallerAsTheRolesSay() {
        List<String> callers = List.copyOf(CALLERS.keySet());
        return rows().stream().flatMap(row -> java.util.stream.IntStream.range(0, callers.size()).mapToObj(column -> {
            String caller = callers.get(column);
            int expected = row.expected()[column];
            return DynamicTest.dynamicTest(row.endpoint() + " as " + caller + " -> " + expected, () -> {
                Request request = row.prepare().apply(column);
                String user = CALLERS.get(caller);
                Api.Answer answer = Api.send(request.method(), portal.apiUrl() + request.path(),
                        user == null ? null : token(user), request.body());

                assertThat(answer.status()).as(answer.raw().body()).isEqualTo(expected);
                if (expected >= 400) {
                    assertThat(answer.contentType()).startsWith("application/problem+json");
                    assertThat(answer.json().get("status").asInt()).isEqualTo(expected);
                }
            });
        }));
    }
}
