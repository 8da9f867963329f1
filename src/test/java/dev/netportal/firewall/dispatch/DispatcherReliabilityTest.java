package dev.netportal.firewall.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.firewall.FirewallConfig;
import dev.netportal.firewall.FirewallConfigs;
import dev.netportal.firewall.FirewallId;
import dev.netportal.firewall.FirewallService;
import dev.netportal.firewall.protocol.Agent;
import dev.netportal.firewall.protocol.StreamMessage;
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
import dev.netportal.testing.TestPortal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Delivery when things go wrong (D2, D3), on a portal whose own dispatcher is off, with dispatchers driven by the
 * test and agents that reject, fail or count: no retry storm, newest revision wins, two dispatchers deliver each
 * revision once, a crashed instance's lease expires and the work is picked up.
 */
class DispatcherReliabilityTest {

    private static final AtomicInteger NEXT = new AtomicInteger();
    private static TestPortal portal;

    @BeforeAll
    static void start() {
        portal = TestPortal.start("--netportal.dispatcher.enabled=false");
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    private static <T> T bean(Class<T> type) {
        return portal.portal().core().getBean(type);
    }

    private static final ProjectId PROJECT = new ProjectId("reliability");
    private static final Actor OWNER = new Actor("r", "R", false, Map.of(PROJECT, ProjectRole.OWNER));

    /** A firewall with a private network and the internet in nbg-1: revision 1 waits for delivery. */
    private static Machine firewall() {
        return allocated().firewall();
    }

    /** {@link #firewall()} with its agent's credential. */
    private static FirewallService.Allocated allocated() {
        bean(ProjectService.class).createIfAbsent(Actor.system(), PROJECT, "Reliability", "").block();
        Network own = bean(NetworkService.class).create(OWNER, PROJECT, new NewNetwork("r-" + NEXT.incrementAndGet(), "nbg-1",
                Optional.of(28), "")).block();
        UUID internet = bean(PartitionService.class).get(new PartitionId("nbg-1")).block().externalNetworks().getFirst().id();
        return bean(FirewallService.class).allocate(OWNER, PROJECT, "fw-" + NEXT.get(), new PartitionId("nbg-1"), "c1-large", List.of(
                new NetworkRequest(own.id(), Optional.empty()), new NetworkRequest(new NetworkId(internet), Optional.empty()))).block();
    }

    private static FirewallConfig config(Machine firewall) {
        return bean(FirewallService.class).config(OWNER, FirewallId.of(firewall.id())).block();
    }

    private static Dispatcher dispatcher(Agent agent) {
        return new Dispatcher(bean(DatabaseClient.class), agent);
    }

    /** Only the firewall under test is due: the others' next attempts move to the far future. */
    private static void onlyDue(Machine firewall) throws Exception {
        execute("UPDATE firewall_sync SET next_attempt_at = now() + interval '1 day' WHERE firewall_id <> '" + firewall.id() + "'");
    }

    private static void execute(String sql) throws Exception {
        try (Connection c = portal.database().connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    void anAgentThatConnectsWhileADeliveryIsUnderWayIsTriedAtOnce() throws Exception {
        FirewallService.Allocated allocated = allocated();
        Machine firewall = allocated.firewall();
        onlyDue(firewall);
        CountDownLatch delivering = new CountDownLatch(1);
        Sinks.One<Agent.Answer> answer = Sinks.one();
        Dispatcher dispatcher = dispatcher(delivery -> {
            delivering.countDown();
            return answer.asMono();
        });
        CompletableFuture<Integer> round = dispatcher.round().toFuture();
        assertThat(delivering.await(10, TimeUnit.SECONDS)).isTrue();

        // the firewall's own agent connects while the built-in one is still checking the revision
        AgentStreams.Stream stream = bean(AgentStreams.class).open(firewall.id().value(), allocated.agentCredential()).block();
        stream.inbound(StreamMessage.encode(new StreamMessage.Status(0, null, "RECORD"))).block();
        answer.tryEmitValue(new Agent.Rejected(1, "nft: syntax error in line 7"));
        assertThat(round.get(10, TimeUnit.SECONDS)).isEqualTo(1);

        try (Connection c = portal.database().connect(); Statement s = c.createStatement();
                ResultSet row = s.executeQuery("SELECT next_attempt_at <= now() AS due FROM firewall_sync WHERE firewall_id = '"
                        + firewall.id() + "'")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getBoolean("due")).as("the agent that connected meanwhile is tried at once, not after a backoff")
                    .isTrue();
            assertThat(String.valueOf(config(firewall).lastError())).as("the built-in agent's late answer is not the connected agent's")
                    .doesNotContain("syntax error");
        } finally {
            stream.closed().block();
        }
    }

    @Test
    void aRejectionIsRecordedAndNotRetriedAtOnce() throws Exception {
        Machine firewall = firewall();
        onlyDue(firewall);
        AtomicInteger calls = new AtomicInteger();
        Dispatcher dispatcher = dispatcher(delivery -> {
            calls.incrementAndGet();
            return Mono.just(new Agent.Rejected(delivery.revision(), "nft: syntax error in line 7"));
        });

        dispatcher.round().block();
        dispatcher.round().block();

        FirewallConfig config = config(firewall);
        assertThat(config.state()).isEqualTo(dev.netportal.firewall.SyncStatus.FAILING);
        assertThat(config.lastError()).contains("rejected revision 1").contains("syntax error in line 7");
        assertThat(config.nextRetryAt()).isAfter(java.time.OffsetDateTime.now().plusSeconds(1));
        assertThat(calls).as("no retry storm: the second round waits for the backoff").hasValue(1);
    }

    @Test
    void anUnreachableAgentIsRetriedAndTheNewestRevisionWins() throws Exception {
        Machine firewall = firewall();
        onlyDue(firewall);
        List<Integer> delivered = new CopyOnWriteArrayList<>();
        AtomicInteger failuresLeft = new AtomicInteger(1);
        Dispatcher dispatcher = dispatcher(delivery -> {
            delivered.add(delivery.revision());
            return failuresLeft.getAndDecrement() > 0 ? Mono.error(new java.net.ConnectException("connection refused"))
                    : Mono.just(new Agent.Applied(delivery.revision(), null));
        });

        dispatcher.round().block();
        assertThat(config(firewall).state()).isEqualTo(dev.netportal.firewall.SyncStatus.FAILING);
        assertThat(config(firewall).lastError()).contains("agent unreachable");

        // meanwhile the firewall changes twice: revisions 2 and 3
        execute("UPDATE firewall_config SET hash = 'stale' WHERE firewall_id = '" + firewall.id() + "'");
        bean(FirewallConfigs.class).update(FirewallId.of(firewall.id()), "test", "Test").block();
        execute("UPDATE firewall_config SET hash = 'stale' WHERE firewall_id = '" + firewall.id() + "'");
        bean(FirewallConfigs.class).update(FirewallId.of(firewall.id()), "test", "Test").block();
        execute("UPDATE firewall_sync SET next_attempt_at = now() WHERE firewall_id = '" + firewall.id() + "'");
        dispatcher.round().block();

        assertThat(delivered).as("1 failed; then only the newest").containsExactly(1, 3);
        FirewallConfig config = config(firewall);
        assertThat(config.state()).isEqualTo(dev.netportal.firewall.SyncStatus.IN_SYNC);
        assertThat(config.appliedRevision()).isEqualTo(3);
    }

    @Test
    void twoDispatchersDeliverEachFirewallOnce() throws Exception {
        List<Machine> firewalls = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            firewalls.add(firewall());
        }
        execute("UPDATE firewall_sync SET next_attempt_at = now() + interval '1 day'");
        for (Machine firewall : firewalls) {
            execute("UPDATE firewall_sync SET next_attempt_at = now() WHERE firewall_id = '" + firewall.id() + "'");
        }
        Map<UUID, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        Agent counting = delivery -> Mono.delay(java.time.Duration.ofMillis(20)).then(Mono.fromSupplier(() -> {
            deliveries.computeIfAbsent(delivery.firewall(), id -> new AtomicInteger()).incrementAndGet();
            return (Agent.Answer) new Agent.Applied(delivery.revision(), null);
        }));

        Mono.when(dispatcher(counting).round(), dispatcher(counting).round(), dispatcher(counting).round()).block();

        assertThat(deliveries.keySet()).containsExactlyInAnyOrderElementsOf(firewalls.stream().map(m -> m.id().value()).toList());
        assertThat(deliveries.values()).allSatisfy(count -> assertThat(count).hasValue(1));
        assertThat(firewalls).allSatisfy(f -> assertThat(config(f).state()).isEqualTo(dev.netportal.firewall.SyncStatus.IN_SYNC));
    }

    @Test
    void aLeaseOfACrashedInstanceExpiresAndAnotherDelivers() throws Exception {
        Machine firewall = firewall();
        onlyDue(firewall);
        // the first instance leases and never answers (it crashed)
        dispatcher(delivery -> Mono.never()).round().timeout(java.time.Duration.ofMillis(300), Mono.empty()).block();
        AtomicInteger calls = new AtomicInteger();
        Dispatcher survivor = dispatcher(delivery -> {
            calls.incrementAndGet();
            return Mono.just(new Agent.Applied(delivery.revision(), null));
        });

        survivor.round().block();
        assertThat(calls).as("leased by the crashed instance").hasValue(0);

        execute("UPDATE firewall_sync SET lease_until = now() - interval '1 second' WHERE firewall_id = '" + firewall.id() + "'");
        survivor.round().block();
        assertThat(calls).hasValue(1);
        assertThat(config(firewall).state()).isEqualTo(dev.netportal.firewall.SyncStatus.IN_SYNC);
    }

    @Test
    void anAgentThatNeverAnswersHoldsUpOnlyItsOwnFirewall() throws Exception {
        Machine silent = firewall();
        Machine other = firewall();
        execute("UPDATE firewall_sync SET next_attempt_at = now() + interval '1 day' WHERE firewall_id NOT IN ('"
                + silent.id() + "', '" + other.id() + "')");
        execute("UPDATE firewall_sync SET next_attempt_at = now() + interval '1 day' WHERE firewall_id = '" + other.id() + "'");
        Dispatcher dispatcher = new Dispatcher(bean(DatabaseClient.class), delivery -> delivery.firewall().equals(silent.id().value())
                ? Mono.never() : Mono.just(new Agent.Applied(delivery.revision(), null)), Dispatcher.LEASE,
                reactor.core.publisher.Flux.empty(), null, null, java.time.Duration.ofMillis(100));
        dispatcher.start();
        try {
            // the silent agent's delivery is under way (its lease taken) before the other firewall comes due
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> leased(silent));
            execute("UPDATE firewall_sync SET next_attempt_at = now() WHERE firewall_id = '" + other.id() + "'");
            long due = System.nanoTime();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() ->
                    config(other).state() == dev.netportal.firewall.SyncStatus.IN_SYNC);
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - due)).as("not after the silent agent's timeout")
                    .isLessThan(Dispatcher.DELIVERY_TIMEOUT.dividedBy(4));
            assertThat(config(silent).state()).isNotEqualTo(dev.netportal.firewall.SyncStatus.IN_SYNC);
        } finally {
            dispatcher.stop();
        }
    }

    private static boolean leased(Machine firewall) throws Exception {
        try (Connection c = portal.database().connect(); Statement s = c.createStatement();
                ResultSet row = s.executeQuery("SELECT lease_until > now() AS leased FROM firewall_sync WHERE firewall_id = '"
                        + firewall.id() + "'")) {
            return row.next() && row.getBoolean("leased");
        }
    }
}
