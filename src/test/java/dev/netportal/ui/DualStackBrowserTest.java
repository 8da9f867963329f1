package dev.netportal.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.WaitForSelectorState;
import dev.netportal.testing.Api;
import dev.netportal.testing.Browser;
import dev.netportal.testing.TestPortal;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The dual-stack journey in a real browser: the admin creates a partition with an IPv4 and an IPv6 pool; bob creates
 * a network there (a prefix of each family), a machine with a fixed IPv6 address (and the lowest free IPv4 one),
 * and a firewall with alice's shared dual-stack network, whose configuration carries both families.
 */
class DualStackBrowserTest {

    private final Browser browser = Browser.shared();
    private final TestPortal portal = TestPortal.shared();

    @Test
    void aDualStackPartitionGivesNetworksMachinesAndFirewallsBothFamilies() {
        Page admin = browser.signIn(portal, "admin");
        admin.navigate(portal.uiUrl() + "/admin/partitions");
        admin.locator("#new-partition").click();
        admin.locator("#partition-id input").fill("ds-1");
        admin.locator("#partition-name input").fill("Dual stack 1");
        admin.locator("#partition-pools input").fill("10.40.0.0/16, fd00:40::/72");
        admin.locator("#partition-child-length input").fill("24");
        admin.locator("#partition-inventory input").fill("c1-large=4");
        admin.locator("#external-name input").fill("internet");
        admin.locator("#external-prefixes input").fill("185.1.40.0/24, 2001:db8:40::/64");
        admin.locator("#external-destinations input").fill("0.0.0.0/0, ::/0");
        admin.locator("#save-partition").click();
        assertThat(admin.locator("vaadin-notification-card").last()).containsText("IPv6 child lengths must satisfy pool length (/72)");
        admin.locator("#partition-pools input").fill("10.40.0.0/16, fd00:40::/56");
        admin.locator("#save-partition").click();
        assertThat(admin.locator("vaadin-notification-card").last()).containsText("Created partition ds-1");
        assertThat(admin.locator("#partitions-admin")).containsText("/24 (shortest /16), /64 (shortest /56)");
        assertThat(admin.locator("#partitions-admin")).containsText("2001:db8:40::/64");
        Browser.screenshot(admin, "dual-stack-partition");

        String storage = Api.postAs(portal, "alice", "/api/v1/projects/storage/networks",
                "{\"name\":\"storage-dual\",\"partition\":\"ds-1\"}").get("id").asString();
        String request = Api.postAs(portal, "alice", "/api/v1/networks/" + storage + "/share-requests",
                "{\"reason\":\"dual-stack storage\",\"natType\":\"IPV4_MASQUERADE\"}").get("id").asString();
        Api.postAs(portal, "admin", "/api/v1/share-requests/" + request + "/approve", "{}");

        Page bob = browser.signIn(portal, "bob");
        bob.navigate(portal.uiUrl() + "/networks");
        bob.locator("#new-network").click();
        Browser.choose(bob, "#network-partition", "ds-1");
        assertThat(bob.locator("#network-length-v6")).containsText("Dual stack: the network gets an IPv6 prefix too. Default /64");
        bob.locator("#network-name input").fill("bob-dual");
        bob.locator("#create-network").click();
        assertThat(bob.locator("vaadin-notification-card").last()).containsText("Created bob-dual: 10.40.1.0/24, fd00:40:0:1::/64");
        assertThat(bob.locator("#networks")).containsText("fd00:40:0:1::/64");
        Browser.screenshot(bob, "dual-stack-networks");
        bob.locator("#networks a", new Page.LocatorOptions().setHasText("bob-dual")).click();
        assertThat(bob.locator("#usage-label")).containsText("0 of 253 usable addresses in 10.40.1.0/24 reserved; 0 in fd00:40:0:1::/64");

        bob.navigate(portal.uiUrl() + "/machines");
        bob.locator("#allocate-machine").click();
        bob.locator("#machine-name input").fill("db-dual");
        Browser.choose(bob, "#machine-partition", "ds-1");
        Browser.choose(bob, "#machine-network", "bob-dual");
        bob.locator("#machine-ip-mode vaadin-radio-button", new Page.LocatorOptions().setHasText("fixed")).click();
        bob.locator("#machine-ip-v6 input").fill("10.40.1.9");
        assertThat(bob.locator("#machine-ip-v6")).containsText("is not an IPv6 address");
        bob.locator("#machine-ip-v6 input").fill("fd00:40:0:1::99");
        assertThat(bob.locator("#machine-ip-v6")).containsText("is free in bob-dual");
        assertThat(bob.locator("#machine-ip")).containsText("Empty: the lowest free IPv4 address");
        bob.locator("#allocate").click();
        bob.locator("#allocate").waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.DETACHED));
        assertThat(bob.locator("#machines")).containsText("10.40.1.2, fd00:40:0:1::99");
        Browser.screenshot(bob, "dual-stack-machine");

        bob.navigate(portal.uiUrl() + "/firewalls");
        bob.locator("#allocate-firewall").click();
        bob.locator("#firewall-name input").fill("gw-dual");
        Browser.choose(bob, "#firewall-partition", "ds-1");
        Browser.choose(bob, "#firewall-primary", "bob-dual");
        bob.locator("#firewall-shared input").fill("storage-dual");
        bob.getByRole(AriaRole.OPTION, new Page.GetByRoleOptions().setName(Pattern.compile("storage-dual"))).first().click();
        bob.keyboard().press("Tab");
        bob.locator("#allocate").click();
        bob.locator("#allocate").waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.DETACHED));
        bob.locator("#credential-done").click();
        bob.locator("#firewalls a", new Page.LocatorOptions().setHasText("gw-dual")).click();
        assertThat(bob.locator("#firewall-networks")).containsText("10.40.1.3, fd00:40:0:1::2");
        assertThat(bob.locator("#firewall-networks")).containsText("185.1.40.2, 2001:db8:40::2");
        assertThat(bob.locator("#firewall-networks")).containsText("storage-dual");
        assertThat(bob.locator("#config-frr")).containsText("address-family ipv6 unicast");
        assertThat(bob.locator("#config-frr")).containsText("ipv6 route ::/0 2001:db8:40::1");
        bob.locator("#config-nftables").click();
        assertThat(bob.locator("#config-nftables")).containsText("ip6 saddr fd00:40:0:1::/64");
        Browser.screenshot(bob, "dual-stack-firewall");
    }
}
