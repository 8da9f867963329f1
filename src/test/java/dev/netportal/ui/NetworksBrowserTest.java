package dev.netportal.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import dev.netportal.testing.Browser;
import dev.netportal.testing.TestPortal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The networks journey in a real browser: a member creates a network; a viewer sees it without the button. */
class NetworksBrowserTest {

    private final Browser browser = Browser.shared();
    private final TestPortal portal = TestPortal.shared();

    @Test
    void bobCreatesANetworkThatVeraSeesAndDaveDoesNot() {
        Page bob = signIn("bob");
        org.assertj.core.api.Assertions.assertThat(bob.url()).as("back where the browser started, without a marker")
                .isEqualTo(portal.uiUrl() + "/");
        bob.navigate(portal.uiUrl() + "/networks");
        bob.locator("#new-network").click();
        Browser.choose(bob, "#network-partition", "fra-1");
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
    void bobReservesAutomaticAndSpecificIpsAndSeesTheUsageMove() {
        Page bob = signIn("bob");
        bob.navigate(portal.uiUrl() + "/networks");
        bob.locator("#new-network").click();
        Browser.choose(bob, "#network-partition", "fra-1");
        bob.locator("#network-name input").fill("ip-journey");
        bob.locator("#network-length input").fill("28");
        bob.locator("#create-network").click();
        bob.locator("#networks a", new Page.LocatorOptions().setHasText("ip-journey")).click();

        assertThat(bob.locator("#network-title")).hasText("ip-journey");
        assertThat(bob.locator("#usage-label")).containsText("0 of 13 usable addresses");
        Matcher prefix = Pattern.compile("in (\\d+\\.\\d+\\.\\d+\\.)(\\d+)/28").matcher(bob.locator("#usage-label").textContent());
        org.assertj.core.api.Assertions.assertThat(prefix.find()).isTrue();
        String base = prefix.group(1);
        int first = Integer.parseInt(prefix.group(2));

        bob.locator("#reserve-ip").click();
        bob.locator("#reserve").click();
        assertThat(bob.locator("#usage-label")).containsText("1 of 13 usable addresses");
        assertThat(bob.locator("#network-usage vaadin-progress-bar")).hasAttribute("aria-valuenow", "1");
        assertThat(bob.locator("#ips")).containsText(base + (first + 2));

        bob.locator("#reserve-ip").click();
        bob.locator("#ip-mode vaadin-radio-button", new Page.LocatorOptions().setHasText("specific")).click();
        bob.locator("#ip-address input").fill(base + (first + 1));
        assertThat(bob.locator("#ip-address")).containsText("is the gateway");
        assertThat(bob.locator("#reserve")).isDisabled();
        bob.locator("#ip-address input").fill(base + (first + 2));
        assertThat(bob.locator("#ip-address")).containsText("already reserved");
        bob.locator("#ip-address input").fill("192.0.2.10");
        assertThat(bob.locator("#ip-address")).containsText("is outside network ip-journey");
        bob.locator("#ip-address input").fill(base + (first + 10));
        bob.locator("#ip-name input").fill("lb-vip");
        assertThat(bob.locator("#reserve")).isEnabled();
        bob.locator("#reserve").click();

        assertThat(bob.locator("#usage-label")).containsText("2 of 13 usable addresses");
        assertThat(bob.locator("#network-usage vaadin-progress-bar")).hasAttribute("aria-valuenow", "2");
        assertThat(bob.locator("#ips")).containsText("lb-vip");
        assertThat(bob.locator("#audit-trail")).containsText("ip.allocate");
        assertThat(bob.locator("#audit-trail")).containsText("network.create");
        bob.locator("#reserve").waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.DETACHED));
        Browser.screenshot(bob, "network-detail-bob");

        bob.locator("#ips .np-release").first().click();
        bob.locator("vaadin-confirm-dialog vaadin-button[slot='confirm-button']").click();
        assertThat(bob.locator("#usage-label")).containsText("1 of 13 usable addresses");
        assertThat(bob.locator("#audit-trail")).containsText("ip.release");
        String page = bob.url();

        Page vera = signIn("vera");
        vera.navigate(page);
        assertThat(vera.locator("#network-title")).hasText("ip-journey");
        assertThat(vera.locator("#ips")).containsText("lb-vip");
        assertThat(vera.locator("#reserve-ip")).isHidden();
        assertThat(vera.locator("#delete-network")).hasCount(0);
        assertThat(vera.locator("#ips .np-release")).hasCount(0);

        Page dave = signIn("dave");
        dave.navigate(page);
        assertThat(dave.locator("#not-found")).isVisible();
        assertThat(dave.locator("body")).not().containsText("lb-vip");
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
