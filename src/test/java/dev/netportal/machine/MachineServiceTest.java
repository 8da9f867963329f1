package dev.netportal.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netportal.common.DomainException;
import dev.netportal.firewall.FirewallId;
import dev.netportal.firewall.FirewallService;
import dev.netportal.identity.Actor;
import dev.netportal.identity.ProjectId;
import dev.netportal.identity.ProjectRole;
import dev.netportal.ipam.Prefix;
import dev.netportal.network.Network;
import dev.netportal.network.NetworkId;
import dev.netportal.network.NetworkService;
import dev.netportal.network.NetworkType;
import dev.netportal.network.NewNetwork;
import dev.netportal.partition.Partition;
import dev.netportal.partition.PartitionId;
import dev.netportal.partition.PartitionService;
import dev.netportal.partition.PartitionSpec;
import dev.netportal.project.ProjectService;
import dev.netportal.sharing.ShareRequestId;
import dev.netportal.sharing.ShareService;
import dev.netportal.testing.TestPortal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Machines and firewalls through the services on the real PostgreSQL: every M and F rule, valid and invalid,
 * and the races (last free machines, two private networks at once, one fixed IP for two).
 */
class MachineServiceTest {

    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final Actor ADMIN = new Actor("ada", "Ada", true, Map.of());

    private final TestPortal portal = TestPortal.shared();
    private final MachineService machines = portal.portal().core().getBean(MachineService.class);
    private final FirewallService firewalls = portal.portal().core().getBean(FirewallService.class);
    private final NetworkService networks = portal.portal().core().getBean(NetworkService.class);
    private final ShareService shares = portal.portal().core().getBean(ShareService.class);

    /** A partition with an external network and three machines, a project with private and shared networks. */
    private record World(String partition, ProjectId project, Actor member, Network privateA, Network privateB,
                         Network ownShared, Network otherShared, UUID internet, Network elsewhere, Actor otherOwner) {
    }

    private World world() {
        int n = NEXT.incrementAndGet();
        String partition = "mach-" + n;
        ProjectService projects = portal.portal().core().getBean(ProjectService.class);
        PartitionService partitions = portal.portal().core().getBean(PartitionService.class);
        ProjectId project = new ProjectId("mach-project-" + n);
        ProjectId other = new ProjectId("mach-other-" + n);
        projects.createIfAbsent(Actor.system(), project, "Machines " + n, "").block();
        projects.createIfAbsent(Actor.system(), other, "Other " + n, "").block();
        partitions.create(Actor.system(), new PartitionSpec(partition, "M " + n, "", Prefix.parse("10." + (100 + n) + ".0.0/16"),
                Optional.empty(), 26, 16, Map.of("c1", 3),
                List.of(new PartitionSpec.ExternalNetworkSpec("internet", List.of(Prefix.parse("185." + (100 + n) + ".0.0/24")),
                        List.of(Prefix.parse("0.0.0.0/0")), dev.netportal.common.NatType.IPV4_MASQUERADE)), Optional.of(new PartitionSpec.Proxy("proxy.m", 3128))))
                .block();
        Actor member = new Actor("m" + n, "Member " + n, false, Map.of(project, ProjectRole.OWNER));
        Actor otherOwner = new Actor("o" + n, "Other " + n, false, Map.of(other, ProjectRole.OWNER));
        Network a = network(member, project, partition, "a");
        Network b = network(member, project, partition, "b");
        Network s = share(member, network(member, project, partition, "own-shared"));
        Network t = share(otherOwner, network(otherOwner, other, partition, "other-shared"));
        Network elsewhere = network(member, project, "nbg-1", "elsewhere");
        UUID internet = partitions.get(new PartitionId(partition)).block().externalNetworks().getFirst().id();
        return new World(partition, project, member, a, b, s, t, internet, elsewhere, otherOwner);
    }

    private Network network(Actor actor, ProjectId project, String partition, String name) {
        return networks.create(actor, project, new NewNetwork(name, partition, Optional.of(27), "")).block();
    }

    private Network share(Actor owner, Network network) {
        shares.approve(ADMIN, shares.file(owner, network.id(), "test", "NONE").block().id(), null).block();
        return networks.get(owner, network.id()).block();
    }

    private static NetworkRequest auto(UUID network) {
        return new NetworkRequest(new NetworkId(network), Optional.empty());
    }

    private static void refused(Supplier<Object> call, String code) {
        assertThatThrownBy(call::get).isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    @Test
    void aMachineSitsInExactlyOneOfItsProjectsNetworksOfItsPartition() {
        World w = world();

        Machine fixed = machines.allocate(w.member(), w.project(), "db", new PartitionId(w.partition()), "c1",
                new NetworkRequest(w.privateA().id(), Optional.of(w.privateA().prefix().toString().replace(".0/27", ".10")))).block();
        assertThat(fixed.networks()).singleElement().satisfies(a -> {
            assertThat(a.ip()).endsWith(".10");
            assertThat(a.primary()).isTrue();
        });
        assertThat(fixed.proxy()).isEmpty();
        assertThat(fixed.internetAccess()).isEqualTo("none: no firewall of the project in a");

        Machine onShared = machines.allocate(w.member(), w.project(), "web", new PartitionId(w.partition()), "c1", auto(w.ownShared().id().value())).block();
        assertThat(onShared.proxy()).as("M4: no firewall of its project in the shared network").contains("proxy.m:3128");

        refused(() -> machines.allocate(w.member(), w.project(), "x", new PartitionId(w.partition()), "c1", auto(w.otherShared().id().value())).block(),
                "M1-other-project");
        refused(() -> machines.allocate(w.member(), w.project(), "x", new PartitionId(w.partition()), "c1", auto(w.internet())).block(),
                "M1-network-type");
        refused(() -> machines.allocate(w.member(), w.project(), "x", new PartitionId(w.partition()), "c1", auto(w.elsewhere().id().value())).block(),
                "S5-partition");
        refused(() -> machines.allocate(w.member(), w.project(), "x", new PartitionId(w.partition()), "c1",
                new NetworkRequest(w.privateA().id(), Optional.of(fixed.networks().getFirst().ip()))).block(), "I1-ip-taken");
        refused(() -> machines.allocate(w.member(), w.project(), "x", new PartitionId(w.partition()), "c1",
                new NetworkRequest(w.privateA().id(), Optional.of(w.privateA().prefix().toString().replace(".0/27", ".1")))).block(), "I1-reserved");
        refused(() -> machines.allocate(w.member(), w.project(), "x", new PartitionId(w.partition()), "c1",
                new NetworkRequest(w.privateA().id(), Optional.of("192.0.2.1"))).block(), "I1-outside");
        refused(() -> machines.allocate(w.member(), w.project(), "x", new PartitionId(w.partition()), "xl", auto(w.privateA().id().value())).block(), "M1-size");

        machines.allocate(w.member(), w.project(), "third", new PartitionId(w.partition()), "c1", auto(w.privateB().id().value())).block();
        refused(() -> machines.allocate(w.member(), w.project(), "fourth", new PartitionId(w.partition()), "c1", auto(w.privateB().id().value())).block(),
                "M1-no-free-machine");

        machines.free(w.member(), fixed.id()).block();
        assertThat(networks.get(w.member(), w.privateA().id()).block().allocated()).as("M3: its IP went with it").isZero();
        Machine again = machines.allocate(w.member(), w.project(), "again", new PartitionId(w.partition()), "c1",
                new NetworkRequest(w.privateA().id(), Optional.of(w.privateA().prefix().toString().replace(".0/27", ".10")))).block();
        assertThat(again.id()).as("the freed machine is free again").isEqualTo(fixed.id());
    }

    @Test
    void aFirewallHasAtMostOnePrivateNetworkAnExternalOneAndSharedOnesOfAnyProject() {
        World w = world();

        FirewallService.Allocated created = firewalls.allocate(w.member(), w.project(), "fw", new PartitionId(w.partition()), "c1", List.of(
                auto(w.privateA().id().value()), auto(w.internet()), auto(w.otherShared().id().value()))).block();
        Machine fw = created.firewall();
        dev.netportal.firewall.FirewallConfig first = firewalls.config(w.member(), FirewallId.of(fw.id())).block();
        assertThat(first.revision()).isEqualTo(1);
        assertThat(first.state()).isEqualTo(dev.netportal.firewall.SyncStatus.PENDING);
        assertThat(first.frr()).contains("vrf vrf-" + w.privateA().vrf(), "import vrf vrf-" + w.otherShared().vrf());
        assertThat(first.nftables()).contains("oifname \"n" + w.otherShared().vrf() + "\"");
        assertThat(created.agentCredential()).hasSizeGreaterThanOrEqualTo(40);
        // the right credential is welcomed in AgentProtocolTest
        var streams = portal.portal().core().getBean(dev.netportal.firewall.dispatch.AgentStreams.class);
        assertThat(streams.open(fw.id().value(), "guess").blockOptional()).isEmpty();
        assertThat(streams.open(UUID.randomUUID(), created.agentCredential()).blockOptional())
                .as("the credential of another firewall").isEmpty();
        assertThat(fw.primary()).get().extracting(Machine.Attachment::network).isEqualTo(w.privateA().id());
        assertThat(fw.networks()).extracting(Machine.Attachment::type).containsExactly(NetworkType.CHILD, NetworkType.CHILD_SHARED, NetworkType.EXTERNAL);
        assertThat(fw.networks()).allSatisfy(a -> assertThat(a.ip()).isNotBlank());

        refused(() -> firewalls.allocate(w.member(), w.project(), "f", new PartitionId(w.partition()), "c1", List.of(
                auto(w.privateA().id().value()), auto(w.privateB().id().value()), auto(w.internet()))).block(), "F3-second-private");
        refused(() -> firewalls.allocate(w.member(), w.project(), "f", new PartitionId(w.partition()), "c1", List.of(auto(w.privateA().id().value()))).block(),
                "F1-external-required");
        refused(() -> firewalls.allocate(w.member(), w.project(), "f", new PartitionId(w.partition()), "c1", List.of(auto(w.internet()))).block(),
                "F1-private-required");
        refused(() -> firewalls.allocate(w.member(), w.project(), "f", new PartitionId(w.partition()), "c1", List.of(
                auto(w.otherShared().id().value()), auto(w.internet()))).block(), "F1-primary-shared");
        refused(() -> firewalls.allocate(w.member(), w.project(), "f", new PartitionId(w.partition()), "c1", List.of(
                auto(w.privateA().id().value()), auto(w.privateA().id().value()), auto(w.internet()))).block(), "F1-duplicate");
        refused(() -> firewalls.allocate(w.member(), w.project(), "f", new PartitionId(w.partition()), "c1", List.of(
                auto(w.elsewhere().id().value()), auto(w.internet()))).block(), "S5-partition");

        Machine inFront = firewalls.allocate(w.member(), w.project(), "front", new PartitionId(w.partition()), "c1", List.of(
                auto(w.ownShared().id().value()), auto(w.internet()))).block().firewall();
        assertThat(inFront.primary()).get().extracting(Machine.Attachment::network).isEqualTo(w.ownShared().id());

        refused(() -> firewalls.attach(w.member(), FirewallId.of(fw.id()), w.privateB().id(), List.of()).block(), "F3-second-private");
        refused(() -> firewalls.attach(w.member(), FirewallId.of(fw.id()), w.otherShared().id(), List.of()).block(), "F1-duplicate");
        refused(() -> firewalls.detach(w.member(), FirewallId.of(fw.id()), w.privateA().id()).block(), "F2-detach-shared-only");
        refused(() -> firewalls.detach(w.member(), FirewallId.of(fw.id()), new NetworkId(w.internet())).block(), "F2-detach-shared-only");

        Machine detached = firewalls.detach(w.member(), FirewallId.of(fw.id()), w.otherShared().id()).block();
        assertThat(detached.networks()).extracting(Machine.Attachment::network).doesNotContain(w.otherShared().id());
        assertThat(networks.lookup(w.otherShared().id()).block().allocated()).as("its IP there was released").isZero();
        Machine reattached = firewalls.attach(w.member(), FirewallId.of(fw.id()), w.otherShared().id(), List.of()).block();
        assertThat(reattached.networks()).extracting(Machine.Attachment::network).contains(w.otherShared().id());
        assertThat(firewalls.config(w.member(), FirewallId.of(fw.id())).block().revision()).as("allocation, detach, attach").isEqualTo(3);
        portal.portal().core().getBean(dev.netportal.firewall.FirewallConfigs.class).update(FirewallId.of(fw.id()), "test", "Test").block();
        assertThat(firewalls.config(w.member(), FirewallId.of(fw.id())).block().revision()).as("the same rendering: no new revision").isEqualTo(3);
    }

    @Test
    void quotasAndTheInventoryHoldForMachinesInUse() throws Exception {
        World w = world();
        try (java.sql.Connection c = portal.database().connect(); java.sql.Statement s = c.createStatement()) {
            s.execute("UPDATE project SET quota_machines = 1 WHERE id = '" + w.project().value() + "'");
        }
        Machine only = machines.allocate(w.member(), w.project(), "only", new PartitionId(w.partition()), "c1", auto(w.privateA().id().value())).block();
        refused(() -> machines.allocate(w.member(), w.project(), "second", new PartitionId(w.partition()), "c1", auto(w.privateA().id().value())).block(),
                "N4-quota-machines");

        PartitionService partitions = portal.portal().core().getBean(PartitionService.class);
        refused(() -> partitions.update(ADMIN, new PartitionId(w.partition()), new dev.netportal.partition.PartitionChange(Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, Map.of("c1", 0),
                Optional.empty(), Optional.empty(), dev.netportal.partition.FabricSettings.FabricChange.NONE)).block(), "P1-inventory-in-use");
        Partition shrunk = partitions.update(ADMIN, new PartitionId(w.partition()), new dev.netportal.partition.PartitionChange(Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, Map.of("c1", 1),
                Optional.empty(), Optional.empty(), dev.netportal.partition.FabricSettings.FabricChange.NONE)).block();
        assertThat(shrunk.freeInventory()).containsEntry("c1", 0);

        machines.free(w.member(), only.id()).block();
        assertThat(partitions.get(new PartitionId(w.partition())).block().freeInventory()).containsEntry("c1", 1);
    }

    @Test
    void theLastFreeMachinesGoToExactlyAsManyAllocationsAsThereAre() {
        World w = world();

        List<String> outcomes = Flux.range(0, 8)
                .flatMap(i -> outcome(machines.allocate(w.member(), w.project(), "race-" + i, new PartitionId(w.partition()), "c1",
                        auto(w.privateA().id().value())).map(m -> m.id().toString())).subscribeOn(Schedulers.parallel()), 8)
                .collectList().block();

        assertThat(outcomes.stream().filter(o -> !o.startsWith("M1-"))).hasSize(3).doesNotHaveDuplicates();
        assertThat(outcomes.stream().filter(o -> o.startsWith("M1-"))).hasSize(5).containsOnly("M1-no-free-machine");
        assertThat(networks.get(w.member(), w.privateA().id()).block().allocated()).isEqualTo(3);
    }

    @Test
    void twoAttachesOfAPrivateNetworkAtOnceNeverBothSucceedAndOneFixedIpHasOneWinner() {
        World w = world();
        Machine fw = firewalls.allocate(w.member(), w.project(), "fw", new PartitionId(w.partition()), "c1", List.of(
                auto(w.ownShared().id().value()), auto(w.internet()))).block().firewall();

        // a second firewall with only its own shared network: its private network can come only at allocation
        List<String> attaches = race(firewalls.attach(w.member(), FirewallId.of(fw.id()), w.otherShared().id(), List.of()).map(m -> "ok"),
                firewalls.attach(w.member(), FirewallId.of(fw.id()), w.otherShared().id(), List.of()).map(m -> "ok"));
        assertThat(attaches).containsExactlyInAnyOrder("ok", "F1-duplicate");

        String wanted = w.privateB().prefix().network().plus(20).toString();
        List<String> fixed = race(
                machines.allocate(w.member(), w.project(), "one", new PartitionId(w.partition()), "c1",
                        new NetworkRequest(w.privateB().id(), Optional.of(wanted))).map(m -> "ok"),
                machines.allocate(w.member(), w.project(), "two", new PartitionId(w.partition()), "c1",
                        new NetworkRequest(w.privateB().id(), Optional.of(wanted))).map(m -> "ok"));
        assertThat(fixed).containsExactlyInAnyOrder("ok", "I1-ip-taken");
    }

    @Test
    void renamingOrSharingANetworkWhileItsFirewallsChangeNeverDeadlocks() {
        World w = world();
        Machine fw = firewalls.allocate(w.member(), w.project(), "fw", new PartitionId(w.partition()), "c1", List.of(
                auto(w.privateA().id().value()), auto(w.otherShared().id().value()), auto(w.internet()))).block().firewall();
        FirewallId id = FirewallId.of(fw.id());
        // a rename locks the network, then renders its firewalls; a detach or attach locks the firewall, then the
        // network: both orders at once must not deadlock (the loser would be a 500)
        for (int round = 0; round < 12; round++) {
            String name = "other-shared-" + round;
            Mono<String> change = round % 2 == 0
                    ? firewalls.detach(w.member(), id, w.otherShared().id()).map(m -> "detached")
                    : firewalls.attach(w.member(), id, w.otherShared().id(), List.of()).map(m -> "attached");
            assertThat(race(networks.update(w.otherOwner(), w.otherShared().id(), new dev.netportal.network.NetworkChange(
                    Optional.of(name), Optional.empty(), Optional.empty(), false, Optional.empty())).map(n -> "renamed"), change))
                    .as("round " + round).containsExactlyInAnyOrder("renamed", round % 2 == 0 ? "detached" : "attached");
        }
        // approving a share renders the network's firewalls too, while freeing one of them locks it first
        Network shared = network(w.member(), w.project(), w.partition(), "to-share");
        Machine second = firewalls.allocate(w.member(), w.project(), "fw2", new PartitionId(w.partition()), "c1", List.of(
                auto(shared.id().value()), auto(w.internet()))).block().firewall();
        ShareRequestId request = shares.file(w.member(), shared.id(), "test", "NONE").block().id();
        assertThat(race(shares.approve(ADMIN, request, null).map(r -> "approved"),
                firewalls.free(w.member(), FirewallId.of(second.id())).thenReturn("freed")))
                .containsExactlyInAnyOrder("approved", "freed");
    }

    @Test
    void freeingTheSameMachineOrFirewallTwiceAtOnceFreesItOnceAndTheOtherIsNotFound() {
        World w = world();
        Machine machine = machines.allocate(w.member(), w.project(), "twice", new PartitionId(w.partition()), "c1",
                auto(w.privateA().id().value())).block();
        assertThat(race(machines.free(w.member(), machine.id()).thenReturn("freed"),
                machines.free(w.member(), machine.id()).thenReturn("freed"))).containsExactlyInAnyOrder("freed", "not-found");
        Machine firewall = firewalls.allocate(w.member(), w.project(), "fw-twice", new PartitionId(w.partition()), "c1", List.of(
                auto(w.privateA().id().value()), auto(w.internet()))).block().firewall();
        assertThat(race(firewalls.free(w.member(), FirewallId.of(firewall.id())).thenReturn("freed"),
                firewalls.free(w.member(), FirewallId.of(firewall.id())).thenReturn("freed")))
                .containsExactlyInAnyOrder("freed", "not-found");
        dev.netportal.project.Project.Quotas usage = portal.portal().core().getBean(ProjectService.class).visible(w.member(), 0, 500).block().items()
                .stream().filter(p -> p.id().equals(w.project())).findFirst().orElseThrow().usage();
        assertThat(usage.machines()).as("counted back once").isZero();
        assertThat(usage.firewalls()).as("counted back once").isZero();
    }

    private static List<String> race(Mono<String> first, Mono<String> second) {
        List<String> outcomes = new ArrayList<>();
        Mono.zip(outcome(first).subscribeOn(Schedulers.parallel()), outcome(second).subscribeOn(Schedulers.parallel()))
                .doOnNext(both -> {
                    outcomes.add(both.getT1());
                    outcomes.add(both.getT2());
                }).block();
        return outcomes;
    }

    private static Mono<String> outcome(Mono<String> call) {
        return call.onErrorResume(DomainException.class, e -> Mono.just(e.code()));
    }

    @Test
    void theOwnerOfASharedNetworkSeesThatItIsInUseButNotByWhom() {
        World w = world();
        firewalls.allocate(w.member(), w.project(), "secret-edge", new PartitionId(w.partition()), "c1", List.of(
                auto(w.privateA().id().value()), auto(w.otherShared().id().value()), auto(w.internet()))).block();
        assertThatThrownBy(() -> networks.delete(w.otherOwner(), w.otherShared().id()).block())
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.code()).isEqualTo("N3-network-in-use");
                    assertThat(e.getMessage()).contains("1 firewall of another project")
                            .doesNotContain("secret-edge").doesNotContain(w.project().value());
                });
        assertThatThrownBy(() -> networks.delete(w.member(), w.privateA().id()).block())
                .as("a project's own firewall is named to its own members")
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.getMessage()).contains("firewall secret-edge"));
    }
}
