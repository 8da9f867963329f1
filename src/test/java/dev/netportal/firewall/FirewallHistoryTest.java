package dev.netportal.firewall;

import dev.netportal.firewall.dispatch.AgentStreams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netportal.common.DomainException;
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
import dev.netportal.sharing.ShareRequest;
import dev.netportal.sharing.ShareService;
import dev.netportal.testing.TestPortal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Why each revision exists, the admins' fleet, and the approval preview that stores nothing. */
class FirewallHistoryTest {

    private final TestPortal portal = TestPortal.shared();
    private static final ProjectId PROJECT = new ProjectId("history");
    private static final ProjectId OTHER = new ProjectId("history-shares");
    private static final Actor OWNER = new Actor("ho", "Hanna Owner", false, Map.of(PROJECT, ProjectRole.OWNER));
    private static final Actor SHARER = new Actor("hs", "Hugo Sharer", false, Map.of(OTHER, ProjectRole.OWNER));
    private static final Actor ADMIN = new Actor("ha", "Hedda Admin", true, Map.of());

    private <T> T bean(Class<T> type) {
        return portal.portal().core().getBean(type);
    }

    @Test
    void revisionsNameTheirCauseAndTheFleetAndPreviewShowTheState() {
        bean(ProjectService.class).createIfAbsent(Actor.system(), PROJECT, "History", "").block();
        bean(ProjectService.class).createIfAbsent(Actor.system(), OTHER, "History shares", "").block();
        NetworkService networks = bean(NetworkService.class);
        ShareService shares = bean(ShareService.class);
        Network own = networks.create(OWNER, PROJECT, new NewNetwork("hist-own", "nbg-1", Optional.of(28), "")).block();
        Network backup = networks.create(SHARER, OTHER, new NewNetwork("hist-backup", "nbg-1", Optional.of(28), "")).block();
        shares.approve(ADMIN, shares.file(SHARER, backup.id(), "history", "NONE").block().id(), null).block();
        UUID internet = bean(PartitionService.class).get(new PartitionId("nbg-1")).block().externalNetworks().getFirst().id();
        FirewallService firewalls = bean(FirewallService.class);
        Machine firewall = firewalls.allocate(OWNER, PROJECT, "hist-fw", new PartitionId("nbg-1"), "c1-large", List.of(
                new NetworkRequest(own.id(), Optional.empty()), new NetworkRequest(new NetworkId(internet), Optional.empty()))).block().firewall();
        firewalls.attach(OWNER, FirewallId.of(firewall.id()), backup.id(), List.of()).block();

        List<Revision> history = firewalls.history(OWNER, FirewallId.of(firewall.id()), 0, 10).block().items();
        assertThat(firewalls.history(OWNER, FirewallId.of(firewall.id()), 0, 1).block()).satisfies(first -> {
            assertThat(first.total()).isEqualTo(2);
            assertThat(first.items()).extracting(Revision::revision).containsExactly(2);
        });
        assertThat(firewalls.history(OWNER, FirewallId.of(firewall.id()), 1, 5).block().items()).extracting(Revision::revision).containsExactly(1);
        assertThat(firewalls.history(OWNER, FirewallId.of(firewall.id()), 9, 5).block().total()).as("past the end, still counted").isEqualTo(2);
        assertThat(history).extracting(Revision::revision).containsExactly(2, 1);
        assertThat(history).extracting(Revision::cause).containsExactly("shared network hist-backup attached", "firewall allocated");
        assertThat(history).extracting(Revision::actorName).containsOnly("Hanna Owner");
        assertThat(firewalls.revision(OWNER, FirewallId.of(firewall.id()), 2).block().nftables()).contains("hist-backup");
        assertThat(firewalls.revision(OWNER, FirewallId.of(firewall.id()), 1).block().nftables()).doesNotContain("hist-backup");
        assertThatThrownBy(() -> firewalls.revision(OWNER, FirewallId.of(firewall.id()), 99).block()).isInstanceOf(DomainException.class)
                .hasMessageContaining("Revision 99");
        assertThatThrownBy(() -> firewalls.history(SHARER, FirewallId.of(firewall.id()), 0, 10).block())
                .as("another project's firewall is not found").isInstanceOf(DomainException.class);

        var fleet = firewalls.fleet(ADMIN, false, 0, 500).block();
        assertThat(fleet.items()).extracting(FleetEntry::firewall).contains(firewall.id().value());
        assertThat(fleet.total()).isEqualTo(fleet.items().size())
                .isEqualTo(firewalls.fleetCounts(ADMIN).block().values().stream().mapToLong(Long::longValue).sum());
        var page = firewalls.fleet(ADMIN, false, 0, 1).block();
        assertThat(page.items()).hasSize(1);
        assertThat(fleet.items()).extracting(FleetEntry::firewall).contains(page.items().getFirst().firewall());
        assertThat(page.total()).isEqualTo(fleet.total());
        assertThat(firewalls.fleet(ADMIN, false, 10_000, 10).block().total()).as("past the end, still counted")
                .isEqualTo(fleet.total());
        assertThat(firewalls.fleet(ADMIN, true, 0, 500).block().items()).allMatch(entry -> entry.state() != dev.netportal.firewall.SyncStatus.IN_SYNC);
        assertThatThrownBy(() -> firewalls.fleet(OWNER, false, 0, 10).block()).isInstanceOf(DomainException.class)
                .hasMessageContaining("admins");

        // the owner's own network, about to be shared: its firewall is previewed, and nothing is stored
        ShareRequest request = shares.file(OWNER, own.id(), "preview", "IPV4_MASQUERADE").block();
        List<FirewallConfigs.Preview> impact = shares.impact(ADMIN, request.id()).block();
        assertThat(impact).extracting(FirewallConfigs.Preview::name).containsExactly("hist-fw");
        assertThat(impact.getFirst().now().hash()).isEqualTo(firewalls.config(OWNER, FirewallId.of(firewall.id())).block().hash());
        assertThat(firewalls.history(OWNER, FirewallId.of(firewall.id()), 0, 10).block().total()).isEqualTo(2);
        assertThatThrownBy(() -> shares.impact(OWNER, request.id()).block()).isInstanceOf(DomainException.class);
        shares.withdraw(OWNER, request.id(), null).block();
    }

    @Test
    void theNextTenantOfAMachineSeesNoneOfTheEarlierTenantsRevisionsAndItsAgentIsNotWelcome() {
        ProjectId first = new ProjectId("history-first");
        ProjectId second = new ProjectId("history-second");
        Actor one = new Actor("h1", "First Owner", false, Map.of(first, ProjectRole.OWNER));
        Actor two = new Actor("h2", "Second Owner", false, Map.of(second, ProjectRole.OWNER));
        bean(ProjectService.class).createIfAbsent(Actor.system(), first, "First", "").block();
        bean(ProjectService.class).createIfAbsent(Actor.system(), second, "Second", "").block();
        // a partition with one firewall machine: the second tenant gets the machine the first one freed
        bean(PartitionService.class).create(Actor.system(), new dev.netportal.partition.PartitionSpec("hist-one", "One", "",
                dev.netportal.ipam.Prefix.parse("10.96.0.0/16"), Optional.empty(), 28, 24, Map.of("fw", 1),
                List.of(new dev.netportal.partition.PartitionSpec.ExternalNetworkSpec("internet",
                        List.of(dev.netportal.ipam.Prefix.parse("100.96.0.0/24")),
                        List.of(dev.netportal.ipam.Prefix.parse("0.0.0.0/0")), dev.netportal.common.NatType.IPV4_MASQUERADE)), Optional.empty())).block();
        UUID internet = bean(PartitionService.class).get(new PartitionId("hist-one")).block().externalNetworks().getFirst().id();
        NetworkService networks = bean(NetworkService.class);
        FirewallService firewalls = bean(FirewallService.class);
        Network firstOwn = networks.create(one, first, new NewNetwork("first-own", "hist-one", Optional.empty(), "")).block();
        var earlier = firewalls.allocate(one, first, "first-fw", new PartitionId("hist-one"), "fw", List.of(
                new NetworkRequest(firstOwn.id(), Optional.empty()), new NetworkRequest(new NetworkId(internet), Optional.empty()))).block();
        firewalls.free(one, FirewallId.of(earlier.firewall().id())).block();

        Network secondOwn = networks.create(two, second, new NewNetwork("second-own", "hist-one", Optional.empty(), "")).block();
        var later = firewalls.allocate(two, second, "second-fw", new PartitionId("hist-one"), "fw", List.of(
                new NetworkRequest(secondOwn.id(), Optional.empty()), new NetworkRequest(new NetworkId(internet), Optional.empty()))).block();

        UUID machine = later.firewall().id().value();
        assertThat(machine).as("the same machine").isEqualTo(earlier.firewall().id().value());
        assertThat(firewalls.history(two, new FirewallId(machine), 0, 10).block().items()).extracting(Revision::revision).containsExactly(2);
        assertThatThrownBy(() -> firewalls.revision(two, new FirewallId(machine), 1).block()).as("the first tenant's revision")
                .isInstanceOf(DomainException.class);
        assertThat(firewalls.revision(two, new FirewallId(machine), 2).block().nftables()).contains("second-own").doesNotContain("first-own");
        assertThat(bean(AgentStreams.class).open(machine, earlier.agentCredential()).blockOptional())
                .as("the first tenant's agent gets no stream").isEmpty();
        assertThat(bean(AgentStreams.class).open(machine, later.agentCredential()).blockOptional()).isPresent();
    }

    @Test
    void aFirewallFreedAndAllocatedAgainWithTheSameNetworksIsConfiguredAgainWithAnAsNumberOfItsOwn() {
        ProjectId project = new ProjectId("history-again");
        Actor owner = new Actor("hg", "Greta Owner", false, Map.of(project, ProjectRole.OWNER));
        bean(ProjectService.class).createIfAbsent(Actor.system(), project, "Again", "").block();
        // one firewall machine: the second allocation gets the machine the first freed, with the same rendering
        bean(PartitionService.class).create(Actor.system(), new dev.netportal.partition.PartitionSpec("hist-two", "Two", "",
                dev.netportal.ipam.Prefix.parse("10.97.0.0/16"), Optional.empty(), 28, 24, Map.of("fw", 1),
                List.of(new dev.netportal.partition.PartitionSpec.ExternalNetworkSpec("internet",
                        List.of(dev.netportal.ipam.Prefix.parse("100.97.0.0/24")),
                        List.of(dev.netportal.ipam.Prefix.parse("0.0.0.0/0")), dev.netportal.common.NatType.IPV4_MASQUERADE)),
                Optional.empty())).block();
        UUID internet = bean(PartitionService.class).get(new PartitionId("hist-two")).block().externalNetworks().getFirst().id();
        FirewallService firewalls = bean(FirewallService.class);
        Network own = bean(NetworkService.class).create(owner, project, new NewNetwork("again-own", "hist-two", Optional.empty(), ""))
                .block();
        List<NetworkRequest> networks = List.of(new NetworkRequest(own.id(), Optional.empty()),
                new NetworkRequest(new NetworkId(internet), Optional.empty()));
        var first = firewalls.allocate(owner, project, "edge", new PartitionId("hist-two"), "fw", networks).block();
        FirewallConfig before = firewalls.config(owner, FirewallId.of(first.firewall())).block();
        firewalls.free(owner, FirewallId.of(first.firewall())).block();

        var again = firewalls.allocate(owner, project, "edge", new PartitionId("hist-two"), "fw", networks).block();
        assertThat(again.firewall().id()).as("the same machine").isEqualTo(first.firewall().id());
        FirewallConfig after = firewalls.config(owner, FirewallId.of(again.firewall())).block();
        assertThat(after).as("the new allocation has a configuration to deliver").isNotNull();
        long firstAsn = first.firewall().asn().orElseThrow();
        long againAsn = again.firewall().asn().orElseThrow();
        assertThat(againAsn).as("a new allocation is a new firewall: an AS number of its own").isNotEqualTo(firstAsn);
        assertThat(after.frr()).as("the same rendering but for the AS number")
                .isEqualTo(before.frr().replace(Long.toString(firstAsn), Long.toString(againAsn)));
        assertThat(after.nftables()).isEqualTo(before.nftables());
        assertThat(after.revision()).as("a revision of its own").isEqualTo(before.revision() + 1);
        assertThat(firewalls.history(owner, FirewallId.of(again.firewall()), 0, 10).block().items())
                .extracting(Revision::revision).containsExactly(after.revision());
        assertThat(bean(AgentStreams.class).open(again.firewall().id().value(), again.agentCredential()).blockOptional())
                .as("its agent is welcome").isPresent();
    }

    @Test
    void renamingANetworkRendersItsFirewallsAgainInTheSameTransaction() {
        bean(ProjectService.class).createIfAbsent(Actor.system(), PROJECT, "History", "").block();
        NetworkService networks = bean(NetworkService.class);
        Network own = networks.create(OWNER, PROJECT, new NewNetwork("before-rename", "nbg-1", Optional.of(28), "")).block();
        UUID internet = bean(PartitionService.class).get(new PartitionId("nbg-1")).block().externalNetworks().getFirst().id();
        FirewallService firewalls = bean(FirewallService.class);
        Machine firewall = firewalls.allocate(OWNER, PROJECT, "rename-fw", new PartitionId("nbg-1"), "c1-large", List.of(
                new NetworkRequest(own.id(), Optional.empty()), new NetworkRequest(new NetworkId(internet), Optional.empty())))
                .block().firewall();
        FirewallConfig before = firewalls.config(OWNER, FirewallId.of(firewall)).block();
        assertThat(before.frr() + before.nftables()).contains("before-rename");

        networks.update(OWNER, own.id(), dev.netportal.network.NetworkChange.of(Optional.of("after-rename"), Optional.empty(),
                Optional.empty())).block();

        FirewallConfig after = firewalls.config(OWNER, FirewallId.of(firewall)).block();
        assertThat(after.revision()).as("the rename is a revision of its own").isEqualTo(before.revision() + 1);
        assertThat(after.frr() + after.nftables()).contains("after-rename").doesNotContain("before-rename");
        assertThat(firewalls.history(OWNER, FirewallId.of(firewall), 0, 1).block().items().getFirst().cause())
                .isEqualTo("network renamed to after-rename");
        networks.update(OWNER, own.id(), dev.netportal.network.NetworkChange.of(Optional.empty(), Optional.of("only the text"),
                Optional.empty())).block();
        assertThat(firewalls.config(OWNER, FirewallId.of(firewall)).block().revision())
                .as("a description is not in the configuration: no new revision").isEqualTo(after.revision());
    }

    @Test
    void aChangeToASharedNetworkRendersAllItsFirewallsTogetherEachOnce() {
        ProjectId project = new ProjectId("history-many");
        ProjectId sharer = new ProjectId("history-many-shares");
        Actor owner = new Actor("hm", "Mia Owner", false, Map.of(project, ProjectRole.OWNER));
        Actor sharerOwner = new Actor("hn", "Nils Sharer", false, Map.of(sharer, ProjectRole.OWNER));
        bean(ProjectService.class).createIfAbsent(Actor.system(), project, "Many", "").block();
        bean(ProjectService.class).createIfAbsent(Actor.system(), sharer, "Many shares", "").block();
        NetworkService networks = bean(NetworkService.class);
        ShareService shares = bean(ShareService.class);
        Network shared = networks.create(sharerOwner, sharer, new NewNetwork("many-shared", "nbg-1", Optional.of(28), "")).block();
        shares.approve(ADMIN, shares.file(sharerOwner, shared.id(), "many", "NONE").block().id(), null).block();
        UUID internet = bean(PartitionService.class).get(new PartitionId("nbg-1")).block().externalNetworks().getFirst().id();
        FirewallService firewalls = bean(FirewallService.class);
        List<FirewallId> all = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Network own = networks.create(owner, project, new NewNetwork("many-own-" + i, "nbg-1", Optional.of(28), "")).block();
            all.add(FirewallId.of(firewalls.allocate(owner, project, "many-fw-" + i, new PartitionId("nbg-1"), "c1-large", List.of(
                    new NetworkRequest(own.id(), Optional.empty()), new NetworkRequest(new NetworkId(internet), Optional.empty()),
                    new NetworkRequest(shared.id(), Optional.empty()))).block().firewall()));
        }
        FirewallId freed = all.getLast();
        firewalls.free(owner, freed).block();
        List<FirewallId> allocated = all.subList(0, 4);

        // a rename renders every firewall of the network again, in the rename's transaction: one revision each
        networks.update(sharerOwner, shared.id(), dev.netportal.network.NetworkChange.of(Optional.of("many-renamed"), Optional.empty(),
                Optional.empty())).block();
        for (FirewallId firewall : allocated) {
            FirewallConfig config = firewalls.config(owner, firewall).block();
            assertThat(config.revision()).isEqualTo(2);
            assertThat(config.nftables()).contains("many-renamed").doesNotContain("many-shared");
            assertThat(firewalls.history(owner, firewall, 0, 1).block().items().getFirst().cause())
                    .isEqualTo("network renamed to many-renamed");
        }
        FirewallConfigs configs = bean(FirewallConfigs.class);
        assertThat(configs.current(freed).blockOptional()).as("the freed firewall is not rendered").isEmpty();

        // in chunks of two: nothing changed, nothing new (R4); then a NAT change, one new revision each
        var tx = bean(org.springframework.transaction.reactive.TransactionalOperator.class);
        List<UUID> ids = all.stream().map(FirewallId::value).toList();
        tx.transactional(configs.updateAll(ids, "again", "Tester", 2)).block();
        assertThat(allocated).allSatisfy(firewall -> assertThat(firewalls.config(owner, firewall).block().revision()).isEqualTo(2));
        var db = bean(org.springframework.r2dbc.core.DatabaseClient.class);
        tx.transactional(db.sql("UPDATE network SET nat_type = 'IPV4_MASQUERADE' WHERE id = :id").bind("id", shared.id().value()).then()
                .then(configs.updateAll(ids, "NAT changed", "Tester", 2))).block();
        for (FirewallId firewall : allocated) {
            FirewallConfig config = firewalls.config(owner, firewall).block();
            assertThat(config.revision()).isEqualTo(3);
            assertThat(config.hash()).as("what its networks render now").isEqualTo(configs.renderNow(firewall).block().hash());
            assertThat(config.nftables()).as("masqueraded behind its address in the shared network").contains("in many-renamed\"");
            assertThat(firewalls.revision(owner, firewall, 2).block().nftables()).doesNotContain("in many-renamed\"");
            assertThat(firewalls.history(owner, firewall, 0, 1).block().items().getFirst()).satisfies(newest -> {
                assertThat(newest.cause()).isEqualTo("NAT changed");
                assertThat(newest.actorName()).isEqualTo("Tester");
            });
        }
        assertThat(configs.current(freed).blockOptional()).isEmpty();
    }

    @Test
    void atStartAFirewallWhoseInputsChangedBehindItsBackIsRenderedAgainOnce() throws Exception {
        bean(ProjectService.class).createIfAbsent(Actor.system(), PROJECT, "History", "").block();
        Network own = bean(NetworkService.class).create(OWNER, PROJECT, new NewNetwork("start-own", "nbg-1", Optional.of(28), "")).block();
        UUID internet = bean(PartitionService.class).get(new PartitionId("nbg-1")).block().externalNetworks().getFirst().id();
        FirewallService firewalls = bean(FirewallService.class);
        Machine allocated = firewalls.allocate(OWNER, PROJECT, "start-fw", new PartitionId("nbg-1"), "c1-large", List.of(
                new NetworkRequest(own.id(), Optional.empty()), new NetworkRequest(new NetworkId(internet), Optional.empty())))
                .block().firewall();
        FirewallId firewall = FirewallId.of(allocated);
        long asn = allocated.asn().orElseThrow();
        // what a migration does: the inputs change without the services (here: the network's name)
        try (java.sql.Connection db = portal.database().connect(); java.sql.Statement sql = db.createStatement()) {
            sql.executeUpdate("UPDATE network SET name = 'start-renamed' WHERE id = '" + own.id() + "'");
        }

        bean(RenderAtStart.class).renderAll().block();
        List<Revision> history = firewalls.history(OWNER, firewall, 0, 10).block().items();
        assertThat(history).hasSize(2);
        assertThat(history.getFirst().cause()).isEqualTo(RenderAtStart.CAUSE);
        assertThat(history.getFirst().frr()).contains("start-renamed");
        assertThat(history.getFirst().frr()).as("its AS number stays").contains("router bgp " + asn + "\n")
                .isEqualTo(history.getLast().frr().replace("start-own", "start-renamed"));
        assertThat(firewalls.config(OWNER, firewall).block().revision()).isEqualTo(history.getFirst().revision());

        bean(RenderAtStart.class).renderAll().block();
        assertThat(firewalls.history(OWNER, firewall, 0, 10).block().total()).as("unchanged: nothing new").isEqualTo(2);
    }
}
