package dev.netportal.firewall.dispatch;

import dev.netportal.firewall.FirewallConfigs;
import dev.netportal.firewall.FirewallService;
import dev.netportal.firewall.agent.PortalLink;
import dev.netportal.firewall.agent.AgentSettings;
import dev.netportal.firewall.agent.FirewallAgent;
import dev.netportal.firewall.protocol.SigningKeys;
import dev.netportal.identity.Actor;
import dev.netportal.identity.ProjectId;
import dev.netportal.identity.ProjectRole;
import dev.netportal.ipam.Prefix;
import dev.netportal.machine.NetworkRequest;
import dev.netportal.network.Network;
import dev.netportal.network.NetworkId;
import dev.netportal.network.NetworkService;
import dev.netportal.network.NewNetwork;
import dev.netportal.partition.PartitionId;
import dev.netportal.partition.PartitionService;
import dev.netportal.partition.PartitionSpec;
import dev.netportal.project.ProjectService;
import dev.netportal.sharing.ShareService;
import dev.netportal.testing.TestPortal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;

/**
 * From one change that alters N firewalls' configurations (all N use one shared network whose NAT changes; the
 * change and the N new revisions commit in one transaction, as a share approval's do) until every agent has
 * acknowledged: with the portal's built-in record-mode agents, and with N separate agents over HTTP
 * ({@link AgentServer}, record mode, each checking its own revision). Not part of the test run; run it with
 * {@code ./mvnw test -Dtest=DispatchBenchmark -Dsurefire.failIfNoSpecifiedTests=false} and read the "BENCH" lines
 * ({@code -Dbench.sizes=10,100} to choose the sizes, {@code -Dbench.http=false} to skip the HTTP agents).
 */
class DispatchBenchmark {

    private static final ProjectId PROJECT = new ProjectId("dispatch-bench");
    private static final ProjectId SHARER = new ProjectId("dispatch-bench-shares");
    private static final Actor OWNER = new Actor("b", "B", false, Map.of(PROJECT, ProjectRole.OWNER, SHARER, ProjectRole.OWNER));
    private static final Actor ADMIN = new Actor("a", "A", true, Map.of());

    @Test
    void measure() throws Exception {
        List<Integer> sizes = java.util.Arrays.stream(System.getProperty("bench.sizes", "10,100,500").split(","))
                .map(String::strip).map(Integer::parseInt).toList();
        boolean http = Boolean.parseBoolean(System.getProperty("bench.http", "true"));
        for (int n : sizes) {
            run(n, false);
            if (http) {
                run(n, true);
            }
        }
    }

    private void run(int n, boolean http) throws Exception {
        try (TestPortal portal = TestPortal.start("--netportal.dispatcher.local-agents=" + !http,
                "--netportal.dispatcher.record-directory=" + Files.createTempDirectory("bench-records"))) {
            var core = portal.portal().core();
            core.getBean(ProjectService.class).createIfAbsent(Actor.system(), PROJECT, "Bench", "").block();
            core.getBean(ProjectService.class).createIfAbsent(Actor.system(), SHARER, "Bench shares", "").block();
            core.getBean(PartitionService.class).create(Actor.system(), new PartitionSpec("bench-fw", "Bench", "",
                    Prefix.parse("10.64.0.0/12"), Optional.empty(), 28, 12, Map.of("fw", 700),
                    List.of(new PartitionSpec.ExternalNetworkSpec("internet", List.of(Prefix.parse("100.64.0.0/16")),
                            List.of(Prefix.parse("0.0.0.0/0")), dev.netportal.common.NatType.IPV4_MASQUERADE)), Optional.empty())).block();
            UUID internet = core.getBean(PartitionService.class).get(new PartitionId("bench-fw")).block().externalNetworks().getFirst().id();
            NetworkService networks = core.getBean(NetworkService.class);
            ShareService shares = core.getBean(ShareService.class);
            Network shared = networks.create(OWNER, SHARER, new NewNetwork("shared", "bench-fw", Optional.of(20), "")).block();
            shares.approve(ADMIN, shares.file(OWNER, shared.id(), "bench", "IPV4_MASQUERADE").block().id(), null).block();
            List<FirewallService.Allocated> firewalls = Flux.range(0, n).concatMap(i -> networks
                            .create(OWNER, PROJECT, new NewNetwork("n" + i, "bench-fw", Optional.empty(), ""))
                            .flatMap(own -> core.getBean(FirewallService.class).allocate(OWNER, PROJECT, "fw" + i, new PartitionId("bench-fw"), "fw",
                                    List.of(new NetworkRequest(own.id(), Optional.empty()), new NetworkRequest(new NetworkId(internet), Optional.empty()),
                                            new NetworkRequest(shared.id(), Optional.empty())))))
                    .collectList().block();
            DatabaseClient db = core.getBean(DatabaseClient.class);
            List<PortalLink> agents = new ArrayList<>();
            try {
                if (http) {
                    Path records = Files.createTempDirectory("bench-agents");
                    for (FirewallService.Allocated fw : firewalls) {
                        agents.add(PortalLink.start(AgentSettings.of(List.of(URI.create(portal.apiUrl())), fw.firewall().id().value(),
                                fw.agentCredential(), SigningKeys.publicKeys(core.getBean(RevisionSigner.class).publicKeyPem()), null,
                                records.resolve(fw.firewall().id().toString()), FirewallAgent.Mode.RECORD)));
                    }
                }
                waitInSync(db, Duration.ofMinutes(3));

                long start = System.nanoTime();
                core.getBean(TransactionalOperator.class).transactional(
                        db.sql("UPDATE network SET nat_type = 'NONE' WHERE id = :id").bind("id", shared.id().value()).then()
                                .then(core.getBean(FirewallConfigs.class).updateUsing(shared.id(), "bench", "bench"))).block();
                double committed = (System.nanoTime() - start) / 1e9;
                waitInSync(db, Duration.ofMinutes(3));
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("BENCH agents=%s firewalls=%d revisions_committed_s=%.2f all_acknowledged_s=%.2f%n",
                        http ? "own (streams)" : "built-in", n, committed, seconds);
            } finally {
                agents.forEach(PortalLink::close);
            }
        }
    }

    private static void waitInSync(DatabaseClient db, Duration limit) throws InterruptedException {
        long until = System.nanoTime() + limit.toNanos();
        while (db.sql("SELECT count(*) AS n FROM firewall_sync WHERE state <> 'IN_SYNC'")
                .map((row, meta) -> row.get("n", Long.class)).one().block() > 0) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("not in sync after " + limit + ": " + db.sql("""
                                SELECT state::text || ' ' || coalesce(last_error, '') AS e, count(*) AS n FROM firewall_sync
                                WHERE state <> 'IN_SYNC' GROUP BY 1 ORDER BY 2 DESC LIMIT 5""")
                        .map((row, meta) -> row.get("n", Long.class) + "x " + row.get("e", String.class)).all().collectList().block());
            }
            Thread.sleep(5);
        }
    }
}
