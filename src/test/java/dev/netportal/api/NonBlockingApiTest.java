package dev.netportal.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.firewall.agent.AgentSettings;
import dev.netportal.firewall.agent.FirewallAgent;
import dev.netportal.firewall.agent.PortalLink;
import dev.netportal.firewall.dispatch.RevisionSigner;
import dev.netportal.firewall.protocol.SigningKeys;
import dev.netportal.testing.Api;
import dev.netportal.testing.PkceLogin;
import dev.netportal.testing.TestPortal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingMethod;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

/**
 * Nothing blocks the API's event loops: BlockHound watches the threads that must never wait (Netty's event loops
 * of the API server and of its HTTP clients, the database driver's, Reactor's parallel and single schedulers)
 * from before the portal starts, while the main API paths run with real tokens, the agent protocol included.
 * Every blocking call there is recorded with its stack, not thrown: thrown on an event loop it would often
 * surface as a 500 or not at all. Runs in a JVM of its own (surefire execution {@code non-blocking}, tag
 * {@code blockhound}), since BlockHound changes JDK and Netty classes for the whole JVM.
 */
@Tag("blockhound")
class NonBlockingApiTest {

    /** A blocking call on a thread that must not block: the method, the thread, and where it was called from. */
    record Blocked(String method, String thread, Throwable where) {

        boolean calledFrom(String className, String methodName) {
            return Arrays.stream(where.getStackTrace())
                    .anyMatch(frame -> frame.getClassName().startsWith(className) && frame.getMethodName().startsWith(methodName));
        }

        @Override
        public String toString() {
            return method + " on " + thread + "\n" + Arrays.stream(where.getStackTrace())
                    .map(frame -> "\tat " + frame).collect(Collectors.joining("\n"));
        }
    }

    private static final List<Blocked> BLOCKED = new CopyOnWriteArrayList<>();
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();
    private static TestPortal portal;

    @TempDir
    Path directory;

    @BeforeAll
    static void watchThenStart() {
        BlockHound.install(builder -> builder
                .nonBlockingThreadPredicate(current -> current.or(NonBlockingApiTest::mustNotBlock))
                // BlockHound knows the files of java.io, not of java.nio: Files.readString, writeString,
                // newInputStream and newOutputStream read and write through a FileChannelImpl
                .markAsBlocking("sun.nio.ch.FileChannelImpl", "read", "(Ljava/nio/ByteBuffer;)I")
                .markAsBlocking("sun.nio.ch.FileChannelImpl", "write", "(Ljava/nio/ByteBuffer;)I")
                // SecureRandom (UUID.randomUUID, agent credentials) refills its buffer from /dev/urandom: the
                // kernel's generator, which never waits once it is initialised at boot (Netty allows the same for
                // its DNS query ids)
                .allowBlockingCallsInside("sun.security.provider.NativePRNG$RandomIO", "implNextBytes")
                // once per JVM, in the class initialiser of Netty's epoll transport: its native library is copied
                // out of the jar and loaded, on whichever thread touches epoll first (the first database connection)
                .allowBlockingCallsInside("io.netty.channel.epoll.Native", "loadNativeLibrary")
                .blockingMethodCallback(NonBlockingApiTest::record));
        portal = TestPortal.start("--netportal.mode=api");
    }

    /** What happened after the last test, in the background or while the portal stopped, counts too. */
    @AfterAll
    static void stopThenCheck() {
        if (portal != null) {
            portal.close();
        }
        assertThat(BLOCKED).as("blocking calls on non-blocking threads").isEmpty();
    }

    /**
     * Named as well as marked: Netty's event loops and Reactor's parallel threads say so themselves (BlockHound's
     * Netty and Reactor integrations), the names keep the test honest should a pool stop saying it.
     */
    private static boolean mustNotBlock(Thread thread) {
        String name = thread.getName();
        return name.startsWith("reactor-http-") || name.startsWith("reactor-tcp-") || name.startsWith("webflux-http-")
                || name.startsWith("parallel-");
    }

    private static void record(BlockingMethod method) {
        BLOCKED.add(new Blocked(method.toString(), Thread.currentThread().getName(), new BlockingOperationError(method)));
    }

    @AfterEach
    void nothingBlocked() {
        assertThat(BLOCKED).as("blocking calls on non-blocking threads").isEmpty();
    }

    @Test
    void aBlockingCallOnAParallelThreadIsCaught() {
        Mono.fromRunnable(NonBlockingApiTest::sleepDeliberately).subscribeOn(Schedulers.parallel()).block(Duration.ofSeconds(10));
        Mono.fromRunnable(this::writeDeliberately).subscribeOn(Schedulers.parallel()).block(Duration.ofSeconds(10));

        assertThat(deliberate("sleepDeliberately")).as("the deliberate sleep was seen").singleElement()
                .satisfies(blocked -> {
                    assertThat(blocked.method()).startsWith("java.lang.Thread").contains("sleep");
                    assertThat(blocked.thread()).startsWith("parallel-");
                });
        assertThat(deliberate("writeDeliberately")).as("the deliberate file write was seen").isNotEmpty()
                .allSatisfy(blocked -> assertThat(blocked.method()).isEqualTo("sun.nio.ch.FileChannelImpl#write"));
        BLOCKED.removeAll(deliberate("sleepDeliberately"));
        BLOCKED.removeAll(deliberate("writeDeliberately"));
    }

    private static List<Blocked> deliberate(String method) {
        return BLOCKED.stream().filter(b -> b.calledFrom(NonBlockingApiTest.class.getName(), method)).toList();
    }

    private static void sleepDeliberately() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeDeliberately() {
        try {
            Files.writeString(directory.resolve("deliberate"), "written on a parallel thread");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theMainApiPathsBlockNoEventLoop() {
        assertThat(send("GET", null, "/actuator/health", null).status()).isEqualTo(200);
        assertThat(send("GET", null, "/v3/api-docs", null).status()).isEqualTo(200);
        assertThat(send("GET", null, "/v3/api-docs/swagger-config", null).status()).isEqualTo(200);
        assertThat(send("GET", null, "/swagger-ui/index.html", null).status()).isEqualTo(200);
        JsonNode me = ok(send("GET", "bob", "/api/v1/me", null), 200);
        assertThat(me.toString()).contains("tenant-a");
        ok(send("GET", "bob", "/api/v1/projects", null), 200);
        ok(send("GET", "bob", "/api/v1/partitions", null), 200);
        ok(send("GET", "bob", "/api/v1/partitions/nbg-1", null), 200);

        // a network: created once under a key, the replay answers the same; read, listed, renamed
        String key = UUID.randomUUID().toString();
        String body = "{\"name\":\"nb-web\",\"partition\":\"nbg-1\",\"prefixLength\":28}";
        String network = ok(send("POST", "bob", "/api/v1/projects/tenant-a/networks", body, "Idempotency-Key", key), 201)
                .get("id").asString();
        Api.Answer replay = send("POST", "bob", "/api/v1/projects/tenant-a/networks", body, "Idempotency-Key", key);
        assertThat(ok(replay, 201).get("id").asString()).isEqualTo(network);
        assertThat(replay.raw().headers().firstValue("Idempotent-Replayed")).contains("true");
        problem(send("POST", "bob", "/api/v1/projects/tenant-a/networks", "{\"name\":\"nb-other\",\"partition\":\"nbg-1\"}",
                "Idempotency-Key", key), 422, "idempotency-key-reused");
        ok(send("GET", "vera", "/api/v1/networks/" + network, null), 200);
        ok(send("GET", "bob", "/api/v1/projects/tenant-a/networks", null), 200);
        ok(send("PATCH", "carol", "/api/v1/networks/" + network, "{\"name\":\"nb-web-2\"}"), 200);

        // an IP: the lowest free one reserved, the same one asked for again refused, listed, released
        String ip = ok(send("POST", "carol", "/api/v1/networks/" + network + "/ips", "{\"name\":\"vip\"}",
                "Idempotency-Key", UUID.randomUUID().toString()), 201).get("ip").asString();
        problem(send("POST", "carol", "/api/v1/networks/" + network + "/ips", "{\"ip\":\"" + ip + "\"}"), 409, "I1-ip-taken");
        ok(send("GET", "vera", "/api/v1/networks/" + network + "/ips", null), 200);
        assertThat(send("DELETE", "carol", "/api/v1/networks/" + network + "/ips/" + ip, null).status()).isEqualTo(204);

        // problem details
        problem(send("GET", "bob", "/api/v1/networks/" + UUID.randomUUID(), null), 404, "not-found");
        assertThat(send("POST", "bob", "/api/v1/projects/tenant-a/networks", "{not json").status()).isEqualTo(400);
        problem(send("POST", "carol", "/api/v1/projects/tenant-a/machines", "{\"name\":\"x\",\"partition\":\"nbg-1\","
                + "\"size\":\"c1-large\"}"), 400, "network-required");
        assertThat(send("GET", null, "/api/v1/me", null).status()).isEqualTo(401);

        // a machine on the network: allocated, read, freed; a network in use is not deleted
        String machine = ok(send("POST", "carol", "/api/v1/projects/tenant-a/machines", "{\"name\":\"nb-m\",\"partition\":\"nbg-1\","
                + "\"size\":\"c1-large\",\"network\":\"" + network + "\"}", "Idempotency-Key", UUID.randomUUID().toString()), 201)
                .get("id").asString();
        ok(send("GET", "vera", "/api/v1/machines/" + machine, null), 200);
        ok(send("GET", "vera", "/api/v1/projects/tenant-a/machines", null), 200);
        problem(send("DELETE", "carol", "/api/v1/networks/" + network, null), 409, "N3-network-in-use");
        assertThat(send("DELETE", "carol", "/api/v1/machines/" + machine, null).status()).isEqualTo(204);

        // sharing: bob asks, the admin approves; the partition's catalogue lists it
        String shared = ok(send("POST", "bob", "/api/v1/projects/tenant-a/networks",
                "{\"name\":\"nb-shared\",\"partition\":\"nbg-1\",\"prefixLength\":28}"), 201).get("id").asString();
        String request = ok(send("POST", "bob", "/api/v1/networks/" + shared + "/share-requests",
                "{\"reason\":\"non-blocking test\",\"natType\":\"NONE\"}"), 201).get("id").asString();
        ok(send("GET", "admin", "/api/v1/share-requests?status=PENDING", null), 200);
        ok(send("POST", "admin", "/api/v1/share-requests/" + request + "/approve", "{\"comment\":\"fine\"}",
                "Idempotency-Key", UUID.randomUUID().toString()), 200);
        ok(send("GET", "bob", "/api/v1/share-requests/" + request, null), 200);
        ok(send("GET", "dave", "/api/v1/networks?partition=nbg-1", null), 200);

        ok(send("GET", "vera", "/api/v1/audit-events?project=tenant-a", null), 200);
        ok(send("GET", "admin", "/api/v1/audit-events?object=" + network, null), 200);
        assertThat(send("DELETE", "carol", "/api/v1/networks/" + network, null, "Idempotency-Key", UUID.randomUUID().toString())
                .status()).isEqualTo(204);
    }

    @Test
    void aFirewallAndItsAgentsStreamBlockNoEventLoop() {
        String own = ok(send("POST", "bob", "/api/v1/projects/tenant-a/networks",
                "{\"name\":\"nb-fw\",\"partition\":\"nbg-1\",\"prefixLength\":28}"), 201).get("id").asString();
        String shared = ok(send("POST", "bob", "/api/v1/projects/tenant-a/networks",
                "{\"name\":\"nb-fw-shared\",\"partition\":\"nbg-1\",\"prefixLength\":28}"), 201).get("id").asString();
        String request = ok(send("POST", "bob", "/api/v1/networks/" + shared + "/share-requests",
                "{\"reason\":\"for a firewall\",\"natType\":\"IPV4_MASQUERADE\"}"), 201).get("id").asString();
        ok(send("POST", "admin", "/api/v1/share-requests/" + request + "/approve", "{}"), 200);
        String internet = ok(send("GET", "bob", "/api/v1/partitions/nbg-1", null), 200)
                .get("externalNetworks").get(0).get("id").asString();

        JsonNode created = ok(send("POST", "bob", "/api/v1/projects/tenant-a/firewalls", "{\"name\":\"nb-edge\",\"partition\":\"nbg-1\","
                + "\"size\":\"c1-large\",\"networks\":[{\"network\":\"" + own + "\"},{\"network\":\"" + internet + "\"}]}",
                "Idempotency-Key", UUID.randomUUID().toString()), 201);
        String firewall = created.get("firewall").get("id").asString();
        String credential = created.get("agentCredential").asString();

        // the firewall's own agent dials in over WebSocket and takes the revisions from the stream
        RevisionSigner signer = portal.portal().core().getBean(RevisionSigner.class);
        try (PortalLink agent = PortalLink.start(new AgentSettings(List.of(URI.create(portal.apiUrl())), UUID.fromString(firewall),
                credential, SigningKeys.publicKeys(signer.publicKeyPem()), null, directory.resolve(firewall),
                FirewallAgent.Mode.RECORD, "/usr/lib/frr/frr-reload.py", Duration.ofSeconds(1), Duration.ofSeconds(10)))) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> agent.connectedTo() != null);
            ok(send("PUT", "bob", "/api/v1/firewalls/" + firewall + "/networks/" + shared, "{}"), 200);
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode sync = ok(send("GET", "bob", "/api/v1/firewalls/" + firewall, null), 200).get("sync");
                assertThat(sync.get("state").asString()).isEqualTo("IN_SYNC");
                assertThat(sync.get("appliedRevision").asInt()).isEqualTo(2);
            });
            assertThat(agent.appliedRevision()).isEqualTo(2);
        }
        ok(send("GET", "bob", "/api/v1/firewalls/" + firewall + "/config", null), 200);
        ok(send("GET", "bob", "/api/v1/firewalls/" + firewall + "/config/revisions", null), 200);
        ok(send("GET", "bob", "/api/v1/projects/tenant-a/firewalls", null), 200);
        ok(send("GET", "admin", "/api/v1/firewalls", null), 200);
        assertThat(send("GET", null, "/agent/v1/firewalls/" + firewall + "/stream", null, "Authorization", "Bearer wrong")
                .status()).isEqualTo(401);
        ok(send("DELETE", "bob", "/api/v1/firewalls/" + firewall + "/networks/" + shared, null), 200);
        assertThat(send("DELETE", "bob", "/api/v1/firewalls/" + firewall, null).status()).isEqualTo(204);
    }

    private static String token(String user) {
        return TOKENS.computeIfAbsent(user, u -> PkceLogin.accessToken(portal.issuer(), u, u));
    }

    private static Api.Answer send(String method, String user, String path, String json, String... headers) {
        return Api.send(method, portal.apiUrl() + path, user == null ? null : token(user), json, headers);
    }

    private static JsonNode ok(Api.Answer answer, int status) {
        assertThat(answer.status()).as(answer.raw().request().method() + " " + answer.raw().uri() + ": " + answer.raw().body())
                .isEqualTo(status);
        return answer.json();
    }

    private static void problem(Api.Answer answer, int status, String type) {
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().get("type").asString()).endsWith("/errors/" + type);
    }
}
