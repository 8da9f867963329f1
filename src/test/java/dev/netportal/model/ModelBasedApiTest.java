package dev.netportal.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.firewall.FirewallConfigs;
import dev.netportal.firewall.FirewallId;
import dev.netportal.firewall.render.Rendered;
import dev.netportal.testing.Api;
import dev.netportal.testing.PkceLogin;
import dev.netportal.testing.TestPortal;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv6.IPv6Address;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A model-based (stateful, randomized) test of the whole API: random sequences of operations by random demo users,
 * valid and invalid, against a portal of its own. Before each step a small reference model of the rules
 * ({@code ../docs/domain.md}) predicts the answer; after it the answer is compared with the prediction, and the
 * whole state with the model and with invariants (no overlapping prefixes, no duplicate or reserved address handed
 * out, quotas and usage counters, every firewall with a current revision in step with its networks, one address
 * per family of each network for every machine, no 5xx, no name of an object the caller cannot see in any answer).
 * Now and then a burst of changes by several users runs at once: no answer is predicted then (the database
 * orders them), none may be a 5xx, the invariants must hold, and the model is read anew from the database.
 *
 * <p>Seeded: every failure names its seed and the steps that led to it. {@code -Dmodel.seed=N} repeats a run,
 * {@code -Dmodel.steps=N} sets its length (CI: 2000), {@code -Dmodel.minutes=M} runs for M minutes instead.
 */
class ModelBasedApiTest {

    private static final List<String> USERS = List.of("alice", "bob", "carol", "dave", "vera", "admin");
    private static final List<String> PROJECTS = List.of("storage", "tenant-a", "tenant-b");
    private static final Map<String, Map<String, String>> ROLES = Map.of(
            "alice", Map.of("storage", "owner"),
            "bob", Map.of("tenant-a", "owner"),
            "carol", Map.of("tenant-a", "member"),
            "dave", Map.of("tenant-b", "owner"),
            "vera", Map.of("tenant-a", "viewer"));
    /** tenant-b runs with quotas, the others without. */
    private static final int QUOTA_NETWORKS = 6;
    private static final int QUOTA_MACHINES = 3;
    private static final int QUOTA_FIREWALLS = 2;

    private static TestPortal portal;
    private static Connection db;
    private static final Map<String, Token> TOKENS = new ConcurrentHashMap<>();

    // ---------------------------------------------------------------- the reference model

    /** A partition of the model: its pools, child lengths, external network and machine count. */
    record Part(String id, String v4Pool, String v6Pool, int childV4, int minV4, int childV6, String external,
                List<String> externalPrefixes, int[] inventory) {
    }

    static final class Net {
        final String id;
        final String project;
        final String partition;
        String name;
        final List<String> prefixes;
        boolean shared;
        String pending;
        final Set<String> statics = new HashSet<>();

        Net(String id, String project, String partition, String name, List<String> prefixes) {
            this.id = id;
            this.project = project;
            this.partition = partition;
            this.name = name;
            this.prefixes = prefixes;
        }
    }

    record Box(String id, String project, String partition, String name, boolean firewall, String primary,
               Map<String, List<String>> legs) {
    }

    record Request(String id, String network, String requester, String status) {
    }

    private final Map<String, Part> partitions = new LinkedHashMap<>();
    private final Map<String, Net> networks = new LinkedHashMap<>();
    private final Map<String, Box> boxes = new LinkedHashMap<>();
    private final Map<String, Request> requests = new LinkedHashMap<>();
    private final Deque<String> log = new ArrayDeque<>();
    private Random random;
    private long seed;
    private int step;
    private final Map<String, Integer> seen = new TreeMap<>();

    @BeforeAll
    static void startPortal() throws SQLException {
        portal = TestPortal.start();
        db = portal.database().connect();
    }

    @AfterAll
    static void stopPortal() throws SQLException {
        if (db != null) {
            db.close();
        }
        if (portal != null) {
            portal.close();
        }
    }

    @Test
    void randomSequencesOfOperationsKeepTheRulesAndTheModel() throws Exception {
        seed = Long.getLong("model.seed", System.nanoTime());
        random = new Random(seed);
        long minutes = Long.getLong("model.minutes", 0);
        int steps = Integer.getInteger("model.steps", 2000);
        long until = System.currentTimeMillis() + minutes * 60_000;
        System.out.println("ModelBasedApiTest seed " + seed + " (-Dmodel.seed=" + seed + " repeats this run)");
        setUp();
        try {
            for (step = 1; minutes > 0 ? System.currentTimeMillis() < until : step <= steps; step++) {
                operation();
                invariants();
            }
        } catch (AssertionError | Exception failure) {
            throw new AssertionError("seed " + seed + ", step " + step + " (-Dmodel.seed=" + seed + " -Dmodel.steps=" + step
                    + " repeats it); the last steps:\n" + String.join("\n", log) + "\n" + failure.getMessage(), failure);
        }
        System.out.println("ModelBasedApiTest: " + (step - 1) + " steps, answers by operation and status: " + seen);
        assertThat(seen.keySet()).as("the run exercised successes and refusals of the main operations").contains(
                "network.create 201", "network.create 409", "network.delete 204", "network.delete 409", "ip.reserve 201",
                "ip.reserve 400", "machine.allocate 201", "firewall.allocate 201", "firewall.attach 200",
                "share.approve 200", "network.read 404");
    }

    private void setUp() {
        Part a = new Part("mb-dual", "10.200.0.0/24", "fd00:200::/60", 27, 26, 64, "internet-a",
                List.of("185.200.0.0/28", "2001:db8:200::/124"), new int[] {8});
        Part b = new Part("mb-v4", "10.201.0.0/25", null, 28, 27, 64, "internet-b", List.of("185.201.0.0/29"), new int[] {5});
        for (Part p : List.of(a, b)) {
            Api.Answer created = send("admin", "POST", "/api/v1/partitions", "{\"id\":\"" + p.id() + "\",\"name\":\"" + p.id()
                    + "\",\"superNetworks\":[\"" + p.v4Pool() + "\"" + (p.v6Pool() == null ? "" : ",\"" + p.v6Pool() + "\"")
                    + "],\"childPrefixLength\":{\"ipv4\":" + p.childV4() + (p.v6Pool() == null ? "" : ",\"ipv6\":" + p.childV6())
                    + "},\"minChildPrefixLength\":" + p.minV4() + ",\"externalNetworks\":[{\"name\":\"" + p.external()
                    + "\",\"prefixes\":" + json(p.externalPrefixes()) + ",\"destinationPrefixes\":[\"0.0.0.0/0\""
                    + (p.v6Pool() == null ? "" : ",\"::/0\"") + "],\"natType\":\"IPV4_MASQUERADE\"}],\"inventory\":{\"c1\":"
                    + p.inventory()[0] + "}}");
            assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
            String external = created.json().get("externalNetworks").get(0).get("id").asString();
            Net net = new Net(external, null, p.id(), p.external(), p.externalPrefixes());
            networks.put(external, net);
            partitions.put(p.id(), p);
        }
        Api.Answer quota = send("admin", "PATCH", "/api/v1/projects/tenant-b", "{\"name\":\"Tenant B\",\"quotas\":{\"networks\":" + QUOTA_NETWORKS
                + ",\"machines\":" + QUOTA_MACHINES + ",\"firewalls\":" + QUOTA_FIREWALLS + "}}");
        assertThat(quota.status()).as(quota.raw().body()).isEqualTo(200);
    }

    // ---------------------------------------------------------------- operations

    private void operation() throws Exception {
        if (random.nextInt(100) < 3) {
            burst();
            return;
        }
        int pick = random.nextInt(100);
        if (pick < 14) {
            createNetwork();
        } else if (pick < 20) {
            deleteNetwork();
        } else if (pick < 30) {
            reserveIp();
        } else if (pick < 35) {
            releaseIp();
        } else if (pick < 41) {
            fileShareRequest();
        } else if (pick < 47) {
            decideShareRequest();
        } else if (pick < 57) {
            allocateMachine();
        } else if (pick < 62) {
            free(false);
        } else if (pick < 70) {
            allocateFirewall();
        } else if (pick < 74) {
            free(true);
        } else if (pick < 81) {
            attach();
        } else if (pick < 85) {
            detach();
        } else if (pick < 89) {
            rename();
        } else if (pick < 91) {
            changeInventory();
        } else {
            read();
        }
    }

    private void createNetwork() {
        String project = any(PROJECTS);
        String user = actor(project);
        Part part = any(new ArrayList<>(partitions.values()));
        Integer length = random.nextInt(4) == 0 ? any(List.of(20, 26, 27, 28, 30, 31)) : null;
        Integer lengthV6 = random.nextInt(8) == 0 ? any(List.of(50, 63, 64)) : null;
        String name = name("net");
        int expected;
        int v4 = length == null ? part.childV4() : length;
        int v6 = lengthV6 == null ? part.childV6() : lengthV6;
        if (!member(user, project)) {
            expected = viewer(user, project) ? 403 : 404;
        } else if (v4 < part.minV4() || v4 > 30) {
            expected = 400;
        } else if (lengthV6 != null && (part.v6Pool() == null || v6 < 60 || v6 > 126)) {
            expected = 400;
        } else if (project.equals("tenant-b") && count(n -> "tenant-b".equals(n.project)) >= QUOTA_NETWORKS) {
            expected = 409;
        } else if (!fits(part, part.v4Pool(), v4) || part.v6Pool() != null && !fits(part, part.v6Pool(), v6)) {
            expected = 409;
        } else {
            expected = 201;
        }
        Api.Answer answer = call("network.create", user, "POST", "/api/v1/projects/" + project + "/networks",
                "{\"name\":\"" + name + "\",\"partition\":\"" + part.id() + "\"" + (length == null ? "" : ",\"prefixLength\":" + length)
                        + (lengthV6 == null ? "" : ",\"prefixLengthV6\":" + lengthV6) + "}", expected);
        if (answer.status() == 201) {
            List<String> prefixes = texts(answer.json().get("prefixes"));
            assertThat(prefixes).hasSize(part.v6Pool() == null ? 1 : 2);
            checkCarved(part, part.v4Pool(), prefixes.get(0), v4);
            if (part.v6Pool() != null) {
                checkCarved(part, part.v6Pool(), prefixes.get(1), v6);
            }
            String id = answer.json().get("id").asString();
            networks.put(id, new Net(id, project, part.id(), name, prefixes));
        }
    }

    private void deleteNetwork() {
        Net net = tenantNetwork();
        if (net == null) {
            return;
        }
        String user = actor(net.project);
        int expected;
        if (!viewer(user, net.project)) {
            expected = 404;
        } else if (!member(user, net.project)) {
            expected = 403;
        } else if (net.pending != null || users(net) > 0 || !net.statics.isEmpty()) {
            expected = 409;
        } else {
            expected = 204;
        }
        Api.Answer answer = call("network.delete", user, "DELETE", "/api/v1/networks/" + net.id, null, expected);
        if (answer.status() == 204) {
            networks.remove(net.id);
            requests.values().removeIf(r -> r.network().equals(net.id));
        }
    }

    private void reserveIp() {
        Net net = tenantNetwork();
        if (net == null) {
            return;
        }
        String user = actor(net.project);
        String v4 = net.prefixes.get(0);
        String wanted = switch (random.nextInt(6)) {
            case 0 -> null;
            case 1 -> offset(v4, 1 + random.nextInt(6));
            case 2 -> offset(v4, random.nextInt(3) == 0 ? 0 : size(v4) - 1);
            case 3 -> "192.0.2." + random.nextInt(250);
            case 4 -> net.prefixes.size() > 1 ? offset(net.prefixes.get(1), 2 + random.nextInt(4)) : "fd00:ffff::5";
            default -> taken(net).stream().findAny().orElse(null);
        };
        int expected;
        if (!viewer(user, net.project)) {
            expected = 404;
        } else if (!member(user, net.project)) {
            expected = 403;
        } else if (wanted == null) {
            expected = lowestFree(v4, taken(net)) == null ? 409 : 201;
        } else {
            expected = addressCheck(net, wanted);
        }
        Api.Answer answer = call("ip.reserve", user, "POST", "/api/v1/networks/" + net.id + "/ips",
                wanted == null ? "{}" : "{\"ip\":\"" + wanted + "\"}", expected);
        if (answer.status() == 201) {
            String ip = answer.json().get("ip").asString();
            assertThat(ip).as("the lowest free address, or the one asked for").isEqualTo(wanted == null ? lowestFree(v4, taken(net)) : canonical(wanted));
            net.statics.add(ip);
        }
    }

    private void releaseIp() {
        Net net = tenantNetwork();
        if (net == null) {
            return;
        }
        String user = actor(net.project);
        String ip = net.statics.isEmpty() || random.nextInt(5) == 0 ? offset(net.prefixes.get(0), 2) : any(new ArrayList<>(net.statics));
        int expected = !viewer(user, net.project) ? 404 : !member(user, net.project) ? 403 : net.statics.contains(ip) ? 204 : 404;
        Api.Answer answer = call("ip.release", user, "DELETE", "/api/v1/networks/" + net.id + "/ips/" + ip, null, expected);
        if (answer.status() == 204) {
            net.statics.remove(ip);
        }
    }

    private void fileShareRequest() {
        Net net = tenantNetwork();
        if (net == null) {
            return;
        }
        String user = random.nextInt(4) == 0 ? user() : owners(net.project);
        String nat = any(List.of("NONE", "IPV4_MASQUERADE"));
        int expected;
        if (!viewer(user, net.project)) {
            expected = 404;
        } else if (!owner(user, net.project)) {
            expected = 403;
        } else if (net.shared || net.pending != null) {
            expected = 409;
        } else {
            expected = 201;
        }
        Api.Answer answer = call("share.file", user, "POST", "/api/v1/networks/" + net.id + "/share-requests",
                "{\"reason\":\"model\",\"natType\":\"" + nat + "\"}", expected);
        if (answer.status() == 201) {
            String id = answer.json().get("id").asString();
            requests.put(id, new Request(id, net.id, user, "PENDING"));
            net.pending = id;
        }
    }

    private void decideShareRequest() {
        if (requests.isEmpty()) {
            return;
        }
        Request request = any(new ArrayList<>(requests.values()));
        Net net = networks.get(request.network());
        String action = any(List.of("approve", "approve", "reject", "withdraw"));
        String user = random.nextInt(4) == 0 ? user() : action.equals("withdraw") ? request.requester() : "admin";
        int expected;
        if (!viewer(user, net.project)) {
            expected = 404;
        } else if (action.equals("withdraw") ? !user.equals(request.requester()) : !user.equals("admin")) {
            expected = 403;
        } else if (!action.equals("withdraw") && user.equals(request.requester())) {
            expected = 422;
        } else if (!request.status().equals("PENDING")) {
            expected = 409;
        } else {
            expected = 200;
        }
        Api.Answer answer = call("share." + action, user, "POST", "/api/v1/share-requests/" + request.id() + "/" + action,
                "{\"comment\":\"model\"}", expected);
        if (answer.status() == 200) {
            requests.put(request.id(), new Request(request.id(), request.network(), request.requester(),
                    switch (action) {
                        case "approve" -> "APPROVED";
                        case "reject" -> "REJECTED";
                        default -> "WITHDRAWN";
                    }));
            net.pending = null;
            if (action.equals("approve")) {
                net.shared = true;
            }
        }
    }

    private void allocateMachine() {
        Net net = tenantNetwork();
        if (net == null) {
            return;
        }
        String project = random.nextInt(4) == 0 ? any(PROJECTS) : net.project;
        String user = actor(project);
        Part part = random.nextInt(8) == 0 ? any(new ArrayList<>(partitions.values())) : partitions.get(net.partition);
        List<String> ips = wantedIps(net);
        int expected = placement(user, project, part, net, false);
        if (expected == 0) {
            expected = allocation(project, part, false, List.of(net), List.of(ips));
        }
        String name = name("vm");
        Api.Answer answer = call("machine.allocate", user, "POST", "/api/v1/projects/" + project + "/machines",
                "{\"name\":\"" + name + "\",\"partition\":\"" + part.id() + "\",\"size\":\"c1\",\"network\":\"" + net.id
                        + "\",\"ips\":" + json(ips) + "}", expected);
        if (answer.status() == 201) {
            List<String> got = texts(answer.json().get("ips"));
            checkAddresses(net, ips, got);
            String id = answer.json().get("id").asString();
            boxes.put(id, new Box(id, project, part.id(), name, false, net.id, new LinkedHashMap<>(Map.of(net.id, got))));
        }
    }

    private void allocateFirewall() {
        Net primary = tenantNetwork();
        if (primary == null) {
            return;
        }
        String project = random.nextInt(4) == 0 ? any(PROJECTS) : primary.project;
        String user = actor(project);
        Part part = random.nextInt(8) == 0 ? any(new ArrayList<>(partitions.values())) : partitions.get(primary.partition);
        Net external = networks.values().stream().filter(n -> n.project == null && n.partition.equals(part.id())).findFirst().orElseThrow();
        List<Net> chosen = new ArrayList<>(List.of(primary, external));
        List<Net> shared = networks.values().stream().filter(n -> n.shared).toList();
        if (!shared.isEmpty() && random.nextBoolean()) {
            chosen.add(any(shared));
        }
        List<List<String>> ips = chosen.stream().map(n -> n == primary ? wantedIps(n) : List.<String>of()).toList();
        int expected = placement(user, project, part, primary, true);
        if (expected == 0) {
            expected = firewallPlacement(project, part, chosen);
        }
        if (expected == 0) {
            expected = allocation(project, part, true, chosen, ips);
        }
        String name = name("fw");
        StringBuilder body = new StringBuilder("{\"name\":\"" + name + "\",\"partition\":\"" + part.id() + "\",\"size\":\"c1\",\"networks\":[");
        for (int i = 0; i < chosen.size(); i++) {
            body.append(i == 0 ? "" : ",").append("{\"network\":\"").append(chosen.get(i).id).append("\",\"ips\":")
                    .append(json(ips.get(i))).append("}");
        }
        Api.Answer answer = call("firewall.allocate", user, "POST", "/api/v1/projects/" + project + "/firewalls",
                body.append("]}").toString(), expected);
        if (answer.status() == 201) {
            JsonNode firewall = answer.json().get("firewall");
            Map<String, List<String>> legs = new LinkedHashMap<>();
            for (JsonNode leg : firewall.get("networks")) {
                legs.put(leg.get("network").asString(), texts(leg.get("ips")));
            }
            assertThat(legs.keySet()).containsExactlyInAnyOrderElementsOf(chosen.stream().map(n -> n.id).toList());
            for (int i = 0; i < chosen.size(); i++) {
                checkAddresses(chosen.get(i), ips.get(i), legs.get(chosen.get(i).id));
            }
            String id = firewall.get("id").asString();
            Net own = chosen.stream().filter(n -> !n.shared && n.project != null).findFirst()
                    .orElseGet(() -> chosen.stream().filter(n -> n.shared && project.equals(n.project)).findFirst().orElseThrow());
            boxes.put(id, new Box(id, project, part.id(), name, true, own.id, legs));
        }
    }

    private void attach() {
        Box firewall = box(true);
        List<Net> candidates = networks.values().stream().filter(n -> n.project != null).toList();
        if (firewall == null || candidates.isEmpty()) {
            return;
        }
        // mostly a shared network the firewall could take (its partition, not attached yet), so successes are common
        Net net = random.nextInt(3) == 0 ? any(candidates) : networks.values().stream()
                .filter(n -> n.shared && n.partition.equals(firewall.partition()) && !firewall.legs().containsKey(n.id))
                .findAny().orElse(networks.values().stream().filter(n -> n.shared).findAny().orElse(any(candidates)));
        String user = actor(firewall.project());
        List<String> ips = random.nextInt(3) == 0 ? wantedIps(net) : List.of();
        int expected;
        if (!viewer(user, firewall.project()) || !nameable(user, net)) {
            expected = 404;
        } else if (!member(user, firewall.project())) {
            expected = 403;
        } else if (!net.shared && !firewall.project().equals(net.project)) {
            expected = 404;
        } else if (!net.partition.equals(firewall.partition())) {
            expected = 422;
        } else if (!net.shared) {
            expected = 422;
        } else if (firewall.legs().containsKey(net.id)) {
            expected = 409;
        } else if (firewall.project().equals(net.project) && firewall.legs().keySet().stream()
                .map(networks::get).noneMatch(n -> n != null && n.project != null && !n.shared)) {
            expected = 422;
        } else {
            expected = addresses(net, ips);
        }
        Api.Answer answer = call("firewall.attach", user, "PUT", "/api/v1/firewalls/" + firewall.id() + "/networks/" + net.id,
                "{\"ips\":" + json(ips) + "}", expected);
        if (answer.status() == 200) {
            List<String> got = answer.json().get("networks").valueStream().filter(n -> n.get("network").asString().equals(net.id))
                    .map(n -> texts(n.get("ips"))).findFirst().orElseThrow();
            checkAddresses(net, ips, got);
            firewall.legs().put(net.id, got);
        }
    }

    private void detach() {
        Box firewall = box(true);
        if (firewall == null) {
            return;
        }
        String user = actor(firewall.project());
        String network = any(new ArrayList<>(firewall.legs().keySet()));
        if (random.nextInt(6) == 0) {
            network = UUID.randomUUID().toString();
        }
        Net net = networks.get(network);
        int expected;
        if (!viewer(user, firewall.project()) || net == null || !nameable(user, net)) {
            expected = 404;
        } else if (!member(user, firewall.project())) {
            expected = 403;
        } else if (!firewall.legs().containsKey(network)) {
            expected = 404;
        } else if (!net.shared || network.equals(firewall.primary())) {
            expected = 422;
        } else {
            expected = 200;
        }
        Api.Answer answer = call("firewall.detach", user, "DELETE", "/api/v1/firewalls/" + firewall.id() + "/networks/" + network,
                null, expected);
        if (answer.status() == 200) {
            firewall.legs().remove(network);
        }
    }

    private void free(boolean firewall) {
        Box box = box(firewall);
        if (box == null) {
            return;
        }
        String user = actor(box.project());
        int expected = !viewer(user, box.project()) ? 404 : !member(user, box.project()) ? 403 : 204;
        Api.Answer answer = call(firewall ? "firewall.free" : "machine.free", user, "DELETE",
                (firewall ? "/api/v1/firewalls/" : "/api/v1/machines/") + box.id(), null, expected);
        if (answer.status() == 204) {
            boxes.remove(box.id());
        }
    }

    private void rename() {
        Net net = tenantNetwork();
        if (net == null) {
            return;
        }
        String user = actor(net.project);
        String name = name("net");
        int expected = !viewer(user, net.project) ? 404 : !member(user, net.project) ? 403 : 200;
        Api.Answer answer = call("network.rename", user, "PATCH", "/api/v1/networks/" + net.id, "{\"name\":\"" + name + "\"}", expected);
        if (answer.status() == 200) {
            net.name = name;
        }
    }

    private void changeInventory() {
        Part part = any(new ArrayList<>(partitions.values()));
        String user = random.nextInt(4) == 0 ? user() : "admin";
        long inUse = boxes.values().stream().filter(b -> b.partition().equals(part.id())).count();
        int count = (int) Math.max(random.nextInt(6) == 0 ? 0 : 1, inUse + random.nextInt(5) - 1);
        int expected = !user.equals("admin") ? 403 : count < inUse ? 409 : 200;
        Api.Answer answer = call("partition.inventory", user, "PATCH", "/api/v1/partitions/" + part.id(),
                "{\"inventory\":{\"c1\":" + count + "}}", expected);
        if (answer.status() == 200) {
            part.inventory()[0] = count;
        }
    }

    private void read() {
        String user = user();
        if (random.nextBoolean() && !networks.isEmpty()) {
            Net net = tenantNetwork();
            if (net != null) {
                call("network.read", user, "GET", "/api/v1/networks/" + net.id, null, viewer(user, net.project) || net.shared ? 200 : 404);
            }
        } else if (!boxes.isEmpty()) {
            Box box = any(new ArrayList<>(boxes.values()));
            call(box.firewall() ? "firewall.read" : "machine.read", user, "GET",
                    (box.firewall() ? "/api/v1/firewalls/" : "/api/v1/machines/") + box.id(), null, viewer(user, box.project()) ? 200 : 404);
        }
    }

    /**
     * Several changes at once by different users, on the same networks and firewalls: the order they take is the
     * database's, so no answer is predicted; none may be a 5xx, the invariants must hold afterwards, and the model
     * is read anew from the database.
     */
    private void burst() throws Exception {
        List<String[]> requests = new ArrayList<>();
        for (int i = 0; i < 4 + random.nextInt(4); i++) {
            String[] request = burstRequest();
            if (request != null) {
                requests.add(request);
            }
        }
        if (requests.isEmpty()) {
            return;
        }
        log.addLast(step + " at once: " + requests.stream().map(r -> r[0] + " " + r[1] + " " + r[2] + " " + r[3]).toList());
        ExecutorService pool = Executors.newFixedThreadPool(requests.size());
        try {
            List<Future<Api.Answer>> answers = new ArrayList<>();
            for (String[] r : requests) {
                answers.add(pool.submit(() -> send(r[0], r[1], r[2], r[3])));
            }
            for (int i = 0; i < answers.size(); i++) {
                Api.Answer answer = answers.get(i).get();
                // the database's own refusals (a deadlock it broke up, a constraint the services did not see coming)
                // are counted apart: a long run shows whether lock orders and checks hold under concurrency
                String type = answer.status() == 409 && answer.json() != null ? answer.json().path("type").asString("") : "";
                boolean database = type.endsWith("/concurrent-change") || type.endsWith("/conflict");
                seen.merge("burst " + answer.status() + (database ? " " + type.substring(type.lastIndexOf('/') + 1) : ""), 1,
                        Integer::sum);
                assertThat(answer.status()).as("no 5xx when changes meet: " + String.join(" ", requests.get(i)) + " -> "
                        + answer.raw().body()).isLessThan(500);
            }
        } finally {
            pool.shutdown();
        }
        resync();
    }

    /** One change for a burst, as user, method, path and body; null when there is nothing to change. */
    private String[] burstRequest() {
        Net net = tenantNetwork();
        Box firewall = box(true);
        Box machine = box(false);
        List<Net> shared = networks.values().stream().filter(n -> n.shared).toList();
        return switch (random.nextInt(8)) {
            case 0 -> net == null ? null : new String[] {owners(net.project), "PATCH", "/api/v1/networks/" + net.id,
                    "{\"name\":\"" + name("net") + "\"}"};
            case 1, 2 -> firewall == null || shared.isEmpty() ? null : new String[] {owners(firewall.project()),
                    random.nextBoolean() ? "PUT" : "DELETE", "/api/v1/firewalls/" + firewall.id() + "/networks/" + any(shared).id, "{}"};
            case 3 -> net == null ? null : new String[] {owners(net.project), "POST", "/api/v1/projects/" + net.project + "/machines",
                    "{\"name\":\"" + name("vm") + "\",\"partition\":\"" + net.partition + "\",\"size\":\"c1\",\"network\":\"" + net.id + "\"}"};
            case 4 -> machine == null ? null : new String[] {owners(machine.project()), "DELETE", "/api/v1/machines/" + machine.id(), null};
            case 5 -> firewall == null ? null : new String[] {owners(firewall.project()), "DELETE", "/api/v1/firewalls/" + firewall.id(), null};
            case 6 -> net == null ? null : new String[] {owners(net.project), "POST", "/api/v1/networks/" + net.id + "/ips", "{}"};
            default -> requests.values().stream().filter(r -> r.status().equals("PENDING")).findAny()
                    .map(r -> new String[] {"admin", "POST", "/api/v1/share-requests/" + r.id() + "/approve", "{}"}).orElse(null);
        };
    }

    /** Reads the model anew from the database (after a burst, whose order only the database knows). */
    private void resync() throws SQLException {
        Map<String, Net> read = new LinkedHashMap<>();
        try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery("""
                SELECT n.id::text, n.project_id, n.partition_id, n.name, n.type::text,
                       array(SELECT np.prefix::text FROM network_prefix np WHERE np.network_id = n.id ORDER BY family(np.prefix)),
                       (SELECT r.id::text FROM share_request r WHERE r.network_id = n.id AND r.status = 'PENDING'),
                       array(SELECT host(i.address) FROM ip i WHERE i.network_id = n.id AND i.kind = 'STATIC')
                FROM network n WHERE n.partition_id LIKE 'mb-%' AND n.type <> 'SUPER' ORDER BY n.created_at, n.id""")) {
            while (rows.next()) {
                Net net = new Net(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                        List.of((String[]) rows.getArray(6).getArray()));
                net.shared = rows.getString(5).equals("CHILD_SHARED");
                net.pending = rows.getString(7);
                net.statics.addAll(List.of((String[]) rows.getArray(8).getArray()));
                read.put(net.id, net);
            }
        }
        networks.clear();
        networks.putAll(read);
        requests.clear();
        try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery("""
                SELECT r.id::text, r.network_id::text, r.requested_by, r.status::text FROM share_request r
                JOIN network n ON n.id = r.network_id WHERE n.partition_id LIKE 'mb-%'""")) {
            while (rows.next()) {
                requests.put(rows.getString(1), new Request(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4)));
            }
        }
        boxes.clear();
        try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery("""
                SELECT m.id::text, m.project_id, m.partition_id, m.name, m.role::text, m.primary_network::text, i.network_id::text,
                       array_agg(host(i.address) ORDER BY family(i.address))
                FROM machine m JOIN ip i ON i.machine_id = m.id WHERE m.state = 'ALLOCATED' AND m.partition_id LIKE 'mb-%'
                GROUP BY m.id, i.network_id ORDER BY m.allocated_at, m.id, i.network_id""")) {
            while (rows.next()) {
                String id = rows.getString(1);
                Box box = boxes.computeIfAbsent(id, x -> {
                    try {
                        return new Box(id, rows.getString(2), rows.getString(3), rows.getString(4),
                                rows.getString(5).equals("FIREWALL"), rows.getString(6), new LinkedHashMap<>());
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                box.legs().put(rows.getString(7), List.of((String[]) rows.getArray(8).getArray()));
            }
        }
        for (Part part : partitions.values()) {
            part.inventory()[0] = (int) number("SELECT coalesce(sum(count), 0) FROM partition_inventory WHERE partition_id = '"
                    + part.id() + "' AND size = 'c1'");
        }
    }

    // ---------------------------------------------------------------- what the rules predict

    /** M1/F1 up to the placement rules for the primary network: 0 when those pass. */
    private int placement(String user, String project, Part part, Net net, boolean firewall) {
        if (!viewer(user, project) || !nameable(user, net)) {
            return 404;
        }
        if (!member(user, project)) {
            return 403;
        }
        if (!net.shared && !project.equals(net.project)) {
            return 404;
        }
        if (!firewall) {
            if (!project.equals(net.project)) {
                return 422;
            }
            return net.partition.equals(part.id()) ? 0 : 422;
        }
        return 0;
    }

    /** F1/F3/S5 for the firewall's networks (the primary, an external, maybe a shared one): 0 when they pass. */
    private int firewallPlacement(String project, Part part, List<Net> chosen) {
        Set<String> ids = new HashSet<>();
        for (Net n : chosen) {
            if (!n.shared && n.project != null && !project.equals(n.project)) {
                return 404;
            }
        }
        for (Net n : chosen) {
            if (!ids.add(n.id)) {
                return 400;
            }
            if (!n.partition.equals(part.id())) {
                return 422;
            }
        }
        boolean hasPrivate = chosen.stream().anyMatch(n -> n.project != null && !n.shared);
        long ownShared = chosen.stream().filter(n -> n.shared && project.equals(n.project)).count();
        if (!hasPrivate && ownShared != 1) {
            return 422;
        }
        return 0;
    }

    /** Quota, a free machine, then the addresses in each network (in that order): the status. */
    private int allocation(String project, Part part, boolean firewall, List<Net> chosen, List<List<String>> ips) {
        if (project.equals("tenant-b") && boxes.values().stream().filter(b -> b.project().equals("tenant-b") && b.firewall() == firewall)
                .count() >= (firewall ? QUOTA_FIREWALLS : QUOTA_MACHINES)) {
            return 409;
        }
        if (part.inventory()[0] == 0) {
            return 400;
        }
        if (boxes.values().stream().filter(b -> b.partition().equals(part.id())).count() >= part.inventory()[0]) {
            return 409;
        }
        // networks in id order, as the service takes them; the first refusal answers
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < chosen.size(); i++) {
            order.add(i);
        }
        order.sort((x, y) -> UUID.fromString(chosen.get(x).id).compareTo(UUID.fromString(chosen.get(y).id)));
        for (int i : order) {
            int status = addresses(chosen.get(i), ips.get(i));
            if (status != 200) {
                return status;
            }
        }
        return 201;
    }

    /** M2/I1 for the addresses wanted in a network: 200 when each family gets one, else the refusal. */
    private int addresses(Net net, List<String> wanted) {
        Map<Boolean, String> byFamily = new HashMap<>();
        for (String ip : wanted) {
            int check = addressCheck(net, ip);
            if (check == 400) {
                return 400;
            }
            if (byFamily.put(ip.contains(":"), ip) != null) {
                return 400;
            }
        }
        for (String prefix : net.prefixes) {
            String given = byFamily.get(prefix.contains(":"));
            if (given == null ? lowestFree(prefix, taken(net)) == null : taken(net).contains(canonical(given))) {
                return 409;
            }
        }
        return 200;
    }

    /** I1 for one given address: 400 outside, reserved or of a family the network lacks, 409 taken, else 201. */
    private int addressCheck(Net net, String text) {
        IPAddress address = new IPAddressString(text).getAddress();
        String prefix = net.prefixes.stream().filter(p -> p.contains(":") == text.contains(":")).findFirst().orElse(null);
        if (prefix == null) {
            return 400;
        }
        IPAddress block = new IPAddressString(prefix).getAddress();
        if (!block.contains(address) || reserved(prefix, address)) {
            return 400;
        }
        return taken(net).contains(canonical(text)) ? 409 : 201;
    }

    private List<String> wantedIps(Net net) {
        List<String> wanted = new ArrayList<>();
        int pick = random.nextInt(10);
        if (pick == 0) {
            wanted.add(offset(net.prefixes.get(0), 2 + random.nextInt(8)));
        } else if (pick == 1 && net.prefixes.size() > 1) {
            wanted.add(offset(net.prefixes.get(1), 2 + random.nextInt(8)));
        } else if (pick == 2) {
            wanted.add(offset(net.prefixes.get(0), 0));
        } else if (pick == 3) {
            wanted.add(offset(net.prefixes.get(0), 2));
            wanted.add(offset(net.prefixes.get(0), 3));
        } else if (pick == 4) {
            wanted.add("fd00:dead::7");
        }
        return wanted;
    }

    // ---------------------------------------------------------------- answers and invariants

    private Api.Answer call(String operation, String user, String method, String path, String body, int expected) {
        log.addLast(step + " " + user + " " + method + " " + path + (body == null ? "" : " " + body) + " -> expect " + expected);
        while (log.size() > 40) {
            log.removeFirst();
        }
        Api.Answer answer = send(user, method, path, body);
        String text = answer.raw().body();
        log.addLast("   " + answer.status() + " " + (text.length() > 300 ? text.substring(0, 300) + "..." : text));
        seen.merge(operation + " " + answer.status(), 1, Integer::sum);
        assertThat(answer.status()).as("no 5xx: " + text).isLessThan(500);
        assertThat(answer.status()).as(operation + " by " + user + ": " + text).isEqualTo(expected);
        if (answer.status() >= 400) {
            assertThat(answer.contentType()).startsWith("application/problem+json");
        }
        for (String foreign : foreignNames(user)) {
            assertThat(text).as("an answer to " + user + " names nothing of a project " + user + " cannot see").doesNotContain(foreign);
        }
        return answer;
    }

    /** The names of objects the user may not see: other projects' private networks, machines and firewalls. */
    private List<String> foreignNames(String user) {
        List<String> names = new ArrayList<>();
        networks.values().stream().filter(n -> n.project != null && !n.shared && !viewer(user, n.project)).forEach(n -> names.add(n.name));
        boxes.values().stream().filter(b -> !viewer(user, b.project())).forEach(b -> names.add(b.name()));
        return names;
    }

    private void invariants() throws SQLException {
        // P2: no two prefixes of a layer overlap in a partition
        assertThat(number("""
                SELECT count(*) FROM network_prefix a JOIN network_prefix b ON a.partition_id = b.partition_id
                  AND a.layer = b.layer AND a.prefix && b.prefix AND (a.network_id, a.prefix) < (b.network_id, b.prefix)"""))
                .as("overlapping prefixes").isZero();
        // I1: no reserved address handed out, every address inside its prefix
        assertThat(number("""
                SELECT count(*) FROM ip WHERE NOT address << prefix OR host(address) = host(network(prefix))
                  OR (masklen(prefix) < CASE family(prefix) WHEN 4 THEN 31 ELSE 127 END AND host(address) = host(network(prefix)::inet + 1))
                  OR (family(prefix) = 4 AND host(address) = host(broadcast(prefix)))"""))
                .as("reserved addresses handed out").isZero();
        // usage counters and quotas (N4)
        assertThat(number("""
                SELECT count(*) FROM project p WHERE
                  used_networks <> (SELECT count(*) FROM network n WHERE n.project_id = p.id)
                  OR used_machines <> (SELECT count(*) FROM machine m WHERE m.project_id = p.id AND m.role = 'MACHINE')
                  OR used_firewalls <> (SELECT count(*) FROM machine m WHERE m.project_id = p.id AND m.role = 'FIREWALL')
                  OR used_networks > quota_networks OR used_machines > quota_machines OR used_firewalls > quota_firewalls"""))
                .as("usage counters that disagree with the rows, or quotas exceeded").isZero();
        assertThat(number("""
                SELECT count(*) FROM network_prefix np
                WHERE allocated <> (SELECT count(*) FROM ip WHERE ip.network_id = np.network_id AND ip.prefix = np.prefix)"""))
                .as("allocated counters that disagree with the IPs").isZero();
        // M1/M2: every machine and firewall has its primary and one address of each family of each of its networks
        assertThat(number("""
                SELECT count(*) FROM machine m WHERE m.state = 'ALLOCATED' AND NOT EXISTS
                  (SELECT 1 FROM ip WHERE ip.machine_id = m.id AND ip.network_id = m.primary_network)"""))
                .as("machines without an address in their primary network").isZero();
        assertThat(number("""
                SELECT count(*) FROM (SELECT DISTINCT machine_id, network_id FROM ip WHERE machine_id IS NOT NULL) mn
                WHERE (SELECT count(*) FROM ip WHERE ip.machine_id = mn.machine_id AND ip.network_id = mn.network_id)
                   <> (SELECT count(*) FROM network_prefix np WHERE np.network_id = mn.network_id)"""))
                .as("machines without exactly one address per family of a network").isZero();
        // the model: networks, static IPs, machines and firewalls with their addresses
        Map<String, String> dbNetworks = rows("""
                SELECT n.id::text, n.name || ' ' || n.type::text || ' ' || coalesce(string_agg(host(i.address), ',' ORDER BY i.address), '')
                FROM network n LEFT JOIN ip i ON i.network_id = n.id AND i.kind = 'STATIC'
                WHERE n.partition_id LIKE 'mb-%' AND n.type <> 'SUPER' GROUP BY n.id""");
        Map<String, String> modelNetworks = new HashMap<>();
        for (Net n : networks.values()) {
            modelNetworks.put(n.id, n.name + " " + (n.project == null ? "EXTERNAL" : n.shared ? "CHILD_SHARED" : "CHILD") + " "
                    + String.join(",", n.statics.stream().sorted((x, y) -> new IPAddressString(x).getAddress()
                            .compareTo(new IPAddressString(y).getAddress())).toList()));
        }
        assertThat(dbNetworks).as("networks and static IPs as the model has them").isEqualTo(modelNetworks);
        Map<String, String> dbBoxes = rows("""
                SELECT m.id::text, m.name || ' ' || m.role::text || ' ' || m.project_id || ' '
                       || string_agg(i.network_id::text || '=' || host(i.address), ',' ORDER BY i.network_id, family(i.address))
                FROM machine m JOIN ip i ON i.machine_id = m.id WHERE m.state = 'ALLOCATED' AND m.partition_id LIKE 'mb-%' GROUP BY m.id""");
        Map<String, String> modelBoxes = new HashMap<>();
        for (Box b : boxes.values()) {
            List<String> legs = new ArrayList<>();
            b.legs().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> e.getValue().forEach(ip -> legs.add(e.getKey() + "=" + ip)));
            modelBoxes.put(b.id(), b.name() + " " + (b.firewall() ? "FIREWALL" : "MACHINE") + " " + b.project() + " " + String.join(",", legs));
        }
        assertThat(dbBoxes).as("machines and firewalls with their addresses as the model has them").isEqualTo(modelBoxes);
        // R4/D1: every firewall has a current revision, a sync row that wants it, and it is what its networks render now
        FirewallConfigs configs = portal.portal().core().getBean(FirewallConfigs.class);
        for (Box b : boxes.values()) {
            if (!b.firewall()) {
                continue;
            }
            Map<String, String> latest = rows("SELECT c.hash, c.revision || ' ' || coalesce(s.desired_revision, -1) FROM firewall_config c "
                    + "LEFT JOIN firewall_sync s ON s.firewall_id = c.firewall_id WHERE c.firewall_id = '" + b.id()
                    + "' ORDER BY c.revision DESC LIMIT 1");
            assertThat(latest).as("firewall " + b.name() + " has a revision").hasSize(1);
            Map.Entry<String, String> head = latest.entrySet().iterator().next();
            String[] revisions = head.getValue().split(" ");
            assertThat(revisions[1]).as("firewall " + b.name() + "'s sync row wants its newest revision").isEqualTo(revisions[0]);
            Rendered now = configs.renderNow(new FirewallId(UUID.fromString(b.id()))).block();
            assertThat(now).isNotNull();
            assertThat(head.getKey()).as("firewall " + b.name() + "'s newest revision is what its networks render now:\n"
                    + now.frr()).isEqualTo(now.hash());
        }
    }

    // ---------------------------------------------------------------- model helpers

    private boolean viewer(String user, String project) {
        return user.equals("admin") || ROLES.getOrDefault(user, Map.of()).containsKey(project);
    }

    /** V1: a network the user may name in a request (their projects', shared and external ones); else "not found" first. */
    private boolean nameable(String user, Net net) {
        return net.project == null || net.shared || viewer(user, net.project);
    }

    private boolean member(String user, String project) {
        String role = ROLES.getOrDefault(user, Map.of()).get(project);
        return user.equals("admin") || "member".equals(role) || "owner".equals(role);
    }

    private boolean owner(String user, String project) {
        return user.equals("admin") || "owner".equals(ROLES.getOrDefault(user, Map.of()).get(project));
    }

    private long count(java.util.function.Predicate<Net> which) {
        return networks.values().stream().filter(which).count();
    }

    private long users(Net net) {
        return boxes.values().stream().filter(b -> b.legs().containsKey(net.id)).count();
    }

    /** Every address in use in the network: static IPs and the addresses of machines and firewalls. */
    private Set<String> taken(Net net) {
        Set<String> taken = new HashSet<>(net.statics);
        boxes.values().forEach(b -> taken.addAll(b.legs().getOrDefault(net.id, List.of())));
        return taken;
    }

    /** Whether a child of the length still fits in the pool: an aligned block no network of the partition overlaps. */
    private boolean fits(Part part, String pool, int length) {
        IPAddress block = new IPAddressString(pool).getAddress();
        List<IPAddress> used = networks.values().stream().filter(n -> n.project != null && n.partition.equals(part.id()))
                .flatMap(n -> n.prefixes.stream()).map(p -> new IPAddressString(p).getAddress())
                .filter(p -> p.isIPv4() == block.isIPv4()).toList();
        var candidates = block.setPrefixLength(length, false).prefixBlockIterator();
        while (candidates.hasNext()) {
            IPAddress candidate = candidates.next();
            if (used.stream().noneMatch(candidate::overlaps)) {
                return true;
            }
        }
        return false;
    }

    /** N1: the carved prefix has the length, lies in the pool and overlaps no other network of the partition. */
    private void checkCarved(Part part, String pool, String prefix, int length) {
        IPAddress carved = new IPAddressString(prefix).getAddress();
        assertThat(carved.getNetworkPrefixLength()).as(prefix).isEqualTo(length);
        assertThat(new IPAddressString(pool).getAddress().contains(carved)).as(prefix + " in " + pool).isTrue();
        networks.values().stream().filter(n -> n.project != null && n.partition.equals(part.id())).flatMap(n -> n.prefixes.stream())
                .forEach(other -> assertThat(new IPAddressString(other).getAddress().overlaps(carved)).as(prefix + " and " + other).isFalse());
    }

    /** M2: one address per family of the network: the given one, else the lowest free before this allocation. */
    private void checkAddresses(Net net, List<String> wanted, List<String> got) {
        assertThat(got).as("an address of each family of " + net.name).hasSize(net.prefixes.size());
        Set<String> taken = taken(net);
        for (int i = 0; i < net.prefixes.size(); i++) {
            String prefix = net.prefixes.get(i);
            String given = wanted.stream().filter(w -> w.contains(":") == prefix.contains(":")).findFirst().orElse(null);
            assertThat(got.get(i)).as("address in " + prefix).isEqualTo(given != null ? canonical(given) : lowestFree(prefix, taken));
        }
    }

    /** The lowest allocatable address of the prefix not in {@code taken}; null when there is none. */
    private static String lowestFree(String prefix, Set<String> taken) {
        IPAddress block = new IPAddressString(prefix).getAddress();
        BigInteger last = block.getUpper().getValue().subtract(block.isIPv4() ? BigInteger.ONE : BigInteger.ZERO);
        for (BigInteger at = block.getLower().getValue().add(BigInteger.TWO); at.compareTo(last) <= 0; at = at.add(BigInteger.ONE)) {
            String candidate = address(block, at);
            if (!taken.contains(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean reserved(String prefix, IPAddress address) {
        IPAddress block = new IPAddressString(prefix).getAddress();
        BigInteger value = address.getValue();
        BigInteger first = block.getLower().getValue();
        return value.equals(first) || value.equals(first.add(BigInteger.ONE))
                || block.isIPv4() && value.equals(block.getUpper().getValue());
    }

    private static String offset(String prefix, long offset) {
        IPAddress block = new IPAddressString(prefix).getAddress();
        return address(block, block.getLower().getValue().add(BigInteger.valueOf(offset)));
    }

    private static long size(String prefix) {
        return new IPAddressString(prefix).getAddress().getCount().longValueExact();
    }

    private static String address(IPAddress like, BigInteger value) {
        IPAddress address = like.isIPv4() ? new IPv4Address(value.intValue()) : new IPv6Address(value);
        return address.toCompressedString();
    }

    /** An address as PostgreSQL's host() and the API write it. */
    private static String canonical(String text) {
        return new IPAddressString(text).getAddress().withoutPrefixLength().toCompressedString();
    }

    private Net tenantNetwork() {
        List<Net> tenant = networks.values().stream().filter(n -> n.project != null).toList();
        return tenant.isEmpty() ? null : any(tenant);
    }

    private Box box(boolean firewall) {
        List<Box> of = boxes.values().stream().filter(b -> b.firewall() == firewall).toList();
        return of.isEmpty() ? null : any(of);
    }

    private String user() {
        return any(USERS);
    }

    /** Mostly someone who may change the project's objects (owner, member, admin); sometimes anyone. */
    private String actor(String project) {
        List<String> members = USERS.stream().filter(u -> member(u, project)).toList();
        return random.nextInt(10) < 7 ? any(members) : user();
    }

    /** One of the project's owners other than the admin, if it has one. */
    private String owners(String project) {
        List<String> owners = USERS.stream().filter(u -> !u.equals("admin") && owner(u, project)).toList();
        return owners.isEmpty() ? "admin" : any(owners);
    }

    private <T> T any(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    private String name(String kind) {
        return kind + "-" + Long.toString(random.nextLong() & 0xffffffffL, 36);
    }

    private static List<String> texts(JsonNode array) {
        return array == null ? List.of() : array.valueStream().map(JsonNode::asString).toList();
    }

    private static String json(List<String> texts) {
        return texts.stream().map(t -> "\"" + t + "\"").reduce((x, y) -> x + "," + y).map(x -> "[" + x + "]").orElse("[]");
    }

    private static Api.Answer send(String user, String method, String path, String body) {
        // access tokens live minutes: a long run signs in again before they expire
        Token token = TOKENS.compute(user, (u, held) -> held != null && held.at() > System.currentTimeMillis() - 120_000 ? held
                : new Token(PkceLogin.accessToken(portal.issuer(), u, u), System.currentTimeMillis()));
        return Api.send(method, portal.apiUrl() + path, token.value(), body);
    }

    private record Token(String value, long at) {
    }

    private static long number(String sql) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static Map<String, String> rows(String sql) throws SQLException {
        Map<String, String> rows = new HashMap<>();
        try (Statement statement = db.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                rows.put(result.getString(1), result.getString(2));
            }
        }
        return rows;
    }
}
