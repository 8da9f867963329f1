package dev.netportal.firewall.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.firewall.FirewallConfig;
import dev.netportal.firewall.FirewallId;
import dev.netportal.firewall.FirewallService;
import dev.netportal.firewall.SyncStatus;
import dev.netportal.firewall.dispatch.AgentStreams;
import dev.netportal.firewall.dispatch.RevisionSigner;
import dev.netportal.firewall.protocol.SigningKeys;
import dev.netportal.identity.Actor;
import dev.netportal.identity.ProjectId;
import dev.netportal.identity.ProjectRole;
import dev.netportal.machine.Machine;
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
import dev.netportal.testing.TestPortal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent protocol end to end (decision 007): real agents ({@link PortalLink}, record mode) dial out to a portal
 * whose dispatcher serves only firewalls with agents of their own (no built-in agents). The stream needs the
 * firewall's credential; revisions arrive signed and are acknowledged on the stream; revisions made while the
 * agent is away arrive, newest only, when it is back; freeing the firewall cuts its open stream and refuses its
 * credential.
 */
class AgentProtocolTest {

    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final ProjectId PROJECT = new ProjectId("agents");
    private static final ProjectId SHARING = new ProjectId("agents-shared");
    private static final Actor OWNER = new Actor("ao", "Agnes Owner", false, Map.of(PROJECT, ProjectRole.OWNER));
    private static final Actor SHARER = new Actor("so", "Sam Sharer", false, Map.of(SHARING, ProjectRole.OWNER));
    private static final Actor ADMIN = new Actor("ad", "Ada Admin", true, Map.of());
    private static TestPortal portal;

    @TempDir
    Path directory;

    @BeforeAll
    static void start() {
        // the dispatcher looks for due firewalls only once an hour by itself: every delivery here is set off by
        // the database's notification of a commit (a revision, an agent's stream)
        portal = TestPortal.start("--netportal.dispatcher.local-agents=false", "--netportal.dispatcher.tick=1h",
                "--netportal.agent-streams.status-within=2s", "--netportal.agent-streams.silence=3s");
        bean(ProjectService.class).createIfAbsent(Actor.system(), PROJECT, "Agents", "").block();
        bean(ProjectService.class).createIfAbsent(Actor.system(), SHARING, "Agents shared", "").block();
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    private static <T> T bean(Class<T> type) {
        return portal.portal().core().getBean(type);
    }

    private record Allocated(Machine firewall, String credential) {
    }

    /** A firewall with a private network and the internet in nbg-1. */
    private static Allocated firewall() {
        Network own = bean(NetworkService.class).create(OWNER, PROJECT, new NewNetwork("a-" + NEXT.incrementAndGet(), "nbg-1",
                Optional.of(28), "")).block();
        UUID internet = bean(PartitionService.class).get(new PartitionId("nbg-1")).block().externalNetworks().getFirst().id();
        var allocated = bean(FirewallService.class).allocate(OWNER, PROJECT, "afw-" + NEXT.get(), new PartitionId("nbg-1"), "c1-large", List.of(
                new NetworkRequest(own.id(), Optional.empty()), new NetworkRequest(new NetworkId(internet), Optional.empty()))).block();
        return new Allocated(allocated.firewall(), allocated.agentCredential());
    }

    /** A network of another project, shared with NAT, that firewalls in nbg-1 can attach. */
    private static Network shared() {
        Network network = bean(NetworkService.class).create(SHARER, SHARING, new NewNetwork("s-" + NEXT.incrementAndGet(),
                "nbg-1", Optional.of(28), "")).block();
        ShareService shares = bean(ShareService.class);
        var request = shares.file(SHARER, network.id(), "for the agent test", "IPV4_MASQUERADE").block();
        shares.approve(ADMIN, request.id(), null).block();
        return network;
    }

    private static FirewallConfig config(Machine firewall) {
        return bean(FirewallService.class).config(OWNER, FirewallId.of(firewall.id())).block();
    }

    private PortalLink agent(Allocated allocated) {
        return PortalLink.start(new AgentSettings(List.of(URI.create(portal.apiUrl())), allocated.firewall().id().value(),
                allocated.credential(), SigningKeys.publicKeys(bean(RevisionSigner.class).publicKeyPem()), null,
                directory.resolve(allocated.firewall().id().toString()), FirewallAgent.Mode.RECORD, "/usr/lib/frr/frr-reload.py",
                Duration.ofSeconds(1), Duration.ofSeconds(5)));
    }

    @Test
    void aFirewallWaitsForItsAgentAndThenGetsItsConfigurationOnItsStream() throws Exception {
        Allocated allocated = firewall();
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            FirewallConfig waiting = config(allocated.firewall());
            assertThat(waiting.state()).isEqualTo(SyncStatus.PENDING);
            assertThat(waiting.lastError()).contains("waiting for the firewall's agent to connect");
            assertThat(waiting.agentConnected()).isFalse();
        });

        try (PortalLink agent = agent(allocated)) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                FirewallConfig config = config(allocated.firewall());
                assertThat(config.state()).isEqualTo(SyncStatus.IN_SYNC);
                assertThat(config.appliedRevision()).isEqualTo(config.revision());
                assertThat(config.agentConnected()).isTrue();
                assertThat(config.agentSeenAt()).isNotNull();
                assertThat(config.agentRefusal()).isNull();
            });
            FirewallConfig config = config(allocated.firewall());
            assertThat(agent.appliedRevision()).isEqualTo(config.revision());
            assertThat(agent.connectedTo()).isEqualTo(URI.create(portal.apiUrl()));
            Path files = directory.resolve(allocated.firewall().id().toString());
            assertThat(Files.readString(files.resolve(config.revision() + ".nft"))).isEqualTo(config.nftables());
            assertThat(Files.readString(files.resolve(config.revision() + ".frr.conf"))).isEqualTo(config.frr());
            assertThat(Files.readString(files.resolve("state"))).contains("revision=" + config.revision());
            assertThat(Files.readString(files.resolve("status"))).as("the status, for whoever is on the firewall")
                    .contains("appliedRevision=" + config.revision(), "connectedTo=" + portal.apiUrl().replace(":", "\\:"));

            // a change reaches the open stream at once
            Network network = shared();
            long changed = System.nanoTime();
            bean(FirewallService.class).attach(OWNER, FirewallId.of(allocated.firewall().id()), network.id(), List.of()).block();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> agent.appliedRevision() == config.revision() + 1);
            assertThat(Duration.ofNanos(System.nanoTime() - changed)).as("delivered on commit, not at a poll")
                    .isLessThan(Duration.ofSeconds(3));
            assertThat(Files.readString(files.resolve((config.revision() + 1) + ".nft"))).contains(network.name());
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(config(allocated.firewall()).agentConnected()).as("the agent left").isFalse());
    }

    @Test
    void theStreamNeedsTheFirewallsCredential() {
        Allocated allocated = firewall();
        String url = portal.apiUrl() + "/agent/v1/firewalls/" + allocated.firewall().id() + "/stream";

        Api.Answer wrong = Api.send("GET", url, "not-the-credential", null);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.contentType()).startsWith("application/problem+json");
        assertThat(wrong.json().path("detail").asString()).contains("credential");
        assertThat(Api.send("GET", url, null, null).status()).isEqualTo(401);
        assertThat(Api.send("GET", portal.apiUrl() + "/agent/v1/firewalls/" + UUID.randomUUID() + "/stream",
                allocated.credential(), null).status()).as("an unknown firewall answers the same").isEqualTo(401);
        assertThat(Api.send("GET", url, "x".repeat(100_000), null).status()).as("a huge credential").isIn(401, 431);
        assertThat(Api.send("GET", url, allocated.credential(), null).status())
                .as("the right credential, but no WebSocket upgrade").isEqualTo(400);
        Allocated another = firewall();
        assertThat(Api.send("GET", url, another.credential(), null).status())
                .as("the credential of another firewall of the same project").isEqualTo(401);
        assertThat(Api.send("POST", portal.apiUrl() + "/agent/v1/firewalls/" + allocated.firewall().id() + "/hello",
                allocated.credential(), "{\"agentUrl\":\"http://127.0.0.1:1\"}").status())
                .as("the old hello is gone: the portal connects to nothing an agent names").isIn(404, 405);
    }

    @Test
    void revisionsMadeWhileTheAgentIsAwayArriveWhenItIsBackNewestOnly() throws Exception {
        Allocated allocated = firewall();
        try (PortalLink agent = agent(allocated)) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> SyncStatus.IN_SYNC == config(allocated.firewall()).state());
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !config(allocated.firewall()).agentConnected());
        int before = config(allocated.firewall()).revision();
        FirewallService firewalls = bean(FirewallService.class);
        Network first = shared();
        Network second = shared();
        firewalls.attach(OWNER, FirewallId.of(allocated.firewall().id()), first.id(), List.of()).block();
        firewalls.attach(OWNER, FirewallId.of(allocated.firewall().id()), second.id(), List.of()).block();
        firewalls.detach(OWNER, FirewallId.of(allocated.firewall().id()), first.id()).block();
        FirewallConfig queued = config(allocated.firewall());
        assertThat(queued.revision()).isEqualTo(before + 3);
        assertThat(queued.appliedRevision()).isEqualTo(before);
        assertThat(queued.state()).isEqualTo(SyncStatus.PENDING);

        long back = System.nanoTime();
        try (PortalLink agent = agent(allocated)) {
            Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                FirewallConfig config = config(allocated.firewall());
                assertThat(config.state()).isEqualTo(SyncStatus.IN_SYNC);
                assertThat(config.appliedRevision()).isEqualTo(before + 3);
            });
            assertThat(Duration.ofNanos(System.nanoTime() - back)).as("delivered within seconds of the agent's return")
                    .isLessThan(Duration.ofSeconds(5));
            assertThat(agent.appliedRevision()).isEqualTo(before + 3);
            Path files = directory.resolve(allocated.firewall().id().toString());
            assertThat(files.resolve((before + 3) + ".nft")).exists();
            assertThat(files.resolve((before + 1) + ".nft")).as("intermediate revisions are skipped").doesNotExist();
            assertThat(Files.readString(files.resolve((before + 3) + ".nft"))).contains(second.name()).doesNotContain(first.name());
        }
    }

    @Test
    void freeingAFirewallCutsItsStreamAndRefusesItsCredential() throws Exception {
        Allocated allocated = firewall();
        try (PortalLink agent = agent(allocated)) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> SyncStatus.IN_SYNC == config(allocated.firewall()).state());
            int streams = bean(AgentStreams.class).size();
            bean(FirewallService.class).free(OWNER, FirewallId.of(allocated.firewall().id())).block();
            Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(agent.connectedTo()).as("the open stream is cut").isNull();
                assertThat(bean(AgentStreams.class).size()).isEqualTo(streams - 1);
            });
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(agent.lastProblem()).as("and the credential refused when it tries again")
                            .contains("refused the credential (401)"));
            assertThat(agent.connectedTo()).isNull();
        }
        assertThat(Api.send("GET", portal.apiUrl() + "/agent/v1/firewalls/" + allocated.firewall().id() + "/stream",
                allocated.credential(), null).status()).isEqualTo(401);
    }

    @Test
    void anAgentInApplyModeAppliesWhatArrivesOnItsStream() throws Exception {
        Allocated allocated = firewall();
        Path files = directory.resolve("apply");
        AgentSettings settings = new AgentSettings(List.of(URI.create(portal.apiUrl())), allocated.firewall().id().value(),
                allocated.credential(), SigningKeys.publicKeys(bean(RevisionSigner.class).publicKeyPem()), null, files,
                FirewallAgent.Mode.APPLY, "/usr/lib/frr/frr-reload.py", Duration.ofSeconds(1), Duration.ofSeconds(5));
        // nft -f applies inside a network namespace of its own (as in FirewallAgentTest): the host is never touched
        FirewallAgent applying = new FirewallAgent(settings.firewall(), files, FirewallAgent.Mode.APPLY, true,
                settings.frrReload(), List.of("unshare", "-rn", "nft"), List.of("vtysh", "-c", "show version"));
        try (PortalLink agent = PortalLink.start(settings, applying)) {
            Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                FirewallConfig config = config(allocated.firewall());
                assertThat(config.state()).isEqualTo(SyncStatus.IN_SYNC);
                assertThat(config.lastError()).as("the agent's note comes back on the stream")
                        .contains("FRR does not run on this host");
            });
            assertThat(agent.appliedRevision()).isEqualTo(config(allocated.firewall()).revision());
            assertThat(Files.readString(files.resolve("state"))).contains("revision=" + agent.appliedRevision());
        }
    }

    @Test
    void aStreamWhoseAgentSaysNothingOrFallsSilentIsCut() {
        Allocated allocated = firewall();
        String url = portal.apiUrl().replaceFirst("^http", "ws") + "/agent/v1/firewalls/" + allocated.firewall().id() + "/stream";
        // connects and never says what it runs
        assertThat(closeCode(url, allocated.credential(), reactor.core.publisher.Flux.never())).isEqualTo(AgentStreams.NO_STATUS);
        // says what it runs, then nothing more: no heartbeat
        assertThat(closeCode(url, allocated.credential(), reactor.core.publisher.Flux.concat(
                reactor.core.publisher.Mono.just(dev.netportal.firewall.protocol.StreamMessage.encode(
                        new dev.netportal.firewall.protocol.StreamMessage.Status(0, null, "RECORD"))),
                reactor.core.publisher.Flux.never()))).isEqualTo(AgentStreams.SILENT);
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(config(allocated.firewall()).agentConnected()).isFalse());
    }

    @Test
    void theAgentAsItsOwnProcessStartedAsTheReadmeSaysConverges() throws Exception {
        Allocated allocated = firewall();
        Path files = directory.resolve("process");
        Path keys = Files.writeString(directory.resolve("portal-public.pem"), bean(RevisionSigner.class).publicKeyPem());
        Path credential = Files.writeString(directory.resolve("credential"), allocated.credential());
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "dev.netportal.Netportal")
                .redirectErrorStream(true).redirectOutput(directory.resolve("agent.log").toFile());
        builder.environment().putAll(Map.of("NETPORTAL_MODE", "agent", "NETPORTAL_AGENT_PORTAL_URL", portal.apiUrl(),
                "NETPORTAL_AGENT_FIREWALL_ID", allocated.firewall().id().toString(),
                "NETPORTAL_AGENT_CREDENTIAL_FILE", credential.toString(), "NETPORTAL_AGENT_PORTAL_KEYS_FILE", keys.toString(),
                "NETPORTAL_AGENT_DIRECTORY", files.toString(), "NETPORTAL_AGENT_MODE", "record",
                "NETPORTAL_AGENT_HEARTBEAT", "2s"));
        Process agent = builder.start();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(agent.isAlive()).as(Files.readString(directory.resolve("agent.log"))).isTrue();
                FirewallConfig config = config(allocated.firewall());
                assertThat(config.state()).isEqualTo(SyncStatus.IN_SYNC);
                assertThat(config.agentConnected()).isTrue();
            });
            assertThat(Files.readString(files.resolve("status"))).contains("appliedRevision=" + config(allocated.firewall()).revision());
        } finally {
            agent.destroy();
            agent.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            agent.destroyForcibly();
        }
    }

    /** Opens a stream, sends the given messages, and answers how the portal closed it (within 15 s). */
    private static int closeCode(String url, String credential, org.reactivestreams.Publisher<String> messages) {
        return reactor.netty.http.client.HttpClient.create()
                .headers(headers -> headers.set("Authorization", "Bearer " + credential))
                .websocket()
                .uri(url)
                .handle((in, out) -> {
                    out.sendString(messages).then().subscribe();
                    in.receive().subscribe();   // frames are read only when someone reads them
                    return in.receiveCloseStatus().map(io.netty.handler.codec.http.websocketx.WebSocketCloseStatus::code);
                })
                .next()
                .block(Duration.ofSeconds(15));
    }
}
