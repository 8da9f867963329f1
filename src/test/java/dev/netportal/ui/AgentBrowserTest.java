package dev.netportal.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import dev.netportal.firewall.dispatch.RevisionSigner;
import dev.netportal.firewall.agent.AgentSettings;
import dev.netportal.firewall.agent.FirewallAgent;
import dev.netportal.firewall.agent.PortalLink;
import dev.netportal.firewall.protocol.SigningKeys;
import dev.netportal.testing.Api;
import dev.netportal.testing.Browser;
import dev.netportal.testing.TestPortal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A firewall with an agent of its own, as its project sees it: an agent given the wrong public key of the portal
 * refuses every revision, and the page says so with the agent's reason; given the right key, it takes the revision,
 * and the page shows it connected and in sync, the earlier refusal still on record.
 */
class AgentBrowserTest {

    private final Browser browser = Browser.shared();
    private final TestPortal portal = TestPortal.shared();

    @Test
    void theFirewallPageShowsItsOwnAgentAndWhatItRefused() throws Exception {
        JsonNode own = Api.postAs(portal, "bob", "/api/v1/projects/tenant-a/networks",
                "{\"name\":\"selfagent-net\",\"partition\":\"fra-1\",\"prefixLength\":26}");
        UUID internet = portal.portal().core().getBean(dev.netportal.partition.PartitionService.class)
                .get(new dev.netportal.partition.PartitionId("fra-1")).block().externalNetworks().getFirst().id();
        JsonNode firewall = Api.postAs(portal, "bob", "/api/v1/projects/tenant-a/firewalls", "{\"name\":\"selfagent-fw\",\"partition\":\"fra-1\","
                + "\"size\":\"c1-large\",\"networks\":[{\"network\":\"" + own.get("id").asString() + "\"},{\"network\":\""
                + internet + "\"}]}");
        UUID id = UUID.fromString(firewall.path("firewall").path("id").asString());
        String credential = firewall.path("agentCredential").asString();
        Path directory = Files.createTempDirectory("agent-browser");

        Page bob = browser.signIn(portal, "bob");
        try (PortalLink wrongKey = agent(id, credential, List.of(SigningKeys.generate().getPublic()), directory)) {
            bob.navigate(portal.uiUrl() + "/firewalls/" + id);
            assertThat(bob.locator("#sync-state")).containsText("Failing", new com.microsoft.playwright.assertions.LocatorAssertions
                    .ContainsTextOptions().setIgnoreCase(true).setTimeout(15_000));
            assertThat(bob.locator("#sync-error")).containsText("does not trust");
            assertThat(bob.locator("#agent-refusal")).containsText("does not trust");
            assertThat(bob.locator("#config-revision")).containsText("its own agent, connected");
            Browser.screenshot(bob, "agent-refusing");
        }
        try (PortalLink rightKey = agent(id, credential,
                SigningKeys.publicKeys(portal.portal().core().getBean(RevisionSigner.class).publicKeyPem()), directory)) {
            assertThat(bob.locator("#sync-state")).containsText("In sync", new com.microsoft.playwright.assertions.LocatorAssertions
                    .ContainsTextOptions().setIgnoreCase(true).setTimeout(30_000));
            assertThat(bob.locator("#config-revision")).containsText("its own agent, connected");
            assertThat(bob.locator("#agent-refusal")).containsText("does not trust");
            Browser.screenshot(bob, "agent-in-sync");
        }
    }

    private static PortalLink agent(UUID firewall, String credential, List<java.security.PublicKey> keys, Path directory) {
        return PortalLink.start(new AgentSettings(List.of(URI.create(TestPortal.shared().apiUrl())), firewall, credential, keys,
                null, directory, FirewallAgent.Mode.RECORD, "/usr/lib/frr/frr-reload.py", java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(10)));
    }
}
