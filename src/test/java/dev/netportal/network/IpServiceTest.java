package dev.netportal.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netportal.common.DomainException;
import dev.netportal.identity.Actor;
import dev.netportal.identity.ProjectId;
import dev.netportal.identity.ProjectRole;
import dev.netportal.ipam.Prefix;
import dev.netportal.partition.PartitionService;
import dev.netportal.partition.PartitionSpec;
import dev.netportal.project.ProjectService;
import dev.netportal.testing.TestPortal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Static IPs on the real PostgreSQL: lowest free, specific, reserved, taken, outside, release and merge. */
class IpServiceTest {

    private static final AtomicInteger NEXT = new AtomicInteger();

    private final TestPortal portal = TestPortal.shared();
    private final NetworkService networks = portal.portal().core().getBean(NetworkService.class);
    private final IpService ips = portal.portal().core().getBean(IpService.class);

    private Actor member;
    private Network network;

    IpServiceTest() {
        int n = NEXT.incrementAndGet();
        ProjectId project = new ProjectId("ip-project-" + n);
        String partition = "ip-test-" + n;
        portal.portal().core().getBean(ProjectService.class).createIfAbsent(Actor.system(), project, "P", "").block();
        portal.portal().core().getBean(PartitionService.class).create(Actor.system(), new PartitionSpec(partition, "T", "",
                Prefix.parse("10.60.0.0/16"), Optional.empty(), 29, 24, Map.of(), List.of(), Optional.empty())).block();
        member = new Actor("m", "M", false, Map.of(project, ProjectRole.MEMBER));
        network = networks.create(member, project, new NewNetwork("small", partition, Optional.empty(), "")).block();
    }

    private String allocate(String ip) {
        return ips.allocate(member, network.id(), Optional.ofNullable(ip), null, "").block().ip().toString();
    }

    @Test
    void handsOutTheLowestFreeAddressNeverAReservedOne() {
        assertThat(network.prefix()).hasToString("10.60.0.0/29");

        assertThat(List.of(allocate(null), allocate(null), allocate(null))).containsExactly("10.60.0.2", "10.60.0.3", "10.60.0.4");
        assertThat(networks.get(member, network.id()).block().allocated()).isEqualTo(3);
    }

    @Test
    void aSpecificAddressLeavesTheLowerOnesFree() {
        assertThat(allocate("10.60.0.5")).isEqualTo("10.60.0.5");

        assertThat(List.of(allocate(null), allocate(null), allocate(null), allocate(null)))
                .containsExactly("10.60.0.2", "10.60.0.3", "10.60.0.4", "10.60.0.6");
        assertThatThrownBy(() -> allocate(null)).isInstanceOfSatisfying(DomainException.class,
                e -> assertThat(e.code()).isEqualTo("I3-network-full"));
    }

    @Test
    void refusesReservedTakenAndOutsideAddressesNamingThem() {
        allocate("10.60.0.3");

        assertRefused("10.60.0.0", DomainException.Kind.INVALID, "I1-reserved", "network address");
        assertRefused("10.60.0.1", DomainException.Kind.INVALID, "I1-reserved", "gateway");
        assertRefused("10.60.0.7", DomainException.Kind.INVALID, "I1-reserved", "broadcast");
        assertRefused("10.60.0.3", DomainException.Kind.CONFLICT, "I1-ip-taken", "10.60.0.3");
        assertRefused("10.61.0.3", DomainException.Kind.INVALID, "I1-outside", "10.60.0.0/29");
        assertRefused("not-an-ip", DomainException.Kind.INVALID, "ip-malformed", "not-an-ip");
    }

    @Test
    void releasedAddressesAreHandedOutAgainAndTheFreeRunsMerge() throws Exception {
        allocate(null);
        allocate(null);
        allocate(null);
        ips.release(member, network.id(), "10.60.0.3").block();
        ips.release(member, network.id(), "10.60.0.2").block();
        ips.release(member, network.id(), "10.60.0.4").block();

        assertThat(freeRuns(network.id().value())).containsExactly("10.60.0.2-10.60.0.6");
        assertThat(allocate(null)).isEqualTo("10.60.0.2");
        assertThatThrownBy(() -> ips.release(member, network.id(), "10.60.0.5").block())
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.NOT_FOUND));
    }

    @Test
    void viewersCannotReserve() {
        Actor viewer = new Actor("v", "V", false, Map.of(network.project(), ProjectRole.VIEWER));

        assertThatThrownBy(() -> ips.allocate(viewer, network.id(), Optional.empty(), null, "").block())
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.FORBIDDEN));
    }

    @Test
    void aRenameHereShowsAtOnceInRefusals() {
        allocate("10.60.0.3");

        networks.update(member, network.id(), NetworkChange.of(Optional.of("renamed-here"), Optional.empty(), Optional.empty())).block();

        assertRefused("10.60.0.3", DomainException.Kind.CONFLICT, "I1-ip-taken", "renamed-here");
    }

    @Test
    void aReservationChecksTheRememberedNetworkUnderItsLock() throws Exception {
        allocate(null);
        // another instance renames the network, then deletes it, while this one still remembers it
        execute("UPDATE network SET name = 'renamed-elsewhere' WHERE id = '" + network.id().value() + "'");
        String second = allocate(null);

        assertThat(eventAfter(second)).contains("\"network\": \"renamed-elsewhere\"").contains("\"ip\": \"" + second + "\"");

        execute("DELETE FROM ip WHERE network_id = '" + network.id().value() + "'",
                "DELETE FROM network WHERE id = '" + network.id().value() + "'");
        // not "full" nor "taken": the network is gone, whichever address is asked for
        for (String wanted : new String[] {null, "10.60.0.5"}) {
            assertThatThrownBy(() -> allocate(wanted)).as(String.valueOf(wanted)).isInstanceOfSatisfying(DomainException.class,
                    e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.NOT_FOUND));
        }
    }

    @Test
    void eachWayOfFindingAFreeRunHasAKeyOfItsOwn() throws Exception {
        // by first (taking an address, removing a used-up run) and by last (merging a released address): if both
        // keys began with the network, a plan made once for any value could read all of a fragmented network's runs
        // through the wrong one (I3: the cost must not grow with how full the network is)
        List<String> keys = new java.util.ArrayList<>();
        try (Connection c = portal.database().connect(); Statement s = c.createStatement(); ResultSet rows = s.executeQuery("""
                SELECT i.indexrelid::regclass::text || ' (' || string_agg(a.attname, ', ' ORDER BY k.ord) || ')'
                FROM pg_index i, unnest(i.indkey) WITH ORDINALITY k(attnum, ord), pg_attribute a
                WHERE i.indrelid = 'ip_free_range'::regclass AND a.attrelid = i.indrelid AND a.attnum = k.attnum
                GROUP BY i.indexrelid""")) {
            while (rows.next()) {
                keys.add(rows.getString(1));
            }
        }

        assertThat(keys).containsExactlyInAnyOrder("ip_free_range_pkey (network_id, prefix, first)",
                "ip_free_range_last_key (last, network_id, prefix)");
    }

    private void execute(String... statements) throws Exception {
        try (Connection c = portal.database().connect(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private String eventAfter(String ip) throws Exception {
        try (Connection c = portal.database().connect(); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT after::text FROM audit_event WHERE object_id = '"
                        + network.id().value() + "/" + ip + "' AND action = 'ip.allocate'")) {
            assertThat(rows.next()).as("the reservation's event").isTrue();
            return rows.getString(1);
        }
    }

    private void assertRefused(String ip, DomainException.Kind kind, String code, String mentions) {
        assertThatThrownBy(() -> allocate(ip)).as(ip).isInstanceOfSatisfying(DomainException.class, e -> {
            assertThat(e.kind()).isEqualTo(kind);
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).contains(mentions);
        });
    }

    private List<String> freeRuns(UUID network) throws Exception {
        try (Connection c = portal.database().connect(); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT host(first) || '-' || host(last) FROM ip_free_range "
                        + "WHERE network_id = '" + network + "' ORDER BY first")) {
            List<String> runs = new java.util.ArrayList<>();
            while (rows.next()) {
                runs.add(rows.getString(1));
            }
            return runs;
        }
    }
}
