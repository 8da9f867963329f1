package dev.netportal.firewall.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.firewall.protocol.Agent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent in apply mode, applying for real inside a network namespace of its own ({@code unshare -rn nft}), so
 * the host is never touched: the rendered ruleset applies atomically, a broken one is refused by the validator
 * before anything is applied, and a restarted agent remembers what it runs.
 */
class FirewallAgentTest {

    @TempDir
    Path directory;

    private static String golden(String name) throws Exception {
        return Files.readString(Path.of("src/test/resources/render", name));
    }

    private FirewallAgent agent(UUID firewall) {
        // each nft run is a fresh namespace: applying twice in a row also shows the file needs no prior table
        return new FirewallAgent(firewall, directory, FirewallAgent.Mode.APPLY, true, "/usr/lib/frr/frr-reload.py",
                List.of("unshare", "-rn", "nft"), List.of("vtysh", "-c", "show version"));
    }

    @Test
    void appliesTheRenderedRulesetAndRemembersTheRevision() throws Exception {
        UUID firewall = UUID.randomUUID();
        FirewallAgent agent = agent(firewall);
        Agent.Answer answer = agent.receive(new Agent.Delivery(firewall, 3, "h3", golden("two-shared.frr"), golden("two-shared.nft")));

        assertThat(answer).isInstanceOfSatisfying(Agent.Applied.class, applied -> {
            assertThat(applied.revision()).isEqualTo(3);
            assertThat(applied.note()).as("FRR does not run here, and the answer says so")
                    .contains("FRR does not run on this host");
        });
        assertThat(agent(firewall).appliedRevision()).as("a restarted agent knows what it runs").isEqualTo(3);
        assertThat(agent(firewall).receive(new Agent.Delivery(firewall, 2, "h2", "x", "y"))).isEqualTo(new Agent.Newer(3));
    }

    @Test
    void aRulesetTheKernelRefusesIsNotApplied() throws Exception {
        UUID firewall = UUID.randomUUID();
        FirewallAgent agent = agent(firewall);
        // a syntax error: the check refuses it, nothing is applied
        String misspelt = golden("two-shared.nft").replace("policy drop;", "policy sometimes;");
        assertThat(agent.receive(new Agent.Delivery(firewall, 1, "h1", golden("two-shared.frr"), misspelt)))
                .isInstanceOfSatisfying(Agent.Rejected.class, rejected ->
                        assertThat(rejected.message()).startsWith("nft -c:").contains("sometimes"));
        // a jump to a chain that does not exist passes the check; applying refuses it, and nft applies all or nothing
        String dangling = golden("two-shared.nft").replace("counter comment \"dropped: everything else\"", "jump nowhere");
        assertThat(agent.receive(new Agent.Delivery(firewall, 2, "h2", golden("two-shared.frr"), dangling)))
                .isInstanceOfSatisfying(Agent.Rejected.class, rejected ->
                        assertThat(rejected.message()).startsWith("nft -f:").contains("nowhere"));
        assertThat(agent.appliedRevision()).isZero();
        assertThat(agent(firewall).appliedRevision()).as("nothing remembered either").isZero();
    }

    @Test
    void aRoutingReloadThatFailsRejectsTheRevisionAndRestoresTheRulesThatRan() throws Exception {
        UUID firewall = UUID.randomUUID();
        // FRR "runs" (true); the first reload works (true), the second fails (false)
        FirewallAgent first = new FirewallAgent(firewall, directory, FirewallAgent.Mode.APPLY, true, "true",
                List.of("unshare", "-rn", "nft"), List.of("true"));
        assertThat(first.receive(new Agent.Delivery(firewall, 1, "h1", golden("private-internet.frr"), golden("private-internet.nft"))))
                .isInstanceOf(Agent.Applied.class);

        FirewallAgent failing = new FirewallAgent(firewall, directory, FirewallAgent.Mode.APPLY, true, "false",
                List.of("unshare", "-rn", "nft"), List.of("true"));
        Agent.Answer answer = failing.receive(new Agent.Delivery(firewall, 2, "h2", golden("two-shared.frr"), golden("two-shared.nft")));

        assertThat(answer).isInstanceOfSatisfying(Agent.Rejected.class, rejected -> assertThat(rejected.message())
                .startsWith("frr-reload.py:").contains("the nftables rules of revision 1 were restored"));
        assertThat(failing.appliedRevision()).as("revision 1 still runs").isEqualTo(1);
        assertThat(agent(firewall).appliedRevision()).as("and is what a restart remembers").isEqualTo(1);
    }
}
