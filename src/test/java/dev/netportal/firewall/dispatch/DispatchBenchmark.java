package dev.netportal.firewall.dispatch;

import dev.netportal.identity.Actor;
import dev.netportal.identity.ProjectId;
import dev.netportal.identity.ProjectRole;
import dev.netportal.ipam.Prefix;
import dev.netportal.machine.FirewallService;
import dev.netportal.machine.NetworkRequest;
import dev.netportal.network.Network;
import dev.netportal.network.NetworkService;
import dev.netportal.network.NewNetwork;
import dev.netportal.partition.PartitionService;
import dev.netportal.partition.PartitionSpec;
import dev.netportal.project.ProjectService;
import dev.netportal.testing.TestPortal;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;

/**
 * How long N pending firewall configurations take to come in sync through one dispatcher and the built-in
 * record-mode agent (which runs vtysh -C and nft -c for each). Not part of the test run; run it with
 * {@code ./mvnw test -Dtest=DispatchBenchmark -Dsurefire.failIfNoSpecifiedTests=false} and read the "BENCH" lines.
 */
class DispatchBenchmark {

    @Test
    void measure() throws Exception {
        try (TestPortal portal = TestPortal.start("--netportal.dispatcher.enabled=false")) {
            var core = portal.portal().core();
            ProjectId project = new ProjectId("dispatch-bench");
            core.getBean(ProjectService.class).createIfAbsent(Actor.system(), project, "Bench", "").block();
            core.getBean(PartitionService.class).create(Actor.system(), new PartitionSpec("bench-fw", "Bench", "",
                    Prefix.parse("10.64.0.0/12"), Optional.empty(), 28, 12, Map.of("fw", 700),
                    List.of(new PartitionSpec.ExternalNetworkSpec("internet", List.of(Prefix.parse("100.64.0.0/16")),
                            List.of(Prefix.parse("0.0.0.0/0")), "IPV4_MASQUERADE")), Optional.empty())).block();
            Actor owner = new Actor("b", "B", false, Map.of(project, ProjectRole.OWNER));
            UUID internet = core.getBean(PartitionService.class).get("bench-fw").block().externalNetworks().getFirst().id();
            DatabaseClient db = core.getBean(DatabaseClient.class);
            for (int n : new int[] {10, 100, 500}) {
                db.sql("UPDATE firewall_sync SET state = 'IN_SYNC', applied_revision = desired_revision").then().block();
                Flux.range(0, n).concatMap(i -> core.getBean(NetworkService.class)
                                .create(owner, project, new NewNetwork("n" + n + "-" + i, "bench-fw", Optional.empty(), ""))
                                .flatMap(network -> core.getBean(FirewallService.class).allocate(owner, project, "fw", "bench-fw", "fw",
                                        List.of(new NetworkRequest(network.id(), Optional.empty()), new NetworkRequest(internet, Optional.empty())))))
                        .then().block();
                Dispatcher dispatcher = new Dispatcher(db, new RecordingAgent(Files.createTempDirectory("bench-agents")));
                long start = System.nanoTime();
                dispatcher.start();
                while (db.sql("SELECT count(*) AS n FROM firewall_sync WHERE state <> 'IN_SYNC'")
                        .map((row, meta) -> row.get("n", Long.class)).one().block() > 0) {
                    Thread.sleep(20);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                dispatcher.stop();
                System.out.printf("BENCH firewalls=%d in_sync_after_s=%.2f (%.1f ms each)%n", n, seconds, seconds * 1000 / n);
            }
        }
    }
}
