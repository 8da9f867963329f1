package dev.netportal.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import dev.netportal.testing.Browser;
import dev.netportal.testing.TestPortal;
import org.junit.jupiter.api.Test;

/** Signing in through the real login page of the development provider, in a real browser. */
class SignInBrowserTest {

    private final Browser browser = Browser.shared();
    private final TestPortal portal = TestPortal.shared();

    @Test
    void aliceSeesHerNameAndHerProject() {
        Page page = signIn("alice");

        assertThat(page.locator("#user-name")).hasText("Alice Storage");
        assertThat(page.locator("#projects")).containsText("Storage");
        assertThat(page.locator("#projects")).containsText("owner");
        assertThat(page.locator("#project-switcher")).containsText("Storage (owner)");
        Browser.screenshot(page, "overview-alice");
    }

    @Test
    void bobSeesTenantAButNotStorage() {
        Page page = signIn("bob");

        assertThat(page.locator("#user-name")).hasText("Bob Tenant-A");
        assertThat(page.locator("#projects")).containsText("Tenant A");
        assertThat(page.locator("#projects")).not().containsText("Storage");
        assertThat(page.locator("#projects")).not().containsText("storage");
        assertThat(page.locator("#project-switcher")).not().containsText("Storage");
    }

    @Test
    void theAdminIsToldWhatAnAdminDoesAndHasNoProjectToSwitchTo() {
        Page page = signIn("admin");

        assertThat(page.locator("#user-name")).hasText("Ada Admin");
        assertThat(page.getByText("You are a platform admin")).isVisible();
        assertThat(page.locator("#project-switcher")).isHidden();
        Browser.screenshot(page, "overview-admin");
    }

    @Test
    void signingOutEndsTheProviderSessionToo() {
        Page page = signIn("carol");

        page.locator("#user-name").click();
        page.locator("#sign-out").click();
        page.waitForURL(portal.uiUrl() + "/signed-out");
        assertThat(page.locator("h2")).hasText("You have signed out of Netportal");
        Browser.screenshot(page, "signed-out");

        page.navigate(portal.uiUrl() + "/");
        page.waitForURL(portal.issuer() + "/login");
        assertThat(page.locator("#username")).isVisible();
    }

    private Page signIn(String user) {
        return browser.signIn(portal, user);
    }
}
