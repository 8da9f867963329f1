package dev.netportal.bench;

import com.microsoft.playwright.Page;
import dev.netportal.common.NatType;
import dev.netportal.firewall.FirewallService;
import dev.netportal.identity.Actor;
import dev.netportal.identity.ProjectId;
import dev.netportal.identity.ProjectRole;
import dev.netportal.ipam.Prefix;
import dev.netportal.machine.MachineService;
import dev.netportal.machine.NetworkRequest;
import dev.netportal.network.Network;
import dev.netportal.network.NetworkId;
import dev.netportal.network.NetworkService;
import dev.netportal.network.NewNetwork;
import dev.netportal.partition.PartitionId;
import dev.netportal.partition.PartitionService;
import dev.netportal.partition.PartitionSpec;
import dev.netportal.testing.Api;
import dev.netportal.testing.Browser;
import dev.netportal.testing.PkceLogin;
import dev.netportal.testing.TestPortal;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

/**
 * How long the first page of each list takes when the lists are long: 1,000 projects, 300 partitions, 10,000
 * networks with 100,000 addresses, 1,000 machines and 200 firewalls of one project, 1,000 shared networks in one
 * partition. Times the API (a GET of the first page with a real token, and of the last page) and the UI (a page
 * load of each grid's view until its first row shows). Not part of the test run (the class name does not end in
 * Test); run it with {@code ./mvnw test -Dtest=ListsBenchmark -Dsurefire.failIfNoSpecifiedTests=false} and read the
 * lines starting with "BENCH". Results are recorded in docs/benchmarks.md.
 */
class ListsBenchmark {

    private static final int PROJECTS = 1_000;
    private static final int PARTITIONS = 300;
    private static final int NETWORKS = 10_000;
    /** Networks in the first partition (every second one shared); the others spread over the rest. */
    private static final int IN_FIRST_PARTITION = 2_000;
    private static final int IPS_PER_NETWORK = 10;
    private static final int MACHINES = 1_000;
    private static final int FIREWALLS = 200;
    /** Timed reads of each list after warming up; the median and the slowest are printed. */
    private static final int API_ROUNDS = 20;
    private static final int UI_ROUNDS = 5;

    private final TestPortal portal = TestPortal.shared();
    private final Actor member = new Actor("bench", "Bench", false, Map.of(new ProjectId("tenant-a"), ProjectRole.MEMBER));

    @Test
    void measure() throws Exception {
        long start = System.nanoTime();
        partitions();
        networksAndAddresses();
        String busy = machinesAndFirewalls();
        System.out.printf("BENCH setup_s=%.0f (%d projects, %d partitions, %d networks, %d addresses, %d machines, %d firewalls)%n",
                (System.nanoTime() - start) / 1e9, PROJECTS, PARTITIONS, NETWORKS, NETWORKS * IPS_PER_NETWORK, MACHINES, FIREWALLS);

        // hazel is a platform admin and a viewer of tenant-a, whose machines and firewalls these are
        String admin = PkceLogin.accessToken(portal.issuer(), "hazel", "hazel");
        api(admin, List.of(
                new Listed("projects", "/api/v1/projects"),
                new Listed("partitions", "/api/v1/partitions"),
                new Listed("machines", "/api/v1/projects/tenant-a/machines"),
                new Listed("firewalls", "/api/v1/projects/tenant-a/firewalls"),
                new Listed("shared_catalogue", "/api/v1/networks?partition=bench-000&type=CHILD_SHARED"),
                new Listed("network_ips", "/api/v1/networks/" + busy + "/ips"),
                new Listed("fleet", "/api/v1/firewalls")));

        Page page = Browser.shared().signIn(portal, "hazel");
        ui(page, List.of(
                new Shown("projects_admin", "/admin/projects", "#projects-admin", "bench-p0001"),
                new Shown("partitions_admin", "/admin/partitions", "#partitions-admin", "bench-000"),
                new Shown("all_networks", "/admin/networks", "#all-networks", "net-00000"),
                new Shown("machines", "/machines", "#machines", "m-0000"),
                new Shown("firewalls", "/firewalls", "#firewalls", "fw-000"),
                new Shown("shared_networks", "/shared-networks", "#shared-networks", "net-00000"),
                new Shown("fleet", "/admin/firewalls", "#fleet", "fw-")));
    }

    /** A list of the API. */
    private record Listed(String name, String path) {
    }

    /** A view with a grid, and a text of a row that shows once its first rows are there. */
    private record Shown(String name, String path, String grid, String firstRow) {
    }

    /** The partitions through the service (pools, external network, inventory), two at a time. */
    private void partitions() {
        PartitionService partitions = portal.portal().core().getBean(PartitionService.class);
        Flux.range(0, PARTITIONS).flatMap(i -> partitions.create(Actor.system(), new PartitionSpec(String.format("bench-%03d", i),
                "Bench " + i, "", Prefix.parse("10.0.0.0/8"), Optional.empty(), 24, 16, Map.of("c1", 2),
                List.of(new PartitionSpec.ExternalNetworkSpec("internet", List.of(Prefix.parse("185.0.0.0/24")),
                        List.of(Prefix.parse("0.0.0.0/0")), NatType.IPV4_MASQUERADE)),
                Optional.of(new PartitionSpec.Proxy("proxy.bench-" + i + ".example", 3128)))), 2).then().block();
    }

    /**
     * Projects, networks (/24 each) and addresses in bulk SQL, as the services would leave them: prefixes inside the
     * pools and never overlapping, fresh VRFs, the first usable addresses taken and the rest free, usage counted. The
     * bench partitions' pools are then taken whole (no free blocks), so nothing is ever carved over them.
     */
    private void networksAndAddresses() throws Exception {
        try (Connection c = portal.database().connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO project (id, name) SELECT 'bench-p' || lpad(i::text, 4, '0'), 'Bench project ' || i "
                    + "FROM generate_series(1, " + PROJECTS + ") i");
            s.execute("CREATE TEMP TABLE bench_network AS SELECT gen_random_uuid() AS id, i, "
                    + "CASE WHEN i < " + IN_FIRST_PARTITION + " THEN 0 ELSE 1 + (i - " + IN_FIRST_PARTITION + ") % " + (PARTITIONS - 1) + " END AS p, "
                    + "CASE WHEN i < " + IN_FIRST_PARTITION + " THEN i ELSE (i - " + IN_FIRST_PARTITION + ") / " + (PARTITIONS - 1) + " END AS k "
                    + "FROM generate_series(0, " + (NETWORKS - 1) + ") i");
            s.execute("ALTER TABLE bench_network ADD COLUMN prefix cidr, ADD COLUMN partition_id text, ADD COLUMN project_id text");
            s.execute("UPDATE bench_network SET prefix = ('10.' || (k / 256) || '.' || (k % 256) || '.0/24')::cidr, "
                    + "partition_id = 'bench-' || lpad(p::text, 3, '0'), project_id = 'bench-p' || lpad((1 + i % " + PROJECTS + ")::text, 4, '0')");
            s.execute("INSERT INTO network (id, partition_id, project_id, type, name, vrf, created_at) "
                    + "SELECT id, partition_id, project_id, CASE WHEN p = 0 AND i % 2 = 0 THEN 'CHILD_SHARED' ELSE 'CHILD' END::network_type, "
                    + "'net-' || lpad(i::text, 5, '0'), nextval('vrf_id'), now() - (" + NETWORKS + " - i) * interval '1 second' "
                    + "FROM bench_network ORDER BY i");
            s.execute("INSERT INTO network_prefix (network_id, partition_id, layer, prefix, allocated) "
                    + "SELECT id, partition_id, 'CHILD', prefix, " + IPS_PER_NETWORK + " FROM bench_network");
            s.execute("INSERT INTO ip (network_id, prefix, address, project_id, kind) "
                    + "SELECT b.id, b.prefix, host(network(b.prefix))::inet + a, b.project_id, 'STATIC' "
                    + "FROM bench_network b, generate_series(2, " + (IPS_PER_NETWORK + 1) + ") a");
            s.execute("INSERT INTO ip_free_range (network_id, prefix, first, last) "
                    + "SELECT id, prefix, host(network(prefix))::inet + " + (IPS_PER_NETWORK + 2) + ", host(broadcast(prefix))::inet - 1 FROM bench_network");
            s.execute("DELETE FROM prefix_free_block WHERE partition_id LIKE 'bench-%'");
            s.execute("UPDATE project p SET used_networks = n.count FROM (SELECT project_id, count(*) FROM bench_network GROUP BY project_id) n "
                    + "WHERE n.project_id = p.id");
            s.execute("ANALYZE");
        }
    }

    /**
     * The machines and firewalls of tenant-a through the services, in a partition of their own; answers the id of
     * the network they are in (its addresses are a list too).
     */
    private String machinesAndFirewalls() {
        var core = portal.portal().core();
        core.getBean(PartitionService.class).create(Actor.system(), new PartitionSpec("bench-fleet", "Bench fleet", "",
                Prefix.parse("10.0.0.0/16"), Optional.empty(), 24, 16, Map.of("c1", MACHINES, "f1", FIREWALLS),
                List.of(new PartitionSpec.ExternalNetworkSpec("internet", List.of(Prefix.parse("185.0.0.0/22")),
                        List.of(Prefix.parse("0.0.0.0/0")), NatType.IPV4_MASQUERADE)), Optional.empty())).block();
        var partition = core.getBean(PartitionService.class).get(new PartitionId("bench-fleet")).block();
        Network network = core.getBean(NetworkService.class).create(member, new ProjectId("tenant-a"),
                new NewNetwork("bench-fleet", "bench-fleet", Optional.of(21), "")).block();
        MachineService machines = core.getBean(MachineService.class);
        FirewallService firewalls = core.getBean(FirewallService.class);
        Flux.range(0, MACHINES).flatMap(i -> machines.allocate(member, new ProjectId("tenant-a"), String.format("m-%04d", i),
                new PartitionId("bench-fleet"), "c1", new NetworkRequest(network.id(), List.of())), 4).then().block();
        Flux.range(0, FIREWALLS).flatMap(i -> firewalls.allocate(member, new ProjectId("tenant-a"), String.format("fw-%03d", i),
                new PartitionId("bench-fleet"), "f1", List.of(new NetworkRequest(network.id(), List.of()),
                        new NetworkRequest(new NetworkId(partition.externalNetworks().getFirst().id()), List.of()))), 2)
                .then().block();
        return network.id().toString();
    }

    /**
     * The first page (default size) of each list through the API, and its last page, each read several times; the
     * lists take turns, so that whatever else the machine does falls on all of them alike.
     */
    private void api(String token, List<Listed> lists) {
        Map<Listed, String> lastPages = new LinkedHashMap<>();
        Map<Listed, Long> totals = new LinkedHashMap<>();
        for (Listed list : lists) {
            JsonNode first = read(list.path(), token);
            long total = first.get("total").asLong();
            long lastPage = Math.max(0, (total - 1) / first.get("size").asInt());
            totals.put(list, total);
            lastPages.put(list, list.path() + (list.path().contains("?") ? "&" : "?") + "page=" + lastPage);
            read(list.path(), token);
            read(lastPages.get(list), token);
        }
        Map<Listed, long[]> first = new LinkedHashMap<>();
        Map<Listed, long[]> last = new LinkedHashMap<>();
        lists.forEach(list -> {
            first.put(list, new long[API_ROUNDS]);
            last.put(list, new long[API_ROUNDS]);
        });
        for (int round = 0; round < API_ROUNDS; round++) {
            for (Listed list : lists) {
                first.get(list)[round] = timed(() -> read(list.path(), token));
                last.get(list)[round] = timed(() -> read(lastPages.get(list), token));
            }
        }
        for (Listed list : lists) {
            System.out.printf("BENCH api list=%s total=%d first_page_ms_median=%.1f first_page_ms_max=%.1f last_page_ms_median=%.1f (%s)%n",
                    list.name(), totals.get(list), median(first.get(list)), max(first.get(list)), median(last.get(list)),
                    lastPages.get(list).replaceAll(".*[?&]page=", "page "));
        }
    }

    private static long timed(Runnable call) {
        long start = System.nanoTime();
        call.run();
        return System.nanoTime() - start;
    }

    private JsonNode read(String path, String token) {
        Api.Answer answer = Api.get(portal.apiUrl() + path, token);
        if (answer.status() != 200) {
            throw new IllegalStateException(path + " answered " + answer.status() + ": " + answer.raw().body());
        }
        return answer.json();
    }

    /** Page loads of each view until its grid shows a first row, the views taking turns. */
    private void ui(Page page, List<Shown> views) {
        views.forEach(view -> load(page, view));
        Map<Shown, long[]> times = new LinkedHashMap<>();
        views.forEach(view -> times.put(view, new long[UI_ROUNDS]));
        for (int round = 0; round < UI_ROUNDS; round++) {
            for (Shown view : views) {
                times.get(view)[round] = load(page, view);
            }
        }
        times.forEach((view, nanos) -> System.out.printf("BENCH ui view=%s first_rows_ms_median=%.0f first_rows_ms_max=%.0f%n",
                view.name(), median(nanos), max(nanos)));
    }

    private long load(Page page, Shown view) {
        long start = System.nanoTime();
        page.navigate(portal.uiUrl() + view.path());
        try {
            Browser.visibleCells(page, view.grid(), view.firstRow()).first().waitFor();
        } catch (RuntimeException e) {
            Browser.screenshot(page, "lists-benchmark-" + UUID.randomUUID());
            throw e;
        }
        return System.nanoTime() - start;
    }

    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }

    private static double max(long[] nanos) {
        return Arrays.stream(nanos).max().orElse(0) / 1e6;
    }
}
