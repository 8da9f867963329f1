package dev.netportal.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netportal.common.DomainException;
import dev.netportal.identity.Actor;
import dev.netportal.identity.ProjectId;
import dev.netportal.identity.ProjectRole;
import dev.netportal.ipam.Prefix;
import dev.netportal.partition.PartitionId;
import dev.netportal.partition.PartitionService;
import dev.netportal.partition.PartitionSpec;
import dev.netportal.project.ProjectService;
import dev.netportal.testing.TestPortal;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Private networks on the real PostgreSQL: first fit, fresh VRFs, length rules, exhaustion, roles, quotas. */
class NetworkServiceTest {

    private static final AtomicInteger NEXT = new AtomicInteger();

    private final TestPortal portal = TestPortal.shared();
    private final NetworkService networks = portal.portal().core().getBean(NetworkService.class);
    private final PartitionService partitions = portal.portal().core().getBean(PartitionService.class);
    private final ProjectService projects = portal.portal().core().getBean(ProjectService.class);

    /** A partition of its own with a small pool, and a project of its own with a member. */
    private record Fixture(String partition, ProjectId project, Actor member) {
    }

    private Fixture fixture(String pool) {
        return fixture(pool, Prefix.parse(pool).length());
    }

    private Fixture fixture(String pool, int shortestLength) {
        int n = NEXT.incrementAndGet();
        String partition = "net-test-" + n;
        ProjectId project = new ProjectId("net-project-" + n);
        projects.createIfAbsent(Actor.system(), project, "Project " + n, "").block();
        partitions.create(Actor.system(), new PartitionSpec(partition, "Test " + n, "", Prefix.parse(pool),
                Optional.empty(), 24, shortestLength, Map.of(), List.of(), Optional.empty())).block();
        return new Fixture(partition, project, new Actor("m" + n, "Member " + n, false, Map.of(project, ProjectRole.MEMBER)));
    }

    private Network create(Fixture f, Integer length) {
        return networks.create(f.member(), f.project(), new NewNetwork("net", f.partition(), Optional.ofNullable(length), "")).block();
    }

    @Test
    void carvesTheLowestFreePrefixOfTheAskedLengthWithAFreshVrf() {
        Fixture f = fixture("10.50.0.0/22");

        Network first = create(f, null);
        Network second = create(f, 23);
        Network third = create(f, 24);

        assertThat(first.prefix()).hasToString("10.50.0.0/24");
        assertThat(second.prefix()).as("a /23 skips the half-used first /23").hasToString("10.50.2.0/23");
        assertThat(third.prefix()).as("the hole left before the /23 is filled first").hasToString("10.50.1.0/24");
        assertThat(List.of(first.vrf(), second.vrf(), third.vrf())).doesNotHaveDuplicates().doesNotContainNull();
        assertThat(first.type()).isEqualTo(NetworkType.CHILD);
        assertThat(first.total()).isEqualTo(253);
        assertThat(first.allocated()).isZero();
    }

    @Test
    void anExhaustedPoolIsAConflictNamingPartitionAndLength() {
        Fixture f = fixture("10.51.0.0/23");
        create(f, 23);

        assertThatThrownBy(() -> create(f, 24)).isInstanceOfSatisfying(DomainException.class, e -> {
            assertThat(e.kind()).isEqualTo(DomainException.Kind.CONFLICT);
            assertThat(e.code()).isEqualTo("N1-pool-exhausted");
            assertThat(e.getMessage()).contains(f.partition()).contains("/24");
        });
    }

    @Test
    void refusesLengthsOutsideThePartitionsRange() {
        Fixture f = fixture("10.52.0.0/20", 22);

        for (int length : new int[] {21, 31, 32}) {
            assertThatThrownBy(() -> create(f, length)).as("/" + length)
                    .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.code()).isEqualTo("N1-prefix-length"));
        }
    }

    @Test
    void viewersMayNotCreateAndStrangersDoNotSeeTheProject() {
        Fixture f = fixture("10.53.0.0/22");
        Actor viewer = new Actor("v", "V", false, Map.of(f.project(), ProjectRole.VIEWER));
        Actor stranger = new Actor("s", "S", false, Map.of(new ProjectId("elsewhere"), ProjectRole.OWNER));
        NewNetwork request = new NewNetwork("net", f.partition(), Optional.empty(), "");

        assertThatThrownBy(() -> networks.create(viewer, f.project(), request).block())
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.FORBIDDEN));
        assertThatThrownBy(() -> networks.create(stranger, f.project(), request).block())
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.NOT_FOUND));
        Network created = create(f, null);
        assertThat(networks.get(viewer, created.id()).block().id()).isEqualTo(created.id());
        assertThatThrownBy(() -> networks.get(stranger, created.id()).block())
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.NOT_FOUND));
    }

    @Test
    void theNetworkQuotaIsNeverExceeded() throws Exception {
        Fixture f = fixture("10.54.0.0/22");
        try (Connection c = portal.database().connect(); Statement s = c.createStatement()) {
            s.execute("UPDATE project SET quota_networks = 1 WHERE id = '" + f.project() + "'");
        }
        create(f, null);

        assertThatThrownBy(() -> create(f, null)).isInstanceOfSatisfying(DomainException.class, e -> {
            assertThat(e.kind()).isEqualTo(DomainException.Kind.CONFLICT);
            assertThat(e.code()).isEqualTo("N4-quota-networks");
            assertThat(e.getMessage()).contains(f.project().value()).contains("1 networks");
        });
        assertThat(networks.list(f.member(), f.project()).block()).hasSize(1);
    }

    @Test
    void theDatabaseRefusesOverlappingChildPrefixes() throws Exception {
        Fixture f = fixture("10.55.0.0/22");
        create(f, null);
        Network second = create(f, null);

        try (Connection c = portal.database().connect(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("UPDATE network_prefix SET prefix = '10.55.0.128/25' WHERE network_id = '"
                    + second.id() + "'"))
                    .hasMessageContaining("conflicting key value violates exclusion constraint");
        }
    }

    @Test
    void deletedNetworksGiveTheirPrefixBackMergedWithFreeNeighbours() throws Exception {
        Fixture f = fixture("10.56.0.0/22");
        List<Network> all = List.of(create(f, 24), create(f, 24), create(f, 24), create(f, 24));

        for (Network network : List.of(all.get(1), all.get(3), all.get(0), all.get(2))) {
            networks.delete(f.member(), network.id()).block();
        }

        assertThat(freeBlocks(f.partition())).containsExactly("10.56.0.0/22");
        assertThat(networks.list(f.member(), f.project()).block()).isEmpty();
        assertThat(create(f, 22).prefix()).as("the whole pool is one block again").hasToString("10.56.0.0/22");
    }

    @Test
    void aNetworkWithIpsIsNotDeleted() {
        Fixture f = fixture("10.57.0.0/22");
        Network network = create(f, 24);
        portal.portal().core().getBean(IpService.class).allocate(f.member(), network.id(), Optional.empty(), null, "").block();
        Actor viewer = new Actor("v", "V", false, Map.of(f.project(), ProjectRole.VIEWER));

        assertThatThrownBy(() -> networks.delete(f.member(), network.id()).block())
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.code()).isEqualTo("N3-network-in-use");
                    assertThat(e.getMessage()).contains("net");
                });
        assertThatThrownBy(() -> networks.delete(viewer, network.id()).block())
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.FORBIDDEN));
        assertThat(networks.get(f.member(), network.id()).block().allocated()).isEqualTo(1);
    }

    @Test
    void aPartitionWithAnIpv6PoolGivesEveryNetworkAnIpv6SlashSixtyFourToo() throws Exception {
        int n = NEXT.incrementAndGet();
        String partition = "net-test-" + n;
        ProjectId project = new ProjectId("net-project-" + n);
        projects.createIfAbsent(Actor.system(), project, "Project " + n, "").block();
        partitions.create(Actor.system(), new PartitionSpec(partition, "Dual " + n, "", Prefix.parse("10.58.0.0/22"),
                Optional.of(Prefix.parse("fd00:58::/63")), 24, 22, Map.of(), List.of(), Optional.empty())).block();
        Actor member = new Actor("m" + n, "Member " + n, false, Map.of(project, ProjectRole.MEMBER));
        Fixture f = new Fixture(partition, project, member);

        Network first = create(f, null);
        Network second = create(f, null);

        assertThat(first.prefixes()).extracting(Object::toString).containsExactly("10.58.0.0/24", "fd00:58::/64");
        assertThat(second.prefixes()).extracting(Object::toString).containsExactly("10.58.1.0/24", "fd00:58:0:1::/64");
        assertThatThrownBy(() -> create(f, null)).as("the IPv6 pool holds two /64s")
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.code()).isEqualTo("N1-pool-exhausted");
                    assertThat(e.getMessage()).contains(partition).contains("/64").contains("IPv6");
                });
        assertThat(networks.list(member, project).block()).as("nothing half-created").hasSize(2);

        IpService ips = portal.portal().core().getBean(IpService.class);
        IpAddress v6 = ips.allocate(member, first.id(), Optional.of("fd00:58::10"), "v6-host", "").block();
        assertThat(v6.ip()).hasToString("fd00:58::10");
        assertThatThrownBy(() -> ips.allocate(member, first.id(), Optional.of("fd00:58::"), null, "").block())
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.code()).isEqualTo("I1-reserved"));
        assertThatThrownBy(() -> ips.allocate(member, first.id(), Optional.of("fd00:58:0:1::5"), null, "").block())
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.code()).isEqualTo("I1-outside"));
        ips.release(member, first.id(), "fd00:58::10").block();

        networks.delete(member, first.id()).block();
        networks.delete(member, second.id()).block();
        assertThat(freeBlocks(partition)).containsExactlyInAnyOrder("10.58.0.0/22", "fd00:58::/63");
    }

    private List<String> freeBlocks(String partition) throws Exception {
        try (Connection c = portal.database().connect(); Statement s = c.createStatement();
                java.sql.ResultSet rows = s.executeQuery("SELECT block::text FROM prefix_free_block WHERE partition_id = '"
                        + partition + "' ORDER BY block")) {
            List<String> blocks = new java.util.ArrayList<>();
            while (rows.next()) {
                blocks.add(rows.getString(1));
            }
            return blocks;
        }
    }

    @Test
    void adminsReadEveryProjectsNetworksAPageAtATimeFilteredInTheDatabase() {
        Fixture f = fixture("10.51.0.0/22");
        List<Network> made = List.of(create(f, null), create(f, null), create(f, null));
        Actor admin = new Actor("admin", "Admin", true, Map.of());
        Optional<PartitionId> partition = Optional.of(new PartitionId(f.partition()));

        var second = networks.listAll(admin, partition, "", 1, 1).block();

        assertThat(second.items()).extracting(Network::id).containsExactly(made.get(1).id());
        assertThat(second.total()).isEqualTo(3);
        var all = networks.listAll(admin, Optional.empty(), "", 1, 1).block();
        assertThat(all.items()).extracting(n -> n.id().value().toString()).as("by partition and age").containsExactlyElementsOf(portal.database()
                .column("SELECT id FROM network WHERE project_id IS NOT NULL ORDER BY partition_id, created_at, id OFFSET 1 LIMIT 1"));
        assertThat(all.total()).isEqualTo(Long.parseLong(portal.database()
                .column("SELECT count(*) FROM network WHERE project_id IS NOT NULL").getFirst()));
        assertThat(networks.listAll(admin, Optional.empty(), " 10.51.0.", 0, 10).block().items()).extracting(Network::id)
                .as("by a prefix's text").containsExactly(made.getFirst().id());
        assertThat(networks.listAll(admin, Optional.empty(), f.project().value().toUpperCase(), 0, 10).block().total())
                .as("by project, in any case").isEqualTo(3);
        assertThat(networks.listAll(admin, partition, "no-such-network", 0, 10).block().total()).isZero();
        assertThat(networks.listAll(admin, partition, "", 10, 10).block().total()).as("past the end, still counted").isEqualTo(3);
        assertThatThrownBy(() -> networks.listAll(f.member(), partition, "", 0, 10).block()).isInstanceOf(DomainException.class);
    }
}
