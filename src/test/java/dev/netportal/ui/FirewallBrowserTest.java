package dev.netportal.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import dev.netportal.testing.Api;
import dev.netportal.testing.Browser;
import dev.netportal.testing.TestPortal;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The firewall journey in a real browser: bob allocates a firewall with his private network, the internet and
 * alice's shared network, a machine with a fixed IP, reads the refusal of a second private network, and detaches
 * and re-attaches the shared network.
 */
class FirewallBrowserTest {

    private final Browser browser = Browser.shared();
    private final TestPortal portal = TestPortal.shared();

    @Test
    void bobBuildsAFirewallAndAMachineAndAttachesAlicesSharedNetwork() {
        String storage = Api.postAs(portal, "alice", "/api/v1/projects/storage/networks",
                "{\"name\":\"storage-net\",\"partition\":\"fra-1\",\"prefixLength\":26}").get("id").asString();
        String request = Api.postAs(portal, "alice", "/api/v1/networks/" + storage + "/share-requests",
                "{\"reason\":\"storage for tenants\",\"natType\":\"IPV4_MASQUERADE\"}").get("id").asString();
        Api.postAs(portal, "admin", "/api/v1/share-requests/" + request + "/approve", "{}");
        JsonNode own = Api.postAs(portal, "bob", "/api/v1/projects/tenant-a/networks",
                "{\"name\":\"bob-private\",\"partition\":\"fra-1\",\"prefixLength\":26}");
        Api.postAs(portal, "bob", "/api/v1/projects/tenant-a/networks", "{\"name\":\"bob-second\",\"partition\":\"fra-1\",\"prefixLength\":26}");

        Page bob = browser.signIn(portal, "bob");
        bob.navigate(portal.uiUrl() + "/firewalls");
        bob.locator("#allocate-firewall").click();
        Browser.choose(bob, "#firewall-partition", "fra-1");
        bob.locator("#firewall-name input").fill("edge");
        Browser.choose(bob, "#firewall-primary", "bob-private");
        bob.locator("#firewall-shared input").fill("storage-net");
        try {
            bob.getByRole(com.microsoft.playwright.options.AriaRole.OPTION, new Page.GetByRoleOptions()
                    .setName(java.util.regex.Pattern.compile("storage-net"))).first().click();
        } catch (RuntimeException e) {
            Browser.screenshot(bob, "firewall-shared-choice-failed");
            throw e;
        }
        bob.keyboard().press("Tab");
        assertThat(bob.locator("#firewall-shared")).containsText("storage-net");
        bob.locator("#allocate").click();

        assertThat(bob.locator("#agent-credential input")).hasValue(java.util.regex.Pattern.compile("[A-Za-z0-9_-]{40,}"));
        bob.locator("#allocate").waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.DETACHED));
        Browser.screenshot(bob, "firewall-credential");
        bob.locator("#credential-done").click();
        bob.locator("#firewalls a", new Page.LocatorOptions().setHasText("edge")).click();
        assertThat(bob.locator("#firewall-networks")).containsText("Primary (private)");
        assertThat(bob.locator("#firewall-networks")).containsText("storage-net");
        assertThat(bob.locator("#firewall-networks")).containsText("Shared attachment");
        assertThat(bob.locator("#firewall-networks")).containsText("internet");
        // its own private AS number, the one its configuration runs BGP in
        assertThat(bob.locator("#firewall-asn")).hasText(java.util.regex.Pattern.compile("AS 42\\d{8}"));
        String asn = bob.locator("#firewall-asn").textContent().substring(3);
        assertThat(bob.locator("#config-frr")).containsText("router bgp " + asn);
        String firewallPage = bob.url();

        Browser.choose(bob, "#attach-network", "bob-second");
        bob.locator("#attach").click();
        assertThat(bob.locator("#attach-network")).containsText("A firewall may have only one private network (F3)");
        Browser.screenshot(bob, "firewall-second-private-refused");

        bob.locator("#firewall-networks .np-detach").click();
        assertThat(Browser.visibleCells(bob, "#firewall-networks", "storage-net")).hasCount(0);
        Browser.choose(bob, "#attach-network", "storage-net");
        bob.locator("#attach").click();
        assertThat(Browser.visibleCells(bob, "#firewall-networks", "storage-net").first()).isVisible();
        assertThat(bob.locator("#config-revision")).containsText("Revision 3 desired");
        // the record-mode agent applies it, and the page follows without a reload
        assertThat(bob.locator("#sync-state")).hasText("in sync");
        assertThat(bob.locator("#config-revision")).containsText("revision 3 applied");
        bob.locator("#config-nftables").click();
        assertThat(bob.locator("#config-nftables")).containsText("policy drop");
        Browser.screenshot(bob, "firewall-bob");
        bob.locator("#config-tabs vaadin-tab", new Page.LocatorOptions().setHasText("History")).click();
        assertThat(Browser.visibleCells(bob, "#config-history", "shared network storage-net attached")).hasCount(1);
        assertThat(Browser.visibleCells(bob, "#config-history", "shared network storage-net detached")).hasCount(1);
        assertThat(Browser.visibleCells(bob, "#config-history", "firewall allocated")).hasCount(1);
        Browser.visibleCells(bob, "#config-history", "shared network storage-net detached").click();
        assertThat(bob.locator("#config-revision-diff .np-diff-del", new Page.LocatorOptions().setHasText("storage-net")).first())
                .isVisible();
        Browser.screenshot(bob, "firewall-history");

        Page admin = browser.signIn(portal, "admin");
        admin.navigate(portal.uiUrl() + "/admin/firewalls");
        assertThat(Browser.visibleCells(admin, "#fleet", "edge").first()).isVisible();
        assertThat(admin.locator("#fleet-summary")).containsText("in sync,");
        Browser.screenshot(admin, "fleet");
        admin.locator("#fleet-not-in-sync input").check();
        assertThat(Browser.visibleCells(admin, "#fleet", "edge")).hasCount(0);

        String prefix = own.get("prefix").asString();
        String fixed = prefix.substring(0, prefix.lastIndexOf('.') + 1)
                + (Integer.parseInt(prefix.replaceAll(".*\\.(\\d+)/26$", "$1")) + 20);
        bob.navigate(portal.uiUrl() + "/machines");
        bob.locator("#allocate-machine").click();
        Browser.choose(bob, "#machine-partition", "fra-1");
        bob.locator("#machine-name input").fill("app-1");
        Browser.choose(bob, "#machine-network", "bob-private");
        bob.locator("#machine-ip-mode vaadin-radio-button", new Page.LocatorOptions().setHasText("fixed")).click();
        bob.locator("#machine-ip input").fill(prefix.substring(0, prefix.lastIndexOf('/')));
        assertThat(bob.locator("#machine-ip")).containsText("network address");
        bob.locator("#machine-ip input").fill(fixed);
        assertThat(bob.locator("#machine-ip")).containsText("is free in bob-private");
        bob.locator("#allocate").click();
        bob.locator("#allocate").waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.DETACHED));
        assertThat(bob.locator("#machines")).containsText("app-1");
        assertThat(bob.locator("#machines")).containsText(fixed);
        assertThat(bob.locator("#machines")).containsText("Through firewall edge");
        Browser.screenshot(bob, "machines-bob");

        Page vera = browser.signIn(portal, "vera");
        vera.navigate(firewallPage);
        assertThat(vera.locator("#firewall-title")).hasText("edge");
        assertThat(vera.locator("#attach")).isHidden();
        assertThat(vera.locator("#firewall-networks .np-detach")).hasCount(0);
    }
}
