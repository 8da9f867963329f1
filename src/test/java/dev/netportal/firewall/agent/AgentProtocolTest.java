package dev.netportal.firewall.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.firewall.FirewallConfig;
import dev.netportal.firewall.FirewallId;
import dev.netportal.firewall.FirewallService;
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
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
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
 * The agent protocol end to end: real agents ({@link AgentServer}, record mode) and a portal whose dispatcher
 * serves only firewalls whose own agent said hello (no built-in agents). Hello with the credential, pushes with
 * the token, answers applied / rejected / newer, and an agent that goes away and comes back.
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
        portal = TestPortal.start("--netportal.dispatcher.local-agents=false");
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

    private AgentServer agent(Allocated allocated, int port) {
        return AgentServer.start(new AgentSettings(URI.create(portal.apiUrl()), allocated.firewall().id().value(), allocated.credential(),
                "127.0.0.1", port, URI.create("http://127.0.0.1:" + port), directory.resolve(allocated.firewall().id().toString()),
                FirewallAgent.Mode.RECORD, "/usr/lib/frr/frr-reload.py", Duration.ofSeconds(1)));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pushToken(Machine firewall) throws Exception {
        try (Connection c = portal.database().connect(); Statement s = c.createStatement();
                ResultSet row = s.executeQuery("SELECT push_token FROM firewall_sync WHERE firewall_id = '" + firewall.id() + "'")) {
            assertThat(row.next()).isTrue();
            return row.getString(1);
        }
    }

    @Test
    void aFirewallWaitsForItsAgentAndThenGetsItsConfigurationOverHttp() throws Exception {
        Allocated allocated = firewall();
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            FirewallConfig waiting = config(allocated.firewall());
            assertThat(waiting.state()).isEqualTo(dev.netportal.firewall.SyncStatus.PENDING);
            assertThat(waiting.lastError()).contains("waiting for the firewall's agent to say hello");
        });

        int port = freePort();
        try (AgentServer agent = agent(allocated, port)) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                FirewallConfig config = config(allocated.firewall());
                assertThat(config.state()).isEqualTo(dev.netportal.firewall.SyncStatus.IN_SYNC);
                assertThat(config.appliedRevision()).isEqualTo(config.revision());
                assertThat(config.agentUrl()).isEqualTo("http://127.0.0.1:" + port);
                assertThat(config.agentSeenAt()).isNotNull();
            });
            FirewallConfig config = config(allocated.firewall());
            assertThat(agent.appliedRevision()).isEqualTo(config.revision());
            Path files = directory.resolve(allocated.firewall().id().toString());
            assertThat(Files.readString(files.resolve(config.revision() + ".nft"))).isEqualTo(config.nftables());
            assertThat(Files.readString(files.resolve(config.revision() + ".frr.conf"))).isEqualTo(config.frr());
            assertThat(Files.readString(files.resolve("state"))).contains("revision=" + config.revision());
        }
    }

    @Test
    void helloNeedsTheFirewallsCredential() {
        Allocated allocated = firewall();
        String url = portal.apiUrl() + "/agent/v1/firewalls/" + allocated.firewall().id() + "/hello";
        String body = "{\"agentUrl\":\"http://127.0.0.1:1\",\"appliedRevision\":0}";

        Api.Answer wrong = Api.send("POST", url, "not-the-credential", body);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.contentType()).startsWith("application/problem+json");
        assertThat(wrong.json().path("detail").asString()).contains("credential");
        assertThat(Api.send("POST", url, null, body).status()).isEqualTo(401);
        assertThat(Api.send("POST", portal.apiUrl() + "/agent/v1/firewalls/" + UUID.randomUUID() + "/hello",
                allocated.credential(), body).status()).as("an unknown firewall answers the same").isEqualTo(401);

        Api.Answer badUrl = Api.send("POST", url, allocated.credential(), "{\"agentUrl\":\"ftp://x\",\"appliedRevision\":0}");
        assertThat(badUrl.status()).isEqualTo(400);
        assertThat(badUrl.json().path("detail").asString()).contains("ftp://x");

        Api.Answer welcome = Api.send("POST", url, allocated.credential(), body);
        assertThat(welcome.status()).isEqualTo(200);
        assertThat(welcome.json().path("pushToken").asString()).hasSizeGreaterThan(40);
        assertThat(Api.send("POST", url, allocated.credential(), body).json().path("pushToken").asString())
                .as("a second hello gets the same token").isEqualTo(welcome.json().path("pushToken").asString());
    }

    @Test
    void theAgentTakesPushesOnlyWithItsTokenRefusesOldRevisionsAndRejectsBrokenOnes() throws Exception {
        Allocated allocated = firewall();
        int port = freePort();
        try (AgentServer agent = agent(allocated, port)) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> dev.netportal.firewall.SyncStatus.IN_SYNC == config(allocated.firewall()).state());
            FirewallConfig config = config(allocated.firewall());
            String url = "http://127.0.0.1:" + port + "/v1/config";
            String token = pushToken(allocated.firewall());

            Api.Answer noToken = Api.send("PUT", url, "forged", push(allocated, config.revision() + 1, "h", config.frr(), config.nftables()));
            assertThat(noToken.status()).isEqualTo(401);

            Api.Answer old = Api.send("PUT", url, token, push(allocated, config.revision() - 1, "old", config.frr(), config.nftables()));
            assertThat(old.status()).as(old.raw().body()).isEqualTo(409);
            assertThat(old.json().path("appliedRevision").asInt()).isEqualTo(config.revision());

            Api.Answer broken = Api.send("PUT", url, token, push(allocated, config.revision() + 1, "broken", config.frr(),
                    config.nftables().replace("policy drop;", "policy sometimes;")));
            assertThat(broken.status()).as(broken.raw().body()).isEqualTo(422);
            assertThat(broken.json().path("state").asString()).isEqualTo("REJECTED");
            assertThat(broken.json().path("message").asString()).startsWith("nft -c:").contains("sometimes");
            assertThat(agent.appliedRevision()).as("a rejected revision is not applied").isEqualTo(config.revision());

            Api.Answer again = Api.send("PUT", url, token, push(allocated, config.revision(), config.hash(), config.frr(), config.nftables()));
            assertThat(again.status()).as("the running revision again is fine").isEqualTo(200);
            assertThat(again.json().path("state").asString()).isEqualTo("APPLIED");

            Api.Answer other = Api.send("PUT", url, token, push(new Allocated(firewall().firewall(), ""), config.revision() + 1, "x",
                    config.frr(), config.nftables()));
            assertThat(other.status()).as("a configuration of another firewall").isEqualTo(400);
        }
    }

    @Test
    void revisionsMadeWhileTheAgentIsDownArriveSoonAfterItsReturnNewestOnly() throws Exception {
        Allocated allocated = firewall();
        int port = freePort();
        try (AgentServer agent = agent(allocated, port)) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> dev.netportal.firewall.SyncStatus.IN_SYNC == config(allocated.firewall()).state());
        }
        int before = config(allocated.firewall()).revision();
        FirewallService firewalls = bean(FirewallService.class);
        Network first = shared();
        Network second = shared();
        firewalls.attach(OWNER, FirewallId.of(allocated.firewall().id()), first.id(), List.of()).block();
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            FirewallConfig failing = config(allocated.firewall());
            assertThat(failing.state()).isEqualTo(dev.netportal.firewall.SyncStatus.FAILING);
            assertThat(failing.lastError()).startsWith("agent unreachable");
        });
        firewalls.attach(OWNER, FirewallId.of(allocated.firewall().id()), second.id(), List.of()).block();
        firewalls.detach(OWNER, FirewallId.of(allocated.firewall().id()), first.id()).block();
        FirewallConfig queued = config(allocated.firewall());
        assertThat(queued.revision()).isEqualTo(before + 3);
        assertThat(queued.appliedRevision()).isEqualTo(before);

        long back = System.nanoTime();
        try (AgentServer agent = agent(allocated, port)) {
            Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                FirewallConfig config = config(allocated.firewall());
                assertThat(config.state()).isEqualTo(dev.netportal.firewall.SyncStatus.IN_SYNC);
                assertThat(config.appliedRevision()).isEqualTo(before + 3);
            });
            long seconds = Duration.ofNanos(System.nanoTime() - back).toSeconds();
            assertThat(seconds).as("delivered within seconds of the agent's return, not after its backoff").isLessThan(5);
            assertThat(agent.appliedRevision()).isEqualTo(before + 3);
            Path files = directory.resolve(allocated.firewall().id().toString());
            assertThat(files.resolve((before + 3) + ".nft")).exists();
            assertThat(files.resolve((before + 1) + ".nft")).as("intermediate revisions are skipped").doesNotExist();
            assertThat(Files.readString(files.resolve((before + 3) + ".nft"))).contains(second.name()).doesNotContain(first.name());
        }
    }

    private static String push(Allocated allocated, int revision, String hash, String frr, String nftables) {
        return tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(Map.of("firewallId",
                allocated.firewall().id().toString(), "revision", revision, "hash", hash, "frr", frr, "nftables", nftables));
    }
}
