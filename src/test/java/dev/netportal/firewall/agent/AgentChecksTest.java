package dev.netportal.firewall.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.firewall.protocol.Agent;
import dev.netportal.firewall.protocol.Credentials;
import dev.netportal.firewall.protocol.SignedRevision;
import dev.netportal.firewall.protocol.SigningKeys;
import dev.netportal.firewall.protocol.StreamMessage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * What a real agent ({@link PortalLink}, record mode) does with what arrives on its stream, from a stand-in
 * portal that can send anything: it takes a revision signed for its firewall and allocation by a key it trusts
 * (either of two while the portal's key is rotated), and refuses, with a reason, everything else: unsigned,
 * another key, another firewall, another allocation, a changed text, number or expiry, an expired signature, an
 * older revision than it runs. The stream must carry the firewall's credential.
 */
class AgentChecksTest {

    private static final String CREDENTIAL = "the-firewalls-credential-0123456789abcdef";

    @TempDir
    Path directory;

    private final UUID firewall = UUID.randomUUID();
    private final KeyPair portalKey = SigningKeys.generate();
    private final KeyPair nextKey = SigningKeys.generate();
    private final KeyPair strangerKey = SigningKeys.generate();
    private final Sinks.Many<String> toAgent = Sinks.many().unicast().onBackpressureBuffer();
    private final BlockingQueue<String> fromAgent = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> authorizations = new LinkedBlockingQueue<>();
    private DisposableServer fakePortal;
    private PortalLink agent;

    @BeforeEach
    void start() {
        fakePortal = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.ws("/agent/v1/firewalls/" + firewall + "/stream", (in, out) -> {
                    authorizations.add(in.headers().get("Authorization", ""));
                    in.receive().asString(StandardCharsets.UTF_8).subscribe(fromAgent::add);
                    return out.sendString(toAgent.asFlux());
                }, WebsocketServerSpec.builder().maxFramePayloadLength(StreamMessage.MAX_BYTES).build()))
                .bindNow();
        agent = PortalLink.start(new AgentSettings(List.of(URI.create("http://127.0.0.1:" + fakePortal.port())), firewall,
                CREDENTIAL, List.of(portalKey.getPublic(), nextKey.getPublic()), null, directory, FirewallAgent.Mode.RECORD,
                "/usr/lib/frr/frr-reload.py", Duration.ofMinutes(1), Duration.ofMinutes(1)));
    }

    @AfterEach
    void stop() {
        agent.close();
        fakePortal.disposeNow();
    }

    private static String golden(String name) throws Exception {
        return Files.readString(Path.of("src/test/resources/render", name));
    }

    private SignedRevision signed(int revision, KeyPair key) throws Exception {
        return signed(firewall, Credentials.allocation(CREDENTIAL), revision, golden("two-shared.nft"), key,
                Instant.now().plusSeconds(600));
    }

    private static SignedRevision signed(UUID firewall, String allocation, int revision, String nftables, KeyPair key,
            Instant expires) throws Exception {
        return SignedRevision.sign(new Agent.Delivery(firewall, revision, "hash-" + revision + "-" + nftables.hashCode(),
                golden("two-shared.frr"), nftables), allocation, expires, SigningKeys.keyId(key.getPublic()), key.getPrivate());
    }

    /** Sends a revision and answers the agent's answer to it. */
    private Agent.Answer send(SignedRevision revision) throws Exception {
        String delivery = UUID.randomUUID().toString();
        toAgent.tryEmitNext(StreamMessage.encode(new StreamMessage.Revision(revision, delivery)));
        while (true) {
            String text = fromAgent.poll(30, TimeUnit.SECONDS);
            assertThat(text).as("an answer from the agent").isNotNull();
            if (StreamMessage.decode(text) instanceof StreamMessage.Answer(Agent.Answer answer, String answered)) {
                assertThat(answered).as("the answer names the delivery").isEqualTo(delivery);
                return answer;
            }
        }
    }

    private static SignedRevision with(SignedRevision r, int revision, String nftables, long expiresAt, UUID firewall) {
        return new SignedRevision(firewall, r.allocation(), revision, r.hash(), r.frr(), nftables, r.frrSha256(),
                r.nftablesSha256(), expiresAt, r.keyId(), r.signature());
    }

    @Test
    void theAgentConnectsWithTheCredentialAndSaysWhatItRuns() throws Exception {
        assertThat(authorizations.poll(10, TimeUnit.SECONDS)).isEqualTo("Bearer " + CREDENTIAL);
        String first = fromAgent.poll(10, TimeUnit.SECONDS);
        assertThat(StreamMessage.decode(first)).isEqualTo(new StreamMessage.Status(0, null, "RECORD"));
    }

    @Test
    void aRevisionSignedForThisFirewallAndAllocationIsTakenAndEverythingElseIsRefusedWithAReason() throws Exception {
        SignedRevision one = signed(1, portalKey);
        assertThat(send(one)).isInstanceOf(Agent.Applied.class);
        assertThat(agent.appliedRevision()).isEqualTo(1);

        SignedRevision two = signed(2, portalKey);
        assertRefused(send(with(two, 2, two.nftables().replace("policy drop;", "policy accept;"), two.expiresAt(), firewall)),
                "not the one signed");
        assertRefused(send(with(two, Integer.MAX_VALUE, two.nftables(), two.expiresAt(), firewall)), "does not verify");
        assertRefused(send(with(two, 2, two.nftables(), two.expiresAt() + 86_400, firewall)), "does not verify");
        UUID other = UUID.randomUUID();
        assertRefused(send(signed(other, two.allocation(), 2, two.nftables(), portalKey, Instant.now().plusSeconds(600))),
                "is for firewall " + other);
        assertRefused(send(with(two, 2, two.nftables(), two.expiresAt(), other)), "is for firewall " + other);
        assertRefused(send(signed(firewall, Credentials.allocation("an earlier credential"), 2, two.nftables(), portalKey,
                Instant.now().plusSeconds(600))), "another allocation");
        assertRefused(send(signed(2, strangerKey)), "does not trust");
        assertRefused(send(new SignedRevision(firewall, two.allocation(), 2, two.hash(), two.frr(), two.nftables(),
                two.frrSha256(), two.nftablesSha256(), two.expiresAt(), null, null)), "not signed");
        assertRefused(send(signed(firewall, two.allocation(), 2, two.nftables(), portalKey, Instant.now().minusSeconds(1))),
                "expired");
        assertThat(agent.appliedRevision()).as("nothing refused was taken").isEqualTo(1);
        assertThat(directory.resolve("2.nft")).as("nor written where the validators would see it").doesNotExist();

        // the portal's key is being rotated: the agent trusts both the old and the new key
        assertThat(send(signed(3, nextKey))).isInstanceOf(Agent.Applied.class);
        assertRefused(send(one), "older than revision 3");
        assertThat(agent.appliedRevision()).isEqualTo(3);
        assertThat(agent.lastRefusal()).contains("older than revision 3");
        assertThat(Files.readString(directory.resolve("status"))).as("the refusal, for whoever is on the firewall")
                .contains("lastRefusal=", "appliedRevision=3");
    }

    @Test
    void aSignedRevisionTheValidatorsRefuseIsRejectedWithTheirMessage() throws Exception {
        SignedRevision broken = signed(firewall, Credentials.allocation(CREDENTIAL), 1,
                golden("two-shared.nft").replace("policy drop;", "policy sometimes;"), portalKey, Instant.now().plusSeconds(600));
        assertThat(send(broken)).isInstanceOfSatisfying(Agent.Rejected.class, rejected ->
                assertThat(rejected.message()).startsWith("nft -c:").contains("sometimes"));
        assertThat(agent.appliedRevision()).isZero();
    }

    @Test
    void somethingThatIsNotARevisionIsRefusedAndTheStreamGoesOn() throws Exception {
        toAgent.tryEmitNext("{\"type\":\"revision\",\"revision\":\"many\"}");
        Agent.Answer answer = null;
        while (answer == null) {
            String text = fromAgent.poll(10, TimeUnit.SECONDS);
            assertThat(text).isNotNull();
            if (StreamMessage.decode(text) instanceof StreamMessage.Answer(Agent.Answer a, String ignored)) {
                answer = a;
            }
        }
        assertRefused(answer, "not a revision");
        assertThat(send(signed(1, portalKey))).isInstanceOf(Agent.Applied.class);
    }

    private static void assertRefused(Agent.Answer answer, String reason) {
        assertThat(answer).isInstanceOfSatisfying(Agent.Refused.class, refused -> assertThat(refused.reason()).contains(reason));
    }
}
