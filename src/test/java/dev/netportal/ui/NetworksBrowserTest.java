package dev.netportal.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import dev.netportal.testing.Browser;
import dev.netportal.testing.TestPortal;
import org.junit.jupiter.api.Test;

/** The networks journey in a real browser: a member creates a network; a viewer sees it without the button. */
class NetworksBrowserTest {

    private final Browser browser = Browser.shared();
    private final TestPortal portal = TestPortal.shared();

    @Test
    void bobCreatesANetworkThatVeraSeesAndDaveDoesNot() {
        Page bob = signIn("bob");
        bob.navigate(portal.uiUrl() + "/networks");
        bob.locator("#new-network").click();
        bob.locator("#network-name input").fill("frontend-ui");
        bob.locator("#network-length input").fill("24");
        assertThat(bob.locator("#network-length")).containsText("256 addresses");
        bob.locator("#create-network").click();

        assertThat(bob.locator("#networks")).containsText("frontend-ui");
        assertThat(bob.locator("#networks")).containsText("fra-1");
        assertThat(bob.locator("vaadin-notification-card")).containsText("Created frontend-ui: 10.0.");
        assertThat(bob.locator("#create-network")).isHidden();
        Browser.screenshot(bob, "networks-bob");

        Page vera = signIn("vera");
        vera.navigate(portal.uiUrl() + "/networks");
        assertThat(vera.locator("#networks")).containsText("frontend-ui");
        assertThat(vera.locator("#new-network")).isHidden();

        Page dave = signIn("dave");
        dave.navigate(portal.uiUrl() + "/networks");
        assertThat(dave.locator("h2")).containsText("Tenant B");
        assertThat(dave.locator("#networks")).not().containsText("frontend-ui");
    }

    @Test
    void aNetworkWithoutNameIsRefusedNextToTheField() {
        Page carol = signIn("carol");
        carol.navigate(portal.uiUrl() + "/networks");
        carol.locator("#new-network").click();
        carol.locator("#create-network").click();

        assertThat(carol.locator("#network-name")).containsText("needs a name");
        Browser.screenshot(carol, "new-network-refused");
    }

    private Page signIn(String user) {
        return browser.signIn(portal, user);
    }
}
