package dev.netportal.firewall.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.firewall.FirewallConfig;
import dev.netportal.firewall.FirewallId;
import dev.netportal.firewall.FirewallService;
import dev.netportal.identity.Actor;
import dev.netportal.identity.ProjectId;
import dev.netportal.identity.ProjectRole;
import dev.netportal.machine.NetworkRequest;
import dev.netportal.network.Network;
import dev.netportal.network.NetworkId;
import dev.netportal.network.NetworkService;
import dev.netportal.network.NewNetwork;
import dev.netportal.partition.PartitionId;
import dev.netportal.partition.PartitionService;
import dev.netportal.project.ProjectService;
import dev.netportal.testing.Api;
import dev.netportal.testing.TestDatabase;
import dev.netportal.testing.TestPortal;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A portal that goes away in the middle of a delivery (D2): its lease stays behind, and a portal started again on
 * the same database delivers the revision once the lease has expired. Nothing is lost, nothing is applied twice
 * by the agent.
 */
class PortalRestartTest {

    private static final ProjectId PROJECT = new ProjectId("restart");
    private static final Actor OWNER = new Actor("ro", "Rita Owner", false, Map.of(PROJECT, ProjectRole.OWNER));

    @Test
    void aDeliveryCutOffByAStoppedPortalResumesAfterTheRestart() {
        List<String> pushes = new CopyOnWriteArrayList<>();
        AtomicBoolean answer = new AtomicBoolean(false);
        // an agent that takes the first push and never answers it (the portal dies meanwhile), then answers
        DisposableServer agent = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.put("/v1/config", (request, response) -> request.receive().aggregate()
                        .asString(StandardCharsets.UTF_8)
                        .flatMap(body -> {
                            pushes.add(body);
                            if (!answer.get()) {
                                return Mono.never();
                            }
                            int revision = Integer.parseInt(body.replaceAll("(?s).*\"revision\"\\s*:\\s*(\\d+).*", "$1"));
                            return response.status(HttpResponseStatus.OK).header("Content-Type", "application/json")
                                    .sendString(Mono.just("{\"revision\":" + revision + ",\"state\":\"APPLIED\"}")).then();
                        })))
                .bindNow();
        TestDatabase.Coordinates database = TestDatabase.fresh();
        List<String> settings = List.of("--spring.profiles.active=dev", "--netportal.mode=api",
                "--netportal.dispatcher.local-agents=false", "--netportal.dispatcher.lease=2s");
        FirewallService.Allocated allocated;
        try {
            TestPortal first = TestPortal.startOn(database, settings);
            try {
                allocated = allocate(first);
                Api.Answer hello = Api.send("POST", first.apiUrl() + "/agent/v1/firewalls/" + allocated.firewall().id()
                                + "/hello", allocated.agentCredential(),
                        "{\"agentUrl\":\"http://127.0.0.1:" + agent.port() + "\",\"appliedRevision\":0}");
                assertThat(hello.status()).as(hello.raw().body()).isEqualTo(200);
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> pushes.size() == 1);
            } finally {
                first.close();   // mid-delivery: the push is under way, its lease held
            }
            answer.set(true);
            try (TestPortal second = TestPortal.startOn(database, settings)) {
                FirewallService firewalls = second.portal().core().getBean(FirewallService.class);
                Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                    FirewallConfig config = firewalls.config(OWNER, FirewallId.of(allocated.firewall().id())).block();
                    assertThat(config.state()).isEqualTo(dev.netportal.firewall.SyncStatus.IN_SYNC);
                    assertThat(config.appliedRevision()).isEqualTo(1);
                });
                assertThat(pushes).as("the cut-off push, then the one after the restart").hasSize(2);
                assertThat(pushes.get(1)).isEqualTo(pushes.get(0));
            }
        } finally {
            agent.disposeNow();
        }
    }

    private static FirewallService.Allocated allocate(TestPortal portal) {
        var core = portal.portal().core();
        core.getBean(ProjectService.class).createIfAbsent(Actor.system(), PROJECT, "Restart", "").block();
        Network own = core.getBean(NetworkService.class).create(OWNER, PROJECT, new NewNetwork("restart", "nbg-1",
                Optional.of(28), "")).block();
        UUID internet = core.getBean(PartitionService.class).get(new PartitionId("nbg-1")).block().externalNetworks().getFirst().id();
        return core.getBean(FirewallService.class).allocate(OWNER, PROJECT, "restart-fw", new PartitionId("nbg-1"), "c1-large", List.of(
                new NetworkRequest(own.id(), Optional.empty()), new NetworkRequest(new NetworkId(internet), Optional.empty()))).block();
    }
}
