package dev.netportal.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.testing.Api;
import dev.netportal.testing.DatabaseSnapshot;
import dev.netportal.testing.PkceLogin;
import dev.netportal.testing.TestPortal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;

/**
 * Every endpoint of the OpenAPI document against every kind of caller (domain.md, "Who may do what"): the status,
 * the problem {@code type} of every refusal, that a refused call changed nothing in the database, and that no
 * answer names an object of a project the caller holds no role in (V1). Rows whose request refers to another
 * project's object inside one's own request (attach, allocate, IP, share request) answer "not found" too.
 * A new endpoint without a row fails {@link #everyOperationOfTheOpenApiDocumentHasARow()}.
 */
class AuthorizationMatrixTest {

    private static final String A = "tenant-a";
    private static final String B = "tenant-b";
    private static final String PARTITION = "matrix-m";

    /** The kinds of caller: a demo user each (password = user name), and no token at all. */
    enum Caller {
        ADMIN("admin", true, null, null),
        OWNER("bob", false, A, "owner"),
        MEMBER("carol", false, A, "member"),
        VIEWER("vera", false, A, "viewer"),
        OTHER_OWNER("dave", false, B, "owner"),
        OTHER_MEMBER("quentin", false, B, "member"),
        OTHER_VIEWER("wanda", false, B, "viewer"),
        NO_GROUPS("norbert", false, null, null),
        ADMIN_AND_VIEWER("hazel", true, A, "viewer"),
        SECOND_OWNER("ingrid", false, A, "owner"),
        ANONYMOUS(null, false, null, null);

        final String user;
        final boolean admin;
        final String project;
        final String role;

        Caller(String user, boolean admin, String project, String role) {
            this.user = user;
            this.admin = admin;
            this.project = project;
            this.role = role;
        }

        /** Whether the caller holds at least {@code needed} in {@code project} (admins hold every role). */
        boolean has(String needed, String project) {
            return admin || (project.equals(this.project) && rank(role) >= rank(needed));
        }

        /** Whether the caller sees {@code project} at all. */
        boolean sees(String project) {
            return has("viewer", project);
        }

        private static int rank(String role) {
            return switch (role) {
                case "viewer" -> 1;
                case "member" -> 2;
                case "owner" -> 3;
                default -> throw new IllegalArgumentException(role);
            };
        }
    }

    /** What a cell expects: a status, and for a refusal the end of the problem's {@code type}. */
    record Outcome(int status, String type) {

        static Outcome ok(int status) {
            return new Outcome(status, null);
        }

        static Outcome refused(int status, String type) {
            return new Outcome(status, type);
        }

        static final Outcome NOT_FOUND = refused(404, "not-found");
        static final Outcome FORBIDDEN = refused(403, "forbidden");

        boolean success() {
            return status < 400;
        }

        @Override
        public String toString() {
            return type == null ? String.valueOf(status) : status + " " + type;
        }
    }

    /**
     * One request: method, path, body, and the names of objects that callers without a role in their project must
     * never read in an answer (project id -> names).
     */
    record Request(String method, String path, String body, Map<String, List<String>> secrets) {

        static Request of(String method, String path, String body) {
            return new Request(method, path, body, Map.of());
        }

        Request hiding(String project, String... names) {
            Map<String, List<String>> all = new java.util.HashMap<>(secrets);
            all.merge(project, List.of(names), (a, b) -> Stream.concat(a.stream(), b.stream()).toList());
            return new Request(method, path, body, Map.copyOf(all));
        }
    }

    /**
     * A row: the OpenAPI operation ({@code METHOD /path}), a variant label, how to prepare its request, whether a
     * successful call uses up the prepared objects (then each success gets its own), and the outcome per caller.
     */
    record Row(String operation, String variant, Supplier<Request> prepare, boolean consumes, Function<Caller, Outcome> expect) {

        String label() {
            return operation + (variant.isEmpty() ? "" : " [" + variant + "]");
        }
    }

    // ---- who gets what ----

    /** Every signed-in caller. */
    private static Function<Caller, Outcome> everyone(int status) {
        return caller -> Outcome.ok(status);
    }

    /** Platform admins; everyone else is forbidden. */
    private static Function<Caller, Outcome> admins(int status) {
        return caller -> caller.admin ? Outcome.ok(status) : Outcome.FORBIDDEN;
    }

    /** Work on an object of {@code project} that needs {@code role}: too low a role is forbidden, none is "not found". */
    private static Function<Caller, Outcome> in(String project, String role, int status, String forbiddenType) {
        return caller -> caller.has(role, project) ? Outcome.ok(status)
                : caller.sees(project) ? Outcome.refused(403, forbiddenType) : Outcome.NOT_FOUND;
    }

    private static Function<Caller, Outcome> in(String project, String role, int status) {
        return in(project, role, status, "forbidden");
    }

    /** Admin-only work on a project: its other roles are forbidden, everyone else does not see it. */
    private static Function<Caller, Outcome> adminsOf(String project, int status) {
        return caller -> caller.admin ? Outcome.ok(status) : caller.sees(project) ? Outcome.FORBIDDEN : Outcome.NOT_FOUND;
    }

    /**
     * A reference to another project's private network inside a request on tenant-a's objects: "not found" for
     * everyone (V1), checked before any other rule: a viewer of tenant-a, who may make no such request at all, is
     * not told "forbidden" either, as that would differ from naming a network that does not exist.
     */
    private static Function<Caller, Outcome> otherProjectsNetwork() {
        return caller -> Outcome.NOT_FOUND;
    }

    // ---- objects, created by their project's owners through the API ----

    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static DatabaseSnapshot database;

    private final TestPortal portal = TestPortal.shared();

    /** An object made for a row: its id, and what names it (name, and a network's prefix). */
    private record Thing(String id, String name, String prefix) {

        Thing(String id, String name) {
            this(id, name, null);
        }
    }

    private String token(String user) {
        return TOKENS.computeIfAbsent(user, u -> PkceLogin.accessToken(portal.issuer(), u, u));
    }

    private JsonNode created(String user, String method, String path, String body) {
        Api.Answer answer = Api.send(method, portal.apiUrl() + path, token(user), body);
        assertThat(answer.status()).as(method + " " + path + ": " + answer.raw().body()).isBetween(200, 201);
        return answer.json();
    }

    private static String name(String kind) {
        return "authz-" + kind + "-" + SEQUENCE.incrementAndGet();
    }

    /** A private network of tenant-a (owner bob) in nbg-1, small. */
    private Thing network() {
        String name = name("net");
        return new Thing(created("bob", "POST", "/api/v1/projects/tenant-a/networks",
                "{\"name\":\"" + name + "\",\"partition\":\"nbg-1\",\"prefixLength\":28}").get("id").asString(), name);
    }

    /** A private network of {@code project} (created by its owner) in the matrix partition. */
    private Thing partitionNetwork(String project) {
        partition();
        String name = name(project.equals(A) ? "a" : "b");
        String owner = project.equals(A) ? "bob" : "dave";
        JsonNode network = created(owner, "POST", "/api/v1/projects/" + project + "/networks",
                "{\"name\":\"" + name + "\",\"partition\":\"" + PARTITION + "\"}");
        return new Thing(network.get("id").asString(), name, network.get("prefix").asString());
    }

    private String ip(Thing network) {
        return created("bob", "POST", "/api/v1/networks/" + network.id() + "/ips", "{}").get("ip").asString();
    }

    /** A pending share request for a fresh network of tenant-a, filed by its owner bob. */
    private Thing shareRequest() {
        Thing network = network();
        return new Thing(created("bob", "POST", "/api/v1/networks/" + network.id() + "/share-requests",
                "{\"reason\":\"matrix\",\"natType\":\"NONE\"}").get("id").asString(), network.name());
    }

    private static volatile boolean partitionCreated;

    /** The matrix's own partition, with plenty of machines, created once. */
    private synchronized void partition() {
        if (!partitionCreated) {
            created("admin", "POST", "/api/v1/partitions", """
                    {"id":"matrix-m","name":"Matrix","superNetworks":["10.200.0.0/16"],"childPrefixLength":{"ipv4":28},
                     "externalNetworks":[{"name":"internet","prefixes":["100.64.200.0/22"],"destinationPrefixes":["0.0.0.0/0"],
                     "natType":"IPV4_MASQUERADE"}],"inventory":{"c1":400}}""");
            partitionCreated = true;
        }
    }

    private static volatile String internet;

    private String internet() {
        partition();
        if (internet == null) {
            internet = Api.get(portal.apiUrl() + "/api/v1/partitions/" + PARTITION, token("bob")).json()
                    .get("externalNetworks").get(0).get("id").asString();
        }
        return internet;
    }

    private Thing machine() {
        Thing network = partitionNetwork(A);
        String name = name("m");
        return new Thing(created("bob", "POST", "/api/v1/projects/tenant-a/machines", "{\"name\":\"" + name
                + "\",\"partition\":\"matrix-m\",\"size\":\"c1\",\"network\":\"" + network.id() + "\"}").get("id").asString(), name);
    }

    private String firewallBody(String name, String... networks) {
        StringBuilder list = new StringBuilder();
        for (String network : networks) {
            list.append("{\"network\":\"").append(network).append("\"},");
        }
        return "{\"name\":\"" + name + "\",\"partition\":\"matrix-m\",\"size\":\"c1\",\"networks\":[" + list
                + "{\"network\":\"" + internet() + "\"}]}";
    }

    private Thing firewall() {
        String name = name("fw");
        return new Thing(created("bob", "POST", "/api/v1/projects/tenant-a/firewalls",
                firewallBody(name, partitionNetwork(A).id())).get("firewall").get("id").asString(), name);
    }

    private static volatile Thing sharedOfB;

    /** A shared network of tenant-b in the matrix partition (NAT none), made once: attaching does not use it up. */
    private Thing sharedOfB() {
        if (sharedOfB == null) {
            Thing network = partitionNetwork(B);
            String request = created("dave", "POST", "/api/v1/networks/" + network.id() + "/share-requests",
                    "{\"reason\":\"matrix\",\"natType\":\"NONE\"}").get("id").asString();
            created("admin", "POST", "/api/v1/share-requests/" + request + "/approve", "{}");
            sharedOfB = network;
        }
        return sharedOfB;
    }

    // ---- the rows ----

    private List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        // who am I, the partitions and the projects
        rows.add(new Row("GET /api/v1/me", "", () -> Request.of("GET", "/api/v1/me", null), false, everyone(200)));
        rows.add(new Row("GET /api/v1/partitions", "", () -> Request.of("GET", "/api/v1/partitions", null), false, everyone(200)));
        rows.add(new Row("GET /api/v1/partitions/{id}", "", () -> Request.of("GET", "/api/v1/partitions/fra-1", null),
                false, everyone(200)));
        rows.add(new Row("POST /api/v1/partitions", "", () -> {
            int n = SEQUENCE.incrementAndGet();
            return Request.of("POST", "/api/v1/partitions", "{\"id\":\"authz-p-" + n
                    + "\",\"name\":\"Authz\",\"superNetworks\":[\"172.16.0.0/16\"]}");
        }, true, admins(201)));
        rows.add(new Row("PATCH /api/v1/partitions/{id}", "", () -> Request.of("PATCH", "/api/v1/partitions/nbg-1",
                "{\"description\":\"Nuremberg\"}"), false, admins(200)));
        rows.add(new Row("GET /api/v1/projects", "", () -> Request.of("GET", "/api/v1/projects", null).hiding(A, "Tenant A")
                .hiding(B, "Tenant B"), false, everyone(200)));
        rows.add(new Row("POST /api/v1/projects", "", () -> Request.of("POST", "/api/v1/projects",
                "{\"id\":\"authz-" + SEQUENCE.incrementAndGet() + "\",\"name\":\"Authz\"}"), true, admins(201)));
        rows.add(new Row("PATCH /api/v1/projects/{id}", "", () -> Request.of("PATCH", "/api/v1/projects/tenant-a",
                "{\"name\":\"Tenant A\"}"), false, adminsOf(A, 200)));

        // networks and IPs
        rows.add(new Row("GET /api/v1/projects/{project}/networks", "", () -> {
            Thing network = network();
            return Request.of("GET", "/api/v1/projects/tenant-a/networks?size=500", null).hiding(A, network.name());
        }, false, in(A, "viewer", 200)));
        rows.add(new Row("POST /api/v1/projects/{project}/networks", "", () -> Request.of("POST", "/api/v1/projects/tenant-a/networks",
                "{\"name\":\"" + name("new") + "\",\"partition\":\"nbg-1\",\"prefixLength\":28}"), true, in(A, "member", 201)));
        rows.add(new Row("GET /api/v1/networks/{id}", "", () -> {
            Thing network = network();
            return Request.of("GET", "/api/v1/networks/" + network.id(), null).hiding(A, network.name());
        }, false, in(A, "viewer", 200)));
        rows.add(new Row("GET /api/v1/networks/{id}", "another project's shared network", () ->
                Request.of("GET", "/api/v1/networks/" + sharedOfB().id(), null), false, everyone(200)));
        rows.add(new Row("PATCH /api/v1/networks/{id}", "", () -> {
            Thing network = network();
            return Request.of("PATCH", "/api/v1/networks/" + network.id(), "{\"description\":\"changed\"}").hiding(A, network.name());
        }, true, in(A, "member", 200)));
        rows.add(new Row("DELETE /api/v1/networks/{id}", "", () -> {
            Thing network = network();
            return Request.of("DELETE", "/api/v1/networks/" + network.id(), null).hiding(A, network.name());
        }, true, in(A, "member", 204)));
        rows.add(new Row("GET /api/v1/networks/{id}/ips", "", () -> {
            Thing network = network();
            return Request.of("GET", "/api/v1/networks/" + network.id() + "/ips", null).hiding(A, network.name());
        }, false, in(A, "viewer", 200)));
        rows.add(new Row("POST /api/v1/networks/{id}/ips", "", () -> {
            Thing network = network();
            return Request.of("POST", "/api/v1/networks/" + network.id() + "/ips", "{}").hiding(A, network.name());
        }, true, in(A, "member", 201)));
        rows.add(new Row("POST /api/v1/networks/{id}/ips", "another project's shared network", () ->
                Request.of("POST", "/api/v1/networks/" + sharedOfB().id() + "/ips", "{}"), true, in(B, "member", 201)));
        rows.add(new Row("DELETE /api/v1/networks/{id}/ips/{ip}", "", () -> {
            Thing network = network();
            return Request.of("DELETE", "/api/v1/networks/" + network.id() + "/ips/" + ip(network), null).hiding(A, network.name());
        }, true, in(A, "member", 204)));
        rows.add(new Row("GET /api/v1/networks", "", () -> Request.of("GET",
                "/api/v1/networks?partition=" + PARTITION + "&type=CHILD_SHARED", null), false, everyone(200)));

        // audit
        rows.add(new Row("GET /api/v1/audit-events", "", () -> {
            Thing network = network();
            return Request.of("GET", "/api/v1/audit-events?size=500", null).hiding(A, network.name());
        }, false, everyone(200)));
        rows.add(new Row("GET /api/v1/audit-events", "?project=", () -> {
            Thing network = network();
            return Request.of("GET", "/api/v1/audit-events?project=tenant-a", null).hiding(A, network.name());
        }, false, in(A, "viewer", 200)));

        // sharing
        rows.add(new Row("POST /api/v1/networks/{id}/share-requests", "", () -> {
            Thing network = network();
            return Request.of("POST", "/api/v1/networks/" + network.id() + "/share-requests",
                    "{\"reason\":\"matrix\",\"natType\":\"IPV4_MASQUERADE\"}").hiding(A, network.name());
        }, true, in(A, "owner", 201, "S1-owner-only")));
        rows.add(new Row("POST /api/v1/networks/{id}/share-requests", "another project's network", () -> {
            Thing network = partitionNetwork(B);
            return Request.of("POST", "/api/v1/networks/" + network.id() + "/share-requests",
                    "{\"reason\":\"matrix\",\"natType\":\"NONE\"}").hiding(B, network.name(), network.prefix());
        }, true, in(B, "owner", 201, "S1-owner-only")));
        rows.add(new Row("GET /api/v1/share-requests", "", () -> {
            Thing request = shareRequest();
            return Request.of("GET", "/api/v1/share-requests?status=PENDING&size=500", null).hiding(A, request.name());
        }, false, everyone(200)));
        rows.add(new Row("GET /api/v1/share-requests/{id}", "", () -> {
            Thing request = shareRequest();
            return Request.of("GET", "/api/v1/share-requests/" + request.id(), null).hiding(A, request.name());
        }, false, in(A, "viewer", 200)));
        rows.add(new Row("POST /api/v1/share-requests/{id}/approve", "", () -> {
            Thing request = shareRequest();
            return Request.of("POST", "/api/v1/share-requests/" + request.id() + "/approve", "{}").hiding(A, request.name());
        }, true, caller -> caller.admin ? Outcome.ok(200) : caller.sees(A) ? Outcome.refused(403, "S2-admin-only") : Outcome.NOT_FOUND));
        rows.add(new Row("POST /api/v1/share-requests/{id}/reject", "", () -> {
            Thing request = shareRequest();
            return Request.of("POST", "/api/v1/share-requests/" + request.id() + "/reject", "{\"comment\":\"no\"}")
                    .hiding(A, request.name());
        }, true, caller -> caller.admin ? Outcome.ok(200) : caller.sees(A) ? Outcome.refused(403, "S2-admin-only") : Outcome.NOT_FOUND));
        // S2: the requester (bob) withdraws; a second owner, an admin and anyone else of the project may not
        rows.add(new Row("POST /api/v1/share-requests/{id}/withdraw", "", () -> {
            Thing request = shareRequest();
            return Request.of("POST", "/api/v1/share-requests/" + request.id() + "/withdraw", "{}").hiding(A, request.name());
        }, true, caller -> caller == Caller.OWNER ? Outcome.ok(200)
                : caller.sees(A) ? Outcome.refused(403, "S2-requester-only") : Outcome.NOT_FOUND));

        // machines
        rows.add(new Row("GET /api/v1/projects/{project}/machines", "", () -> {
            Thing machine = machine();
            return Request.of("GET", "/api/v1/projects/tenant-a/machines?size=500", null).hiding(A, machine.name());
        }, false, in(A, "viewer", 200)));
        rows.add(new Row("POST /api/v1/projects/{project}/machines", "", () -> {
            Thing network = partitionNetwork(A);
            return Request.of("POST", "/api/v1/projects/tenant-a/machines", "{\"name\":\"" + name("m")
                    + "\",\"partition\":\"matrix-m\",\"size\":\"c1\",\"network\":\"" + network.id() + "\"}").hiding(A, network.name());
        }, true, in(A, "member", 201)));
        rows.add(new Row("POST /api/v1/projects/{project}/machines", "another project's private network", () -> {
            Thing network = partitionNetwork(B);
            return Request.of("POST", "/api/v1/projects/tenant-a/machines", "{\"name\":\"" + name("m")
                    + "\",\"partition\":\"matrix-m\",\"size\":\"c1\",\"network\":\"" + network.id() + "\"}")
                    .hiding(B, network.name(), network.prefix());
        }, true, otherProjectsNetwork()));
        rows.add(new Row("GET /api/v1/machines/{id}", "", () -> {
            Thing machine = machine();
            return Request.of("GET", "/api/v1/machines/" + machine.id(), null).hiding(A, machine.name());
        }, false, in(A, "viewer", 200)));
        rows.add(new Row("DELETE /api/v1/machines/{id}", "", () -> {
            Thing machine = machine();
            return Request.of("DELETE", "/api/v1/machines/" + machine.id(), null).hiding(A, machine.name());
        }, true, in(A, "member", 204)));

        // firewalls
        rows.add(new Row("GET /api/v1/projects/{project}/firewalls", "", () -> {
            Thing firewall = firewall();
            return Request.of("GET", "/api/v1/projects/tenant-a/firewalls?size=500", null).hiding(A, firewall.name());
        }, false, in(A, "viewer", 200)));
        rows.add(new Row("POST /api/v1/projects/{project}/firewalls", "", () -> {
            Thing network = partitionNetwork(A);
            return Request.of("POST", "/api/v1/projects/tenant-a/firewalls", firewallBody(name("fw"), network.id()))
                    .hiding(A, network.name());
        }, true, in(A, "member", 201)));
        rows.add(new Row("POST /api/v1/projects/{project}/firewalls", "another project's private network", () -> {
            Thing own = partitionNetwork(A);
            Thing other = partitionNetwork(B);
            return Request.of("POST", "/api/v1/projects/tenant-a/firewalls", firewallBody(name("fw"), own.id(), other.id()))
                    .hiding(A, own.name()).hiding(B, other.name(), other.prefix());
        }, true, otherProjectsNetwork()));
        rows.add(new Row("GET /api/v1/firewalls/{id}", "", () -> {
            Thing firewall = firewall();
            return Request.of("GET", "/api/v1/firewalls/" + firewall.id(), null).hiding(A, firewall.name());
        }, false, in(A, "viewer", 200)));
        rows.add(new Row("GET /api/v1/firewalls/{id}/config", "", () -> {
            Thing firewall = firewall();
            return Request.of("GET", "/api/v1/firewalls/" + firewall.id() + "/config", null).hiding(A, firewall.name());
        }, false, in(A, "viewer", 200)));
        rows.add(new Row("GET /api/v1/firewalls/{id}/config/revisions", "", () -> {
            Thing firewall = firewall();
            return Request.of("GET", "/api/v1/firewalls/" + firewall.id() + "/config/revisions", null).hiding(A, firewall.name());
        }, false, in(A, "viewer", 200)));
        rows.add(new Row("GET /api/v1/firewalls/{id}/config/revisions/{revision}", "", () -> {
            Thing firewall = firewall();
            return Request.of("GET", "/api/v1/firewalls/" + firewall.id() + "/config/revisions/1", null).hiding(A, firewall.name());
        }, false, in(A, "viewer", 200)));
        rows.add(new Row("GET /api/v1/firewalls", "", () -> Request.of("GET", "/api/v1/firewalls?notInSync=true", null),
                false, admins(200)));
        rows.add(new Row("DELETE /api/v1/firewalls/{id}", "", () -> {
            Thing firewall = firewall();
            return Request.of("DELETE", "/api/v1/firewalls/" + firewall.id(), null).hiding(A, firewall.name());
        }, true, in(A, "member", 204)));
        rows.add(new Row("PUT /api/v1/firewalls/{id}/networks/{network}", "", () -> {
            Thing firewall = firewall();
            return Request.of("PUT", "/api/v1/firewalls/" + firewall.id() + "/networks/" + sharedOfB().id(), "{}")
                    .hiding(A, firewall.name());
        }, true, in(A, "member", 200)));
        rows.add(new Row("PUT /api/v1/firewalls/{id}/networks/{network}", "another project's private network", () -> {
            Thing firewall = firewall();
            Thing other = partitionNetwork(B);
            return Request.of("PUT", "/api/v1/firewalls/" + firewall.id() + "/networks/" + other.id(), "{}")
                    .hiding(A, firewall.name()).hiding(B, other.name(), other.prefix());
        }, true, otherProjectsNetwork()));
        rows.add(new Row("DELETE /api/v1/firewalls/{id}/networks/{network}", "", () -> {
            Thing firewall = firewall();
            created("bob", "PUT", "/api/v1/firewalls/" + firewall.id() + "/networks/" + sharedOfB().id(), "{}");
            return Request.of("DELETE", "/api/v1/firewalls/" + firewall.id() + "/networks/" + sharedOfB().id(), null)
                    .hiding(A, firewall.name());
        }, true, in(A, "member", 200)));
        rows.add(new Row("DELETE /api/v1/firewalls/{id}/networks/{network}", "another project's private network", () -> {
            Thing firewall = firewall();
            Thing other = partitionNetwork(B);
            return Request.of("DELETE", "/api/v1/firewalls/" + firewall.id() + "/networks/" + other.id(), null)
                    .hiding(A, firewall.name()).hiding(B, other.name(), other.prefix());
        }, true, otherProjectsNetwork()));

        // the agent protocol: a firewall's agent credential only, never a person's token
        rows.add(new Row("GET /agent/v1/firewalls/{id}/stream", "a person's token", () -> {
            Thing firewall = firewall();
            return Request.of("GET", "/agent/v1/firewalls/" + firewall.id() + "/stream", null).hiding(A, firewall.name());
        }, false, caller -> Outcome.refused(401, "unauthorized")));
        return rows;
    }

    // ---- the tests ----

    @TestFactory
    Stream<DynamicTest> everyEndpointAnswersEveryCallerAsTheRolesSay() {
        database = DatabaseSnapshot.of(portal);
        return rows().stream().flatMap(row -> {
            Request[] shared = new Request[1];
            return Stream.of(Caller.values()).map(caller -> {
                Outcome expected = caller == Caller.ANONYMOUS ? Outcome.refused(401, "unauthorized") : row.expect().apply(caller);
                return DynamicTest.dynamicTest(row.label() + " as " + caller + " (" + caller.user + ") -> " + expected, () -> {
                    Request request;
                    if (expected.success() && row.consumes()) {
                        request = row.prepare().get();
                    } else {
                        if (shared[0] == null) {
                            shared[0] = row.prepare().get();
                        }
                        request = shared[0];
                    }
                    check(caller, request, expected);
                });
            });
        });
    }

    private void check(Caller caller, Request request, Outcome expected) {
        Map<String, DatabaseSnapshot.Content> before = expected.success() ? null : database.take();
        Api.Answer answer = Api.send(request.method(), portal.apiUrl() + request.path(),
                caller.user == null ? null : token(caller.user), request.body());
        String body = answer.raw().body();

        assertThat(answer.status()).as(body).isEqualTo(expected.status());
        if (!expected.success()) {
            assertThat(answer.contentType()).startsWith("application/problem+json");
            assertThat(answer.json().get("status").asInt()).isEqualTo(expected.status());
            assertThat(answer.json().get("type").asString()).as(body).isEqualTo(ApiErrors.TYPE_BASE + expected.type());
            assertThat(DatabaseSnapshot.changes(before, database.take())).as("tables a refused call changed").isEmpty();
        }
        // V1: nothing of a project the caller holds no role in, in any answer
        request.secrets().forEach((project, names) -> {
            if (caller != Caller.ANONYMOUS && !caller.sees(project)) {
                for (String name : names) {
                    assertThat(body).as("answer to a caller without a role in " + project).doesNotContain(name);
                }
            }
        });
    }

    /** New endpoints cannot be forgotten: each operation of the OpenAPI document has a row, and each row an operation. */
    @Test
    void everyOperationOfTheOpenApiDocumentHasARow() {
        Api.Answer document = Api.get(portal.apiUrl() + "/v3/api-docs", null);
        assertThat(document.status()).isEqualTo(200);
        Set<String> documented = new TreeSet<>();
        document.json().get("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            if (Set.of("get", "put", "post", "patch", "delete", "head", "options").contains(operation.getKey())) {
                documented.add(operation.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey());
            }
        }));
        Set<String> covered = new TreeSet<>(rows().stream().map(Row::operation).toList());

        assertThat(documented).as("operations of /v3/api-docs").isNotEmpty();
        assertThat(covered).as("rows of the matrix").containsAll(documented);
        assertThat(documented).as("operations of /v3/api-docs").containsAll(covered);
    }

    /** The comparison of refused calls can fail: a call that is not refused shows in the snapshot. */
    @Test
    void theSnapshotSeesAChange() {
        DatabaseSnapshot snapshot = DatabaseSnapshot.of(portal);
        try {
            assertThat(snapshot.tables()).contains("network", "ip", "share_request", "machine", "firewall_config", "audit_event");
            Map<String, DatabaseSnapshot.Content> before = snapshot.take();
            network();
            assertThat(DatabaseSnapshot.changes(before, snapshot.take())).containsKeys("network", "audit_event");
        } finally {
            snapshot.close();
        }
    }

    @AfterAll
    static void closeDatabase() {
        if (database != null) {
            database.close();
        }
    }
}
