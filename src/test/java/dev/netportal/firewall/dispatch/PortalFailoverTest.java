package dev.netportal.firewall.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.firewall.FirewallConfig;
import dev.netportal.firewall.FirewallId;
import dev.netportal.firewall.FirewallService;
import dev.netportal.firewall.SyncStatus;
import dev.netportal.firewall.agent.AgentSettings;
import dev.netportal.firewall.agent.FirewallAgent;
import dev.netportal.firewall.agent.PortalLink;
import dev.netportal.firewall.protocol.SigningKeys;
import dev.netportal.firewall.protocol.StreamMessage;
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
import dev.netportal.sharing.ShareService;
import dev.netportal.testing.Api;
import dev.netportal.testing.TestDatabase;
import dev.netportal.testing.TestPortal;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Several API instances on one database, and instances that go away (D2, decision 007): a change committed in
 * one instance reaches the stream another holds; an agent whose instance is stopped in the middle of a delivery,
 * or killed with SIGKILL, connects to another instance and converges there. Nothing is lost, nothing is applied
 * twice.
 */
class PortalFailoverTest {

    private static final ProjectId PROJECT = new ProjectId("failover");
    private static final ProjectId SHARING = new ProjectId("failover-shares");
    private static final Actor OWNER = new Actor("fo", "Fay Owner", false, Map.of(PROJECT, ProjectRole.OWNER, SHARING, ProjectRole.OWNER));
    private static final Actor ADMIN = new Actor("fa", "Fred Admin", true, Map.of());
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path directory;

    @Test
    void aDeliveryCutOffByAStoppedInstanceIsMadeAgainByTheInstanceTheAgentConnectsToNext() {
        TestDatabase.Coordinates database = TestDatabase.fresh();
        Path key = keyFile();
        List<String> settings = List.of("--spring.profiles.active=dev", "--netportal.mode=api",
                "--netportal.dispatcher.local-agents=false", "--netportal.revisions.signing-key-file=" + key);
        List<String> revisions = new CopyOnWriteArrayList<>();
        AtomicBoolean answer = new AtomicBoolean(false);
        FirewallService.Allocated allocated;
        TestPortal first = TestPortal.startOn(database, settings);
        Disposable agent;
        try {
            allocated = allocate(first);
            // an agent that takes the first revision and never answers it (its instance stops meanwhile)
            agent = rawAgent(first.apiUrl(), allocated, revisions, answer);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> revisions.size() == 1);
        } finally {
            first.close();   // mid-delivery: the revision is under way, its lease held
        }
        agent.dispose();
        answer.set(true);
        try (TestPortal second = TestPortal.startOn(database, settings)) {
            Disposable again = rawAgent(second.apiUrl(), allocated, revisions, answer);
            try {
                FirewallService firewalls = second.portal().core().getBean(FirewallService.class);
                Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    FirewallConfig config = firewalls.config(OWNER, FirewallId.of(allocated.firewall().id())).block();
                    assertThat(config.state()).isEqualTo(SyncStatus.IN_SYNC);
                    assertThat(config.appliedRevision()).isEqualTo(1);
                });
                assertThat(revisions).as("the cut-off delivery, then the same revision from the next instance, at once "
                        + "(the agent's connection ends the old lease)").hasSize(2);
                JsonNode before = JSON.readTree(revisions.get(0));
                JsonNode after = JSON.readTree(revisions.get(1));
                assertThat(after.path("revision").asInt()).isEqualTo(before.path("revision").asInt());
                assertThat(after.path("hash").asString()).isEqualTo(before.path("hash").asString());
                assertThat(after.path("keyId").asString()).as("both instances sign with the configured key")
                        .isEqualTo(before.path("keyId").asString());
            } finally {
                again.dispose();
            }
        }
    }

    @Test
    void anAgentWhoseInstanceIsKilledConnectsToAnotherAndConvergesThere() throws Exception {
        TestDatabase.Coordinates database = TestDatabase.fresh();
        Path key = keyFile();
        // no instance looks for due firewalls by itself within the test: deliveries are set off by notifications
        List<String> settings = List.of("--spring.profiles.active=dev", "--netportal.mode=api",
                "--netportal.dispatcher.local-agents=false", "--netportal.revisions.signing-key-file=" + key,
                "--netportal.dispatcher.tick=1h");
        int childPort = freePort();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), "dev.netportal.Netportal", "--netportal.api.port=" + childPort));
        command.addAll(database.springArguments());
        command.addAll(settings);
        Path log = directory.resolve("killed-instance.log");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (TestPortal survivor = TestPortal.startOn(database, settings)) {
            String childUrl = "http://localhost:" + childPort;
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() ->
                    child.isAlive() && Api.send("GET", childUrl + "/actuator/health/readiness", null, null).status() == 200);
            FirewallService.Allocated allocated = allocate(survivor);
            FirewallService firewalls = survivor.portal().core().getBean(FirewallService.class);
            FirewallId id = FirewallId.of(allocated.firewall().id());
            // the agent tries the instance that will be killed first, then the survivor
            try (PortalLink agent = PortalLink.start(new AgentSettings(List.of(URI.create(childUrl), URI.create(survivor.apiUrl())),
                    id.value(), allocated.agentCredential(), SigningKeys.publicKeys(Files.readString(key)), null,
                    directory.resolve("agent"), FirewallAgent.Mode.RECORD, "/usr/lib/frr/frr-reload.py",
                    Duration.ofSeconds(1), Duration.ofSeconds(5)))) {
                Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    assertThat(agent.connectedTo()).isEqualTo(URI.create(childUrl));
                    assertThat(firewalls.config(OWNER, id).block().state()).isEqualTo(SyncStatus.IN_SYNC);
                });

                // a change committed in the survivor reaches the stream the other instance holds
                Network one = shared(survivor, "one");
                firewalls.attach(OWNER, id, one.id(), List.of()).block();
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> agent.appliedRevision() == 2);
                assertThat(agent.connectedTo()).isEqualTo(URI.create(childUrl));

                child.destroyForcibly();   // SIGKILL: no goodbye, no lease released
                assertThat(child.waitFor(java.util.concurrent.TimeUnit.SECONDS.toMillis(20), java.util.concurrent.TimeUnit.MILLISECONDS)).isTrue();
                Network two = shared(survivor, "two");
                firewalls.attach(OWNER, id, two.id(), List.of()).block();
                Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    assertThat(agent.connectedTo()).isEqualTo(URI.create(survivor.apiUrl()));
                    FirewallConfig config = firewalls.config(OWNER, id).block();
                    assertThat(config.revision()).isEqualTo(3);
                    assertThat(config.state()).isEqualTo(SyncStatus.IN_SYNC);
                    assertThat(config.agentConnected()).isTrue();
                    assertThat(agent.appliedRevision()).isEqualTo(3);
                });
                assertThat(Files.readString(directory.resolve("agent").resolve("3.nft"))).contains("one", "two");
            }
        } finally {
            child.destroyForcibly();
            if (child.waitFor(20, java.util.concurrent.TimeUnit.SECONDS) && Files.exists(log)
                    && !Files.readString(log).contains("Netportal started")) {
                System.err.println(Files.readString(log));
            }
        }
    }

    /** A WebSocket agent that records each revision and answers only while {@code answer} is set. */
    private static Disposable rawAgent(String apiUrl, FirewallService.Allocated allocated, List<String> revisions, AtomicBoolean answer) {
        return HttpClient.create()
                .headers(headers -> headers.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + allocated.agentCredential()))
                .websocket(WebsocketClientSpec.builder().maxFramePayloadLength(StreamMessage.MAX_BYTES).build())
                .uri(apiUrl.replaceFirst("^http", "ws") + "/agent/v1/firewalls/" + allocated.firewall().id() + "/stream")
                .handle((in, out) -> out.sendString(Flux.concat(
                        Mono.just(StreamMessage.encode(new StreamMessage.Status(0, null, "RECORD"))),
                        in.aggregateFrames(StreamMessage.MAX_BYTES).receive().asString(StandardCharsets.UTF_8)
                                .filter(text -> text.contains("\"type\":\"revision\""))
                                .doOnNext(revisions::add)
                                .filter(text -> answer.get())
                                .map(text -> StreamMessage.encode(new StreamMessage.Answer(new dev.netportal.firewall.protocol.Agent.Applied(
                                        JSON.readTree(text).path("revision").asInt(), null), JSON.readTree(text).path("delivery").asString()))))))
                .subscribe();
    }

    private Path keyFile() {
        KeyPair pair = SigningKeys.generate();
        try {
            return Files.writeString(directory.resolve("signing-" + UUID.randomUUID() + ".pem"),
                    SigningKeys.pem(pair.getPrivate()) + SigningKeys.pem(pair.getPublic()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Network shared(TestPortal portal, String name) {
        var core = portal.portal().core();
        Network network = core.getBean(NetworkService.class).create(OWNER, SHARING, new NewNetwork(name, "nbg-1", Optional.of(28), "")).block();
        ShareService shares = core.getBean(ShareService.class);
        shares.approve(ADMIN, shares.file(OWNER, network.id(), "failover", "IPV4_MASQUERADE").block().id(), null).block();
        return network;
    }

    private static FirewallService.Allocated allocate(TestPortal portal) {
        var core = portal.portal().core();
        core.getBean(ProjectService.class).createIfAbsent(Actor.system(), PROJECT, "Failover", "").block();
        core.getBean(ProjectService.class).createIfAbsent(Actor.system(), SHARING, "Failover shares", "").block();
        Network own = core.getBean(NetworkService.class).create(OWNER, PROJECT, new NewNetwork("failover", "nbg-1",
                Optional.of(28), "")).block();
        UUID internet = core.getBean(PartitionService.class).get(new PartitionId("nbg-1")).block().externalNetworks().getFirst().id();
        return core.getBean(FirewallService.class).allocate(OWNER, PROJECT, "failover-fw", new PartitionId("nbg-1"), "c1-large", List.of(
                new NetworkRequest(own.id(), Optional.empty()), new NetworkRequest(new NetworkId(internet), Optional.empty()))).block();
    }
}
