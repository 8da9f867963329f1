package dev.netportal.sharing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netportal.common.DomainException;
import dev.netportal.identity.Actor;
import dev.netportal.identity.ProjectId;
import dev.netportal.identity.ProjectRole;
import dev.netportal.network.Network;
import dev.netportal.network.NetworkService;
import dev.netportal.network.NetworkType;
import dev.netportal.network.NewNetwork;
import dev.netportal.partition.PartitionId;
import dev.netportal.project.ProjectService;
import dev.netportal.testing.TestPortal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Share requests on the real PostgreSQL: the one-pending rule, the unshare trigger, and races with one winner. */
class ShareServiceTest {

    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final ProjectId PROJECT = new ProjectId("share-test");
    private static final Actor OWNER = new Actor("olga", "Olga Owner", false, Map.of(PROJECT, ProjectRole.OWNER));
    private static final Actor ADA = new Actor("ada", "Ada Admin", true, Map.of());
    private static final Actor ALAN = new Actor("alan", "Alan Admin", true, Map.of());

    private final TestPortal portal = TestPortal.shared();
    private final ShareService shares = portal.portal().core().getBean(ShareService.class);
    private final NetworkService networks = portal.portal().core().getBean(NetworkService.class);

    private Network network() {
        portal.portal().core().getBean(ProjectService.class).createIfAbsent(Actor.system(), PROJECT, "Share test", "").block();
        return networks.create(OWNER, PROJECT, new NewNetwork("shared-" + NEXT.incrementAndGet(), "nbg-1",
                Optional.of(28), "")).block();
    }

    @Test
    void approvalSharesTheNetworkForGoodWithTheRequestedNat() throws Exception {
        Network network = network();
        ShareRequest filed = shares.file(OWNER, network.id(), "backups for all tenants", "IPV4_MASQUERADE").block();
        assertThat(filed.status()).isEqualTo(ShareStatus.PENDING);
        assertThatThrownBy(() -> shares.file(OWNER, network.id(), "again", "NONE").block())
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.code()).isEqualTo("S1-request-pending"));
        assertThatThrownBy(() -> networks.delete(OWNER, network.id()).block())
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.code()).isEqualTo("N3-share-request-pending"));

        ShareRequest approved = shares.approve(ADA, filed.id(), null).block();

        assertThat(approved.status()).isEqualTo(ShareStatus.APPROVED);
        assertThat(approved.decidedByName()).isEqualTo("Ada Admin");
        Network shared = networks.get(OWNER, network.id()).block();
        assertThat(shared.type()).isEqualTo(NetworkType.CHILD_SHARED);
        assertThat(shared.natType()).isEqualTo(dev.netportal.common.NatType.IPV4_MASQUERADE);
        assertThat(shared.prefix()).isEqualTo(network.prefix());
        assertThat(shared.vrf()).isEqualTo(network.vrf());
        assertThatThrownBy(() -> shares.file(OWNER, network.id(), "once more", "NONE").block())
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.code()).isEqualTo("S1-already-shared"));
        assertThat(shares.catalogue(new PartitionId("nbg-1")).block()).extracting(SharedNetwork::id).contains(network.id());
        assertThat(shares.catalogue(new PartitionId("fra-1")).block()).extracting(SharedNetwork::id).doesNotContain(network.id());
        assertThat(query("SELECT action FROM audit_event WHERE object_id = '" + network.id() + "/share-requests/"
                + filed.id() + "' ORDER BY id")).containsExactly("share-request.file", "share-request.approve");
    }

    @Test
    void everyChangeIsAnnouncedOnceItsTransactionCommits() {
        Network network = network();
        ShareEvents events = portal.portal().core().getBean(ShareEvents.class);
        List<ShareRequestId> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        reactor.core.Disposable listening = events.changes().subscribe(seen::add);
        try {
            ShareRequest filed = shares.file(OWNER, network.id(), "announce it", "NONE").block();
            shares.reject(ADA, filed.id(), "not now").block();

            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(seen.stream().filter(filed.id()::equals))
                            .as("filed, then rejected; other tests' requests may show up too").hasSize(2));
        } finally {
            listening.dispose();
        }
    }

    @Test
    void theDatabaseRefusesToUnshareASharedNetworkWhoeverAsks() {
        Network network = network();
        shares.approve(ADA, shares.file(OWNER, network.id(), "shared storage", "NONE").block().id(), "fine").block();

        assertThatThrownBy(() -> execute("UPDATE network SET type = 'CHILD' WHERE id = '" + network.id() + "'"))
                .isInstanceOf(SQLException.class).hasMessageContaining("S4-unshare-forbidden");
        assertThatThrownBy(() -> execute("UPDATE network SET type = 'CHILD', nat_type = 'NONE' WHERE project_id = 'share-test'"))
                .isInstanceOf(SQLException.class).hasMessageContaining("can never become CHILD again");
        assertThat(networks.get(OWNER, network.id()).block().type()).isEqualTo(NetworkType.CHILD_SHARED);
    }

    @Test
    void theDatabaseHoldsOnePendingRequestPerNetworkAndFourEyes() throws Exception {
        Network network = network();
        String insert = "INSERT INTO share_request (id, network_id, project_id, requested_by, requested_by_name, reason, nat_type) "
                + "VALUES (gen_random_uuid(), '" + network.id() + "', 'share-test', 'olga', 'Olga', 'why', 'NONE')";
        execute(insert);

        assertThatThrownBy(() -> execute(insert)).isInstanceOf(SQLException.class)
                .hasMessageContaining("share_request_one_pending");
        assertThatThrownBy(() -> execute("UPDATE share_request SET status = 'APPROVED', decided_by = 'olga', "
                + "decided_by_name = 'Olga', decided_at = now() WHERE network_id = '" + network.id() + "'"))
                .isInstanceOf(SQLException.class).hasMessageContaining("share_request_check");
        assertThatThrownBy(() -> execute("UPDATE share_request SET status = 'REJECTED', decided_by = 'ada', "
                + "decided_by_name = 'Ada', decided_at = now() WHERE network_id = '" + network.id() + "'"))
                .as("a rejection without a comment").isInstanceOf(SQLException.class);
    }

    @Test
    void twoAdminsApprovingAtOnceEndInOneApprovalAndOneConflict() {
        for (int round = 0; round < 15; round++) {
            Network network = network();
            ShareRequest filed = shares.file(OWNER, network.id(), "race " + round, "NONE").block();

            List<String> outcomes = race(shares.approve(ADA, filed.id(), null), shares.approve(ALAN, filed.id(), null));

            assertThat(outcomes).as("round " + round).containsExactlyInAnyOrder("APPROVED", "S2-not-pending");
            assertThat(networks.get(OWNER, network.id()).block().type()).isEqualTo(NetworkType.CHILD_SHARED);
        }
    }

    @Test
    void anApprovalRacingAWithdrawalEndsInExactlyOneOfThem() {
        int approvals = 0;
        for (int round = 0; round < 15; round++) {
            Network network = network();
            ShareRequest filed = shares.file(OWNER, network.id(), "race " + round, "IPV4_MASQUERADE").block();

            List<String> outcomes = race(shares.approve(ADA, filed.id(), null), shares.withdraw(OWNER, filed.id(), null));

            assertThat(outcomes).as("round " + round).containsOnlyOnce("S2-not-pending")
                    .containsAnyOf("APPROVED", "WITHDRAWN").hasSize(2);
            ShareStatus after = shares.get(OWNER, filed.id()).block().status();
            NetworkType type = networks.get(OWNER, network.id()).block().type();
            assertThat(type).as("round " + round + ": shared exactly when approved")
                    .isEqualTo(after == ShareStatus.APPROVED ? NetworkType.CHILD_SHARED : NetworkType.CHILD);
            approvals += after == ShareStatus.APPROVED ? 1 : 0;
        }
        System.out.println("approval won " + approvals + " of 15 races against a withdrawal");
    }

    /** Runs both at the same time; answers each one's resulting status or refusal code. */
    private static List<String> race(Mono<ShareRequest> first, Mono<ShareRequest> second) {
        List<String> outcomes = new ArrayList<>();
        Mono.zip(outcome(first).subscribeOn(Schedulers.parallel()), outcome(second).subscribeOn(Schedulers.parallel()))
                .doOnNext(both -> {
                    outcomes.add(both.getT1());
                    outcomes.add(both.getT2());
                })
                .block();
        return outcomes;
    }

    private static Mono<String> outcome(Mono<ShareRequest> call) {
        return call.map(r -> r.status().name()).onErrorResume(DomainException.class, e -> Mono.just(e.code()));
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = portal.database().connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private List<String> query(String sql) throws SQLException {
        try (Connection c = portal.database().connect(); Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }
}
