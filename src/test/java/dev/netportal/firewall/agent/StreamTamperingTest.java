package dev.netportal.firewall.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.firewall.FirewallConfig;
import dev.netportal.firewall.FirewallId;
import dev.netportal.firewall.FirewallService;
import dev.netportal.firewall.SyncStatus;
import dev.netportal.firewall.dispatch.RevisionSigner;
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
import dev.netportal.testing.TestPortal;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Someone on the path between an agent and the portal, which serves its API over TLS (a certificate made for the
 * test, which the agent is given as its certificate authority). One who can only listen (a TCP relay that keeps
 * every byte) learns nothing: no configuration text, no credential. One who stands where TLS ends (a relay that
 * reads and rewrites every message, as a compromised TLS-terminating proxy would) changes a revision's text, its
 * number or its firewall, or plays an old revision again: the agent refuses each before applying anything, and
 * the refusal shows in the firewall's sync state.
 */
class StreamTamperingTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final ProjectId PROJECT = new ProjectId("tamper");
    private static final Actor OWNER = new Actor("to", "Tess Owner", false, Map.of(PROJECT, ProjectRole.OWNER));
    private static final Actor ADMIN = new Actor("ta", "Tom Admin", true, Map.of());
    private static Path certificates;
    private static TestPortal portal;

    @TempDir
    Path directory;

    @BeforeAll
    static void start() throws Exception {
        certificates = Files.createTempDirectory("tamper-tls");
        String keytool = Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("keytool").toString();
        run(keytool, "-genkeypair", "-alias", "portal", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-keystore", certificates.resolve("portal.p12").toString(),
                "-storetype", "PKCS12", "-storepass", "test-only", "-keypass", "test-only");
        run(keytool, "-exportcert", "-rfc", "-alias", "portal", "-keystore", certificates.resolve("portal.p12").toString(),
                "-storepass", "test-only", "-file", certificates.resolve("ca.pem").toString());
        portal = TestPortal.start("--netportal.mode=api", "--netportal.dispatcher.local-agents=false",
                "--server.ssl.key-store=file:" + certificates.resolve("portal.p12"), "--server.ssl.key-store-type=PKCS12",
                "--server.ssl.key-store-password=test-only");
        bean(ProjectService.class).createIfAbsent(Actor.system(), PROJECT, "Tamper", "").block();
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
    }

    private static <T> T bean(Class<T> type) {
        return portal.portal().core().getBean(type);
    }

    private static String httpsApi() {
        return "https://localhost:" + portal.apiPort();
    }

    private record Allocated(UUID firewall, String credential) {
    }

    private static Allocated firewall() {
        Network own = bean(NetworkService.class).create(OWNER, PROJECT, new NewNetwork("t-" + NEXT.incrementAndGet(), "nbg-1",
                Optional.of(28), "")).block();
        UUID internet = bean(PartitionService.class).get(new PartitionId("nbg-1")).block().externalNetworks().getFirst().id();
        var allocated = bean(FirewallService.class).allocate(OWNER, PROJECT, "tfw-" + NEXT.get(), new PartitionId("nbg-1"), "c1-large",
                List.of(new NetworkRequest(own.id(), Optional.empty()), new NetworkRequest(new NetworkId(internet), Optional.empty()))).block();
        return new Allocated(allocated.firewall().id().value(), allocated.agentCredential());
    }

    private static Network shared() {
        Network network = bean(NetworkService.class).create(OWNER, PROJECT, new NewNetwork("ts-" + NEXT.incrementAndGet(), "nbg-1",
                Optional.of(28), "")).block();
        ShareService shares = bean(ShareService.class);
        shares.approve(ADMIN, shares.file(OWNER, network.id(), "tamper test", "IPV4_MASQUERADE").block().id(), null).block();
        return network;
    }

    private static FirewallConfig config(UUID firewall) {
        return bean(FirewallService.class).config(OWNER, new FirewallId(firewall)).block();
    }

    private PortalLink agent(Allocated allocated, String url) {
        return PortalLink.start(new AgentSettings(List.of(URI.create(url)), allocated.firewall(), allocated.credential(),
                SigningKeys.publicKeys(bean(RevisionSigner.class).publicKeyPem()), certificates.resolve("ca.pem"),
                directory.resolve(allocated.firewall().toString()), FirewallAgent.Mode.RECORD, "/usr/lib/frr/frr-reload.py",
                Duration.ofSeconds(1), Duration.ofSeconds(10)));
    }

    @Test
    void aListenerOnThePathSeesNeitherConfigurationsNorTheCredential() throws Exception {
        Allocated allocated = firewall();
        try (Relay relay = new Relay(portal.apiPort()); PortalLink agent = agent(allocated, "https://localhost:" + relay.port())) {
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> config(allocated.firewall()).state() == SyncStatus.IN_SYNC);
            Network network = shared();
            bean(FirewallService.class).attach(OWNER, new FirewallId(allocated.firewall()), network.id(), List.of()).block();
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> agent.appliedRevision() == 2);
            FirewallConfig config = config(allocated.firewall());
            String seen = new String(relay.seen(), StandardCharsets.ISO_8859_1);
            assertThat(relay.seen().length).as("the stream went through the listener").isGreaterThan(2000);
            assertThat(seen).doesNotContain("table inet", "netportal", "vrf", network.name(), allocated.credential(),
                    config.hash(), "Bearer", "revision");
            assertThat(config.nftables()).contains("table inet", network.name());
        }
    }

    @Test
    void everyTamperingIsRefusedByTheAgentAndShowsInTheSyncState() throws Exception {
        Allocated allocated = firewall();
        FirewallId id = new FirewallId(allocated.firewall());
        FirewallService firewalls = bean(FirewallService.class);
        try (Tamperer tamperer = new Tamperer(allocated.firewall());
                PortalLink agent = agent(allocated, "http://127.0.0.1:" + tamperer.port())) {
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> config(allocated.firewall()).state() == SyncStatus.IN_SYNC);
            String first = tamperer.lastRevision.get();
            assertThat(first).contains("\"revision\":1");
            Network a = shared();
            Network b = shared();

            // the text: whatever the nftables file says, the agent checks it against the signed hash
            tamperer.tamper(message -> message.put("nftables", message.get("nftables").asString().replace("drop", "accept")));
            firewalls.attach(OWNER, id, a.id(), List.of()).block();
            awaitRefusal(allocated, 2, "not the one signed");

            // the number: a revision far ahead would make the agent refuse every real one after it
            tamperer.tamper(message -> message.put("revision", Integer.MAX_VALUE));
            firewalls.attach(OWNER, id, b.id(), List.of()).block();
            awaitRefusal(allocated, 3, "does not verify");

            // the firewall: another firewall's revision
            tamperer.tamper(message -> message.put("firewallId", UUID.randomUUID().toString()));
            firewalls.detach(OWNER, id, a.id()).block();
            awaitRefusal(allocated, 4, "is for firewall");
            assertThat(agent.appliedRevision()).as("nothing tampered with was applied").isEqualTo(1);

            tamperer.tamper(message -> message);
            firewalls.detach(OWNER, id, b.id()).block();
            Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                FirewallConfig config = config(allocated.firewall());
                assertThat(config.state()).isEqualTo(SyncStatus.IN_SYNC);
                assertThat(config.appliedRevision()).isEqualTo(5);
                assertThat(config.agentRefusal()).as("the last refusal stays visible").contains("is for firewall");
            });

            // an old revision played again: signed, unexpired, and older than what runs
            tamperer.tamper(message -> (ObjectNode) JSON.readTree(first));
            firewalls.attach(OWNER, id, a.id(), List.of()).block();
            awaitRefusal(allocated, 6, "older than revision 5");
            assertThat(agent.appliedRevision()).isEqualTo(5);

            tamperer.tamper(message -> message);
            firewalls.detach(OWNER, id, a.id()).block();
            Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(config(allocated.firewall()).state()).isEqualTo(SyncStatus.IN_SYNC);
                assertThat(agent.appliedRevision()).isEqualTo(7);
            });
        }
    }

    private static void awaitRefusal(Allocated allocated, int desired, String reason) {
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            FirewallConfig config = config(allocated.firewall());
            assertThat(config.revision()).isEqualTo(desired);
            assertThat(config.state()).isEqualTo(SyncStatus.FAILING);
            assertThat(config.lastError()).startsWith("the agent refused revision").contains(reason);
            assertThat(config.agentRefusal()).contains(reason);
        });
    }

    /** A relay that reads and rewrites the portal's revisions on their way to the agent (plain WebSocket to the agent). */
    private static final class Tamperer implements AutoCloseable {

        private final DisposableServer server;
        private final AtomicReference<UnaryOperator<ObjectNode>> tampering = new AtomicReference<>(message -> message);
        final AtomicReference<String> lastRevision = new AtomicReference<>();

        Tamperer(UUID firewall) {
            HttpClient upstream = HttpClient.create().secure(tls -> tls.sslContext(Http11SslContextSpec.forClient()
                    .configure(builder -> builder.trustManager(certificates.resolve("ca.pem").toFile()))));
            server = HttpServer.create().host("127.0.0.1").port(0)
                    .route(routes -> routes.ws("/agent/v1/firewalls/" + firewall + "/stream", (in, out) -> {
                        Sinks.Many<String> toPortal = Sinks.many().unicast().onBackpressureBuffer();
                        in.receive().asString(StandardCharsets.UTF_8).subscribe(toPortal::tryEmitNext,
                                error -> toPortal.tryEmitComplete(), toPortal::tryEmitComplete);
                        Flux<String> fromPortal = upstream
                                .headers(headers -> headers.set(HttpHeaderNames.AUTHORIZATION, in.headers().get("Authorization", "")))
                                .websocket(WebsocketClientSpec.builder().maxFramePayloadLength(StreamMessage.MAX_BYTES).build())
                                .uri(httpsApi().replaceFirst("^https", "wss") + "/agent/v1/firewalls/" + firewall + "/stream")
                                .handle((upIn, upOut) -> Flux.merge(upOut.sendString(toPortal.asFlux()).then().then(Mono.<String>empty()),
                                        upIn.aggregateFrames(StreamMessage.MAX_BYTES).receive().asString(StandardCharsets.UTF_8)));
                        return out.sendString(fromPortal.map(this::rewrite));
                    }, WebsocketServerSpec.builder().maxFramePayloadLength(StreamMessage.MAX_BYTES).build()))
                    .bindNow();
        }

        private String rewrite(String text) {
            if (!text.contains("\"type\":\"revision\"")) {
                return text;
            }
            lastRevision.compareAndSet(null, text);
            return JSON.writeValueAsString(tampering.get().apply((ObjectNode) JSON.readTree(text)));
        }

        void tamper(UnaryOperator<ObjectNode> how) {
            tampering.set(how);
        }

        int port() {
            return server.port();
        }

        @Override
        public void close() {
            server.disposeNow();
        }
    }

    /** A TCP relay that passes every byte on unchanged and keeps a copy of all it saw, both ways. */
    private static final class Relay implements AutoCloseable {

        private final ServerSocket listening;
        private final int target;
        private final ByteArrayOutputStream seen = new ByteArrayOutputStream();

        Relay(int target) throws IOException {
            this.target = target;
            this.listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!listening.isClosed()) {
                    try {
                        Socket client = listening.accept();
                        Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                        Thread.ofVirtual().start(() -> pump(client, server));
                        Thread.ofVirtual().start(() -> pump(server, client));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }

        private void pump(Socket from, Socket to) {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    synchronized (seen) {
                        seen.write(buffer, 0, n);
                    }
                    out.write(buffer, 0, n);
                }
            } catch (IOException ended) {
                // one side went away
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }

        byte[] seen() {
            synchronized (seen) {
                return seen.toByteArray();
            }
        }

        int port() {
            return listening.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            listening.close();
        }
    }
}
