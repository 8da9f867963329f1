package dev.netportal.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import dev.netportal.idp.IdpContext;
import dev.netportal.testing.Browser;
import dev.netportal.testing.TestPortal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Roles that cannot be read again are not kept for ever: with the provider gone, an open tab keeps working through
 * a failed refresh or two, and is signed out after the third failure in a row.
 */
class ProviderAwayBrowserTest {

    private static final int REFRESH_SECONDS = 2;

    private static TestPortal portal;

    private final Browser browser = Browser.shared();

    @BeforeAll
    static void start() {
        portal = TestPortal.start("--netportal.ui.role-refresh=PT" + REFRESH_SECONDS + "S");
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    @Test
    void anOpenTabIsSignedOutAfterThreeRefreshesInARowFail() {
        Page carol = browser.signIn(portal, "carol");
        carol.navigate(portal.uiUrl() + "/networks");
        assertThat(carol.locator("h2")).containsText("Tenant A");

        long gone = System.nanoTime();
        portal.portal().context(IdpContext.class).orElseThrow().close();   // the provider stops answering

        carol.waitForURL(portal.uiUrl() + "/signed-out?ended",
                new Page.WaitForURLOptions().setTimeout(1_000 * (4 * REFRESH_SECONDS + 5)));
        double seconds = (System.nanoTime() - gone) / 1e9;
        org.assertj.core.api.Assertions.assertThat(seconds)
                .as("not at the first failed refresh: after the third, two intervals later at least")
                .isGreaterThanOrEqualTo(2 * REFRESH_SECONDS - 0.5);
        assertThat(carol.locator("#signed-out-reason")).containsText("sign-in provider");
        Browser.screenshot(carol, "provider-away-signed-out");
    }
}
