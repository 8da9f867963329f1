package dev.netportal.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.netportal.idp.DemoDirectory;
import dev.netportal.idp.IdpContext;
import dev.netportal.testing.Browser;
import dev.netportal.testing.PkceLogin;
import dev.netportal.testing.TestPortal;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Roles change at the provider while a tab is open: a portal that reads them again every three seconds
 * ({@code netportal.ui.role-refresh=PT3S}) shows the change in the open tab, and signs the tab out when the
 * person's sessions at the provider end.
 */
class FreshRolesBrowserTest {

    private static final int REFRESH_SECONDS = 3;

    private static TestPortal portal;
    private static DemoDirectory directory;

    private final Browser browser = Browser.shared();

    @BeforeAll
    static void start() {
        portal = TestPortal.start("--netportal.ui.role-refresh=PT" + REFRESH_SECONDS + "S");
        directory = portal.portal().context(IdpContext.class).orElseThrow().getBean(DemoDirectory.class);
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    @Test
    void aProjectGroupRemovedAtTheProviderLeavesTheOpenTabWithinTheRefreshTime() {
        Page carol = browser.signIn(portal, "carol");
        carol.navigate(portal.uiUrl() + "/networks");
        assertThat(carol.locator("h2")).containsText("Tenant A");
        assertThat(carol.locator("#new-network")).isVisible();

        long removed = System.nanoTime();
        directory.setGroups("carol", List.of());

        assertThat(carol.locator("#access-changed")).containsText("Your access has changed",
                new LocatorAssertions.ContainsTextOptions().setTimeout(3_000 * REFRESH_SECONDS));
        long seconds = (System.nanoTime() - removed) / 1_000_000_000;
        assertThat(carol.locator("#project-switcher")).isHidden();
        assertThat(carol.locator("body")).not().containsText("Tenant A");
        assertThat(carol.locator("#new-network")).hasCount(0);
        org.assertj.core.api.Assertions.assertThat(carol.url()).isEqualTo(portal.uiUrl() + "/networks");
        org.assertj.core.api.Assertions.assertThat(seconds).as("seconds until the tab showed the change")
                .isLessThanOrEqualTo(2L * REFRESH_SECONDS);
        Browser.screenshot(carol, "fresh-roles-removed");
    }

    @Test
    void aRoleLoweredAtTheProviderTakesTheButtonsAway() {
        Page bob = browser.signIn(portal, "bob");
        bob.navigate(portal.uiUrl() + "/networks");
        assertThat(bob.locator("#new-network")).isVisible();

        directory.setGroups("bob", List.of("project:tenant-a:viewer"));

        assertThat(bob.locator("#access-changed")).isVisible(
                new LocatorAssertions.IsVisibleOptions().setTimeout(3_000 * REFRESH_SECONDS));
        assertThat(bob.locator("#project-switcher")).containsText("Tenant A (viewer)");
        assertThat(bob.locator("#new-network")).hasCount(0);
    }

    @Test
    void endingThePersonsSessionsAtTheProviderSignsTheOpenTabOut() {
        Page dave = browser.signIn(portal, "dave");
        dave.navigate(portal.uiUrl() + "/networks");
        assertThat(dave.locator("h2")).containsText("Tenant B");
        String before = sessionCookie(dave);

        org.assertj.core.api.Assertions.assertThat(directory.endSessions("dave")).isPositive();

        dave.waitForURL(portal.uiUrl() + "/signed-out?ended", new Page.WaitForURLOptions().setTimeout(3_000 * REFRESH_SECONDS));
        assertThat(dave.locator("#signed-out-reason")).containsText("Your session with the sign-in provider has ended");
        Browser.screenshot(dave, "fresh-roles-session-ended");

        org.assertj.core.api.Assertions.assertThat(sessionCookie(dave)).as("the UI session before is gone")
                .isNotEqualTo(before);
    }

    /** The API reads roles from each request's token: a removed group holds there until the token expires. */
    @Test
    void theDevelopmentProvidersAccessTokensLiveFiveMinutes() {
        String token = PkceLogin.accessToken(portal.issuer(), "alice", "alice");
        JsonNode claims = JsonMapper.builder().build().readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));

        org.assertj.core.api.Assertions.assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(300);
    }

    private String sessionCookie(Page page) {
        return page.context().cookies(portal.uiUrl()).stream().filter(c -> c.name.equals("JSESSIONID"))
                .map(c -> c.value).findFirst().orElse("");
    }
}
