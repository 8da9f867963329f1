package dev.netportal.firewall;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.netportal.testing.TestPortal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The local run's record-mode agents: a new firewall's configuration is delivered, checked and in sync. */
class DispatcherTest {

    private final TestPortal portal = TestPortal.shared();

    @Test
    void aNewFirewallsConfigurationIsCheckedAndComesInSync() {
        var core = portal.portal().core();
        ProjectId project = new ProjectId("dispatch-test");
        core.getBean(ProjectService.class).createIfAbsent(Actor.system(), project, "Dispatch", "").block();
        Actor owner = new Actor("d", "D", false, Map.of(project, ProjectRole.OWNER));
        Network own = core.getBean(NetworkService.class).create(owner, project, new NewNetwork("dispatch", "nbg-1",
                Optional.of(28), "")).block();
        String internet = core.getBean(PartitionService.class).get(new PartitionId("nbg-1")).block().externalNetworks().getFirst().id().toString();
        FirewallService firewalls = core.getBean(FirewallService.class);
        Machine firewall = firewalls.allocate(owner, project, "dispatched", new PartitionId("nbg-1"), "c1-large", List.of(
                new NetworkRequest(own.id(), Optional.empty()),
                new NetworkRequest(new NetworkId(java.util.UUID.fromString(internet)), Optional.empty()))).block().firewall();

        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            FirewallConfig config = firewalls.config(owner, FirewallId.of(firewall.id())).block();
            assertThat(config.state()).isEqualTo(dev.netportal.firewall.SyncStatus.IN_SYNC);
            assertThat(config.appliedRevision()).isEqualTo(1);
        });
        assertThat(firewalls.config(owner, FirewallId.of(firewall.id())).block().lastError())
                .as("vtysh and nft are installed here, so nothing went unchecked").isNull();
    }
}
