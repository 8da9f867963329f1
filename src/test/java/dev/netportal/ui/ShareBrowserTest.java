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

/**
 * The sharing journey in real browsers, three users at once: alice asks to share her network, the admin's badge
 * counts it and the admin approves, alice's page follows without a reload, and bob finds the network in the
 * shared catalogue of its partition only.
 */
class ShareBrowserTest {

    private final Browser browser = Browser.shared();
    private final TestPortal portal = TestPortal.shared();

    @Test
    void aliceRequestsSharingAdminApprovesAliceSeesItLiveAndBobFindsItInFra1Only() {
        Page admin = browser.signIn(portal, "admin");
        admin.navigate(portal.uiUrl() + "/admin/approvals");
        Locator badge = admin.locator("#queue-badge");
        int before = badge.isVisible() ? Integer.parseInt(badge.textContent().strip()) : 0;

        Page alice = browser.signIn(portal, "alice");
        alice.navigate(portal.uiUrl() + "/networks");
        alice.locator("#new-network").click();
        Browser.choose(alice, "#network-partition", "fra-1");
        alice.locator("#network-name input").fill("backup-share");
        alice.locator("#network-length input").fill("24");
        alice.locator("#create-network").click();
        alice.locator("#networks a", new Page.LocatorOptions().setHasText("backup-share")).click();
        assertThat(alice.locator("#share-state")).containsText("Private network");
        // a firewall of alice's project protects the network: the review previews its configuration
        String network = alice.url().replaceAll(".*/networks/", "");
        String token = PkceLogin.accessToken(portal.issuer(), "alice", "alice");
        String internet = Api.get(portal.apiUrl() + "/api/v1/partitions/fra-1", token).json().get("externalNetworks").get(0)
                .get("id").asString();
        Api.Answer firewall = Api.send("POST", portal.apiUrl() + "/api/v1/projects/storage/firewalls", token,
                "{\"name\":\"storage-edge\",\"partition\":\"fra-1\",\"size\":\"c1-large\",\"networks\":[{\"network\":\""
                        + network + "\"},{\"network\":\"" + internet + "\"}]}");
        org.assertj.core.api.Assertions.assertThat(firewall.status()).as(firewall.raw().body()).isEqualTo(201);
        alice.locator("#request-sharing").click();
        assertThat(alice.locator("#share-warning")).containsText("cannot be undone");
        assertThat(alice.locator("#share-nat")).containsText("consumers' machines appear behind their firewall's address");
        alice.locator("#file-share-request").click();
        assertThat(alice.locator("#share-reason")).containsText("needs a reason");
        alice.locator("#share-reason textarea").fill("Backups for every tenant of fra-1");
        alice.locator("#file-share-request").click();
        assertThat(alice.locator("#share-state")).containsText("waits for an admin");
        alice.locator("#file-share-request").waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.DETACHED));
        Browser.screenshot(alice, "share-requested-alice");

        assertThat(badge).hasText(String.valueOf(before + 1));
        admin.locator("#approval-queue vaadin-grid-cell-content", new Page.LocatorOptions().setHasText("backup-share")).click();
        assertThat(admin.locator("#review")).containsText("Backups for every tenant of fra-1");
        assertThat(admin.locator("#review")).containsText("Alice Storage");
        assertThat(admin.locator("#review")).containsText("only firewalls in this partition can attach it");
        assertThat(admin.locator("#impact")).containsText("0 of the 1 firewalls that use backup-share");
        assertThat(admin.locator("#impact vaadin-details").first()).containsText("storage-edge (storage): no change");
        admin.locator("#impact vaadin-details-summary").first().click();
        assertThat(admin.locator("#impact .np-diff-none").first()).hasText("No change.");
        Browser.screenshot(admin, "approval-review-admin");
        admin.locator("#approve").click();
        assertThat(admin.locator("vaadin-notification-card").last()).containsText("backup-share is now a shared network");
        if (before == 0) {
            assertThat(badge).isHidden();
        } else {
            assertThat(badge).hasText(String.valueOf(before));
        }

        assertThat(alice.locator("#share-state")).containsText("Shared network");
        assertThat(alice.locator("#share-state")).containsText("Approved by Ada Admin");
        assertThat(alice.locator("#share-state")).containsText("proxy proxy.fra-1.example:31280");
        assertThat(alice.locator("#request-sharing")).hasCount(0);
        // a shared network nothing uses may be deleted (N3), in the UI as in the API
        assertThat(alice.locator("#delete-network")).isVisible();
        Browser.screenshot(alice, "shared-alice");

        Page bob = browser.signIn(portal, "bob");
        bob.navigate(portal.uiUrl() + "/shared-networks");
        Browser.choose(bob, "#catalogue-partition", "fra-1");
        assertThat(bob.locator("#shared-networks")).containsText("backup-share");
        assertThat(bob.locator("#shared-networks")).containsText("Storage");
        Browser.choose(bob, "#catalogue-partition", "nbg-1");
        assertThat(Browser.visibleCells(bob, "#shared-networks", "backup-share")).hasCount(0);

        // a consumer reads the shared network's page (V1): what the catalogue shows, nothing of its owner's use
        Browser.choose(bob, "#catalogue-partition", "fra-1");
        bob.locator("#shared-networks a", new Page.LocatorOptions().setHasText("backup-share")).click();
        assertThat(bob.locator("#network-title")).hasText("backup-share");
        assertThat(bob.locator("#consumer-note")).containsText("attach it to a firewall of yours in fra-1");
        assertThat(bob.locator("#reserve-ip")).hasCount(0);
        assertThat(bob.locator("#delete-network")).hasCount(0);
        Browser.screenshot(bob, "shared-network-consumer");
    }
}
