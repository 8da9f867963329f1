package dev.netportal.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.common.DomainException;
import dev.netportal.identity.Actor;
import dev.netportal.identity.ProjectId;
import dev.netportal.identity.ProjectRole;
import dev.netportal.ipam.Address;
import dev.netportal.ipam.Prefix;
import dev.netportal.partition.PartitionService;
import dev.netportal.partition.PartitionSpec;
import dev.netportal.project.ProjectService;
import dev.netportal.testing.TestPortal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * I3 and N4 under load: 32 clients at once, spread over two application instances (two separately started core
 * contexts) on one database. No duplicate address, no overlapping prefix, quotas never exceeded, every refusal a
 * clean conflict, and the free lists still exactly complement what is taken.
 */
class ConcurrentAllocationTest {

    private static final int CLIENTS = 32;

    private static TestPortal second;

    @BeforeAll
    static void startSecondInstance() {
        second = TestPortal.startOn(TestPortal.shared().database(), List.of("--netportal.mode=api",
                "--netportal.oidc.issuer=" + TestPortal.shared().issuer()));
    }

    @AfterAll
    static void stopSecondInstance() {
        second.close();
    }

    private static <T> T bean(int client, Class<T> type) {
        TestPortal instance = client % 2 == 0 ? TestPortal.shared() : second;
        return instance.portal().core().getBean(type);
    }

    /** One outcome per request: the value, or the code of a domain refusal. */
    private record Outcome(String value, String refusal) {
    }

    private static <T> Mono<Outcome> outcome(Mono<T> call, java.util.function.Function<T, String> value) {
        return call.map(v -> new Outcome(value.apply(v), null))
                .onErrorResume(DomainException.class, e -> Mono.just(new Outcome(null, e.code())));
    }

    @Test
    void theIpQuotaHoldsAcrossTheProjectsNetworks() throws Exception {
        ProjectId project = new ProjectId("concurrent-spread");
        Actor member = new Actor("m", "M", false, Map.of(project, ProjectRole.MEMBER));
        bean(0, ProjectService.class).createIfAbsent(Actor.system(), project, "Spread", "").block();
        bean(0, PartitionService.class).create(Actor.system(), new PartitionSpec("concurrent-spread", "S", "",
                Prefix.parse("10.71.0.0/16"), Optional.empty(), 24, 16, Map.of(), List.of(), Optional.empty())).block();
        List<Network> networks = Flux.range(0, 4).concatMap(i -> bean(i, NetworkService.class)
                .create(member, project, new NewNetwork("spread-" + i, "concurrent-spread", Optional.empty(), ""))).collectList().block();
        execute("UPDATE project SET quota_ips = 150 WHERE id = 'concurrent-spread'");

        List<Outcome> outcomes = Flux.range(0, 240)
                .flatMap(i -> outcome(bean(i, IpService.class).allocate(member, networks.get(i % 4).id(), Optional.empty(), null, ""),
                        ip -> ip.network() + "/" + ip.ip()), CLIENTS)
                .collectList().block();

        assertThat(outcomes.stream().filter(o -> o.value() != null).map(Outcome::value)).hasSize(150).doesNotHaveDuplicates();
        assertThat(outcomes.stream().filter(o -> o.refusal() != null).map(Outcome::refusal))
                .hasSize(90).containsOnly("N4-quota-ips");
        assertThat(query("SELECT sum(allocated) FROM network_prefix np JOIN network n ON n.id = np.network_id "
                + "WHERE n.project_id = 'concurrent-spread'")).containsExactly("150");
        for (Network network : networks) {
            assertFreeRunsComplementTakenAddresses(network.id().value(), network.prefix());
        }
    }

    @Test
    void parallelIpAllocationsNeverDuplicateAndStopExactlyAtTheQuota() throws Exception {
        ProjectId project = new ProjectId("concurrent-ips");
        Actor member = new Actor("m", "M", false, Map.of(project, ProjectRole.MEMBER));
        bean(0, ProjectService.class).createIfAbsent(Actor.system(), project, "Concurrent", "").block();
        bean(0, PartitionService.class).create(Actor.system(), new PartitionSpec("concurrent-ips", "C", "",
                Prefix.parse("10.70.0.0/16"), Optional.empty(), 22, 16, Map.of(), List.of(), Optional.empty())).block();
        Network network = bean(0, NetworkService.class)
                .create(member, project, new NewNetwork("busy", "concurrent-ips", Optional.empty(), "")).block();
        execute("UPDATE project SET quota_ips = 200 WHERE id = 'concurrent-ips'");

        List<Outcome> outcomes = Flux.range(0, 320)
                .flatMap(i -> outcome(bean(i, IpService.class).allocate(member, network.id(), Optional.empty(), null, ""),
                        ip -> ip.ip().toString()), CLIENTS)
                .collectList().block();

        List<String> granted = outcomes.stream().filter(o -> o.value() != null).map(Outcome::value).toList();
        assertThat(granted).hasSize(200).doesNotHaveDuplicates();
        assertThat(granted.stream().map(Address::parse).sorted().map(Address::toString).toList())
                .as("the lowest 200 allocatable addresses, no gaps")
                .isEqualTo(IntStream.range(0, 200).mapToObj(i -> Address.parse("10.70.0.2").plus(i).toString()).toList());
        assertThat(outcomes.stream().filter(o -> o.refusal() != null).map(Outcome::refusal))
                .hasSize(120).containsOnly("N4-quota-ips");
        assertThat(query("SELECT count(*) FROM ip WHERE project_id = 'concurrent-ips'")).containsExactly("200");
        assertThat(query("SELECT allocated FROM network_prefix WHERE network_id = '" + network.id() + "'")).containsExactly("200");
        assertFreeRunsComplementTakenAddresses(network.id().value(), network.prefix());
    }

    @Test
    void parallelNetworkCreationsNeverOverlapAndStopExactlyWhenThePoolIsFull() throws Exception {
        ProjectId project = new ProjectId("concurrent-networks");
        Actor member = new Actor("m", "M", false, Map.of(project, ProjectRole.MEMBER));
        bean(0, ProjectService.class).createIfAbsent(Actor.system(), project, "Concurrent", "").block();
        bean(0, PartitionService.class).create(Actor.system(), new PartitionSpec("concurrent-networks", "C", "",
                Prefix.parse("10.71.0.0/20"), Optional.empty(), 24, 20, Map.of(), List.of(), Optional.empty())).block();

        List<Outcome> outcomes = Flux.range(0, CLIENTS)
                .flatMap(i -> outcome(bean(i, NetworkService.class).create(member, project,
                        new NewNetwork("n" + i, "concurrent-networks", Optional.empty(), "")), n -> n.prefix().toString()), CLIENTS)
                .collectList().block();

        List<String> prefixes = outcomes.stream().filter(o -> o.value() != null).map(Outcome::value).toList();
        assertThat(prefixes).hasSize(16).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 16).mapToObj(i -> "10.71." + i + ".0/24").toList());
        assertThat(outcomes.stream().filter(o -> o.refusal() != null).map(Outcome::refusal))
                .hasSize(16).containsOnly("N1-pool-exhausted");
        assertThat(query("SELECT count(DISTINCT vrf) FROM network WHERE project_id = 'concurrent-networks'")).containsExactly("16");
        assertThat(query("SELECT count(*) FROM prefix_free_block WHERE partition_id = 'concurrent-networks'")).containsExactly("0");
    }

    private static void assertFreeRunsComplementTakenAddresses(UUID network, Prefix prefix) throws Exception {
        List<String> taken = query("SELECT host(address) FROM ip WHERE network_id = '" + network + "' ORDER BY address");
        List<String> runs = query("SELECT host(first) || ' ' || host(last) FROM ip_free_range WHERE network_id = '"
                + network + "' ORDER BY first");
        long free = runs.stream().map(r -> r.split(" "))
                .mapToLong(r -> Address.parse(r[1]).value().getValue().subtract(Address.parse(r[0]).value().getValue()).longValue() + 1)
                .sum();
        assertThat(free + taken.size()).isEqualTo(prefix.allocatable().orElseThrow().size().longValue());
        for (String run : runs) {
            String[] ends = run.split(" ");
            for (String ip : taken) {
                assertThat(new dev.netportal.ipam.Range(Address.parse(ends[0]), Address.parse(ends[1])).contains(Address.parse(ip)))
                        .as(ip + " taken but inside free run " + run).isFalse();
            }
        }
    }

    private static void execute(String sql) throws Exception {
        try (Connection c = TestPortal.shared().database().connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static List<String> query(String sql) throws Exception {
        try (Connection c = TestPortal.shared().database().connect(); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }
}
