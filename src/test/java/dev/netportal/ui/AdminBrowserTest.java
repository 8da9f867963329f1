package dev.netportal.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import dev.netportal.testing.Api;
import dev.netportal.testing.Browser;
import dev.netportal.testing.PkceLogin;
import dev.netportal.testing.TestPortal;
import org.junit.jupiter.api.Test;

/** The platform admin's pages in a real browser: partitions, projects and quotas, all networks, the audit log. */
class AdminBrowserTest {

    private final Browser browser = Browser.shared();
    private final TestPortal portal = TestPortal.shared();

    @Test
    void anAdminCreatesAndChangesAPartitionAndFindsItInTheAuditLog() {
        Page admin = browser.signIn(portal, "admin");
        admin.locator("#admin-nav").getByText("Partitions").click();
        assertThat(admin.locator("#partitions-admin")).containsText("10.0.0.0/16");

        admin.locator("#new-partition").click();
        admin.locator("#partition-id input").fill("lei-1");
        admin.locator("#partition-name input").fill("Leipzig 1");
        admin.locator("#partition-pools input").fill("10.30.0.0/16");
        admin.locator("#partition-child-length input").fill("24");
        admin.locator("#partition-inventory input").fill("c1-large=8, s2-xlarge=2");
        admin.locator("#external-name input").fill("internet");
        admin.locator("#external-prefixes input").fill("185.1.30.0/24");
        admin.locator("#external-destinations input").fill("0.0.0.0/0");
        assertThat(admin.locator("#partition-bgp-keepalive input")).hasValue("3");
        admin.locator("#partition-bgp-keepalive input").fill("10");
        admin.locator("#save-partition").click();
        // the hold time is still 9 s
        assertThat(admin.locator("vaadin-notification-card").last()).containsText("not possible with keepalives every 10 s");
        admin.locator("#partition-bgp-hold-time input").fill("30");
        admin.locator("#save-partition").click();

        assertThat(admin.locator("vaadin-notification-card").last()).containsText("Created partition lei-1");
        assertThat(admin.locator("#partitions-admin")).containsText("10 s / 30 s, no-export");
        assertThat(admin.locator("#partitions-admin")).containsText("Leipzig 1");
        assertThat(admin.locator("#partitions-admin")).containsText("c1-large=8, s2-xlarge=2");
        assertThat(admin.locator("#partitions-admin")).containsText("185.1.30.0/24 → 0.0.0.0/0 (IPV4_MASQUERADE)");

        admin.locator("#edit-partition-lei-1").click();
        admin.locator("#partition-proxy-host input").fill("proxy.lei-1.example");
        admin.locator("#partition-inventory input").fill("c1-large=10");
        admin.locator("#save-partition").click();
        assertThat(admin.locator("vaadin-notification-card").last())
                .containsText("The proxy proxy.lei-1.example needs a port from 1 to 65535.");
        admin.locator("#partition-proxy-port input").fill("3128");
        admin.locator("#save-partition").click();
        admin.locator("#save-partition").waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.DETACHED));
        assertThat(admin.locator("#partitions-admin")).containsText("proxy.lei-1.example:3128");
        assertThat(Browser.visibleCells(admin, "#partitions-admin", "s2-xlarge=2")).hasCount(0);
        Browser.screenshot(admin, "admin-partitions");

        admin.navigate(portal.uiUrl() + "/audit");
        admin.locator("#audit-action").click();
        admin.locator("vaadin-select-item", new Page.LocatorOptions().setHasText("Partitions")).click();
        assertThat(admin.locator("#audit-events")).containsText("partition.update");
        assertThat(admin.locator("#audit-events")).containsText("lei-1");
        assertThat(Browser.visibleCells(admin, "#audit-events", "partition.update").first()).isVisible();
        assertThat(Browser.visibleCells(admin, "#audit-events", "network.create")).hasCount(0);
        Browser.screenshot(admin, "audit-log-admin");
    }

    @Test
    void anAdminCreatesAProjectWithQuotasAndSeesAllNetworks() {
        Page admin = browser.signIn(portal, "admin");
        admin.navigate(portal.uiUrl() + "/admin/projects");
        admin.locator("#new-project").click();
        admin.locator("#project-id input").fill("ui-demo");
        admin.locator("#project-name input").fill("UI demo");
        admin.locator("#quota-networks input").fill("2");
        admin.locator("#save-project").click();
        assertThat(admin.locator("#projects-admin")).containsText("UI demo");
        assertThat(admin.locator("#projects-admin")).containsText("0 of 2");

        admin.locator("#new-project").click();
        admin.locator("#project-id input").fill("ui-demo");
        admin.locator("#project-name input").fill("Again");
        admin.locator("#save-project").click();
        assertThat(admin.locator("#project-id")).containsText("exists already");
        admin.keyboard().press("Escape");
        admin.locator("#edit-project-ui-demo").click();
        admin.locator("#quota-networks input").fill("5");
        admin.locator("#save-project").click();
        assertThat(admin.locator("#projects-admin")).containsText("0 of 5");
        admin.locator("#save-project").waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.DETACHED));
        Browser.screenshot(admin, "admin-projects");

        Api.Answer created = Api.send("POST", portal.apiUrl() + "/api/v1/projects/tenant-b/networks",
                PkceLogin.accessToken(portal.issuer(), "dave", "dave"), "{\"name\":\"daves-db\",\"partition\":\"nbg-1\"}");
        org.assertj.core.api.Assertions.assertThat(created.status()).isEqualTo(201);
        admin.navigate(portal.uiUrl() + "/admin/networks");
        assertThat(admin.locator("#all-networks")).containsText("daves-db");
        assertThat(admin.locator("#all-networks")).containsText("tenant-b");
        admin.locator("#all-networks-filter input").fill("no-such-network");
        assertThat(Browser.visibleCells(admin, "#all-networks", "daves-db")).hasCount(0);
    }

    @Test
    void aTenantHasNoAdminPages() {
        Page bob = browser.signIn(portal, "bob");
        assertThat(bob.locator("#admin-nav")).hasCount(0);

        bob.navigate(portal.uiUrl() + "/admin/partitions");

        assertThat(bob.locator("vaadin-notification-card")).containsText("for platform admins");
        assertThat(bob.locator("#partitions-admin")).hasCount(0);
        assertThat(bob.locator("#projects")).isVisible();
    }
}
