package dev.netportal.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.Cookie;
import com.microsoft.playwright.options.SameSiteAttribute;
import dev.netportal.testing.Api;
import dev.netportal.testing.Browser;
import dev.netportal.testing.TestPortal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The UI's Content-Security-Policy in a real browser: a member walks networks, a network, firewalls and a
 * firewall and signs out, and the browser reports no policy violation and logs no error (the development bundle's
 * warnings are no errors); the answers carry the
 * policy and {@code nosniff}, the session cookies are {@code SameSite=Lax}.
 */
class SecurityHeadersBrowserTest {

    private final Browser browser = Browser.shared();
    private final TestPortal portal = TestPortal.shared();

    /** What the browser reported while the journey ran. */
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final List<String> consoleProblems = new CopyOnWriteArrayList<>();
    private final List<Answer> uiResponses = new CopyOnWriteArrayList<>();

    /** One answer of the UI as the browser received it. */
    private record Answer(String url, boolean navigation, Map<String, String> headers) {
    }

    @Test
    void aJourneyThroughTheUiRunsUnderThePolicyWithoutAViolation() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        JsonNode network = Api.postAs(portal, "bob", "/api/v1/projects/tenant-a/networks",
                "{\"name\":\"csp-" + suffix + "\",\"partition\":\"fra-1\",\"prefixLength\":28}");
        UUID internet = portal.portal().core().getBean(dev.netportal.partition.PartitionService.class)
                .get(new dev.netportal.partition.PartitionId("fra-1")).block().externalNetworks().getFirst().id();
        Api.postAs(portal, "bob", "/api/v1/projects/tenant-a/firewalls", "{\"name\":\"csp-fw-" + suffix
                + "\",\"partition\":\"fra-1\",\"size\":\"c1-large\",\"networks\":[{\"network\":\""
                + network.get("id").asString() + "\"},{\"network\":\"" + internet + "\"}]}");

        Page bob = watched(browser.newPage());
        Browser.signIn(bob, portal, "bob");

        bob.navigate(portal.uiUrl() + "/networks");
        bob.locator("#networks a", new Page.LocatorOptions().setHasText("csp-" + suffix)).click();
        assertThat(bob.locator("#network-title")).hasText("csp-" + suffix);
        bob.locator("#reserve-ip").click();
        bob.locator("#reserve").click();
        assertThat(bob.locator("#usage-label")).containsText("1 of 13 usable addresses");

        bob.navigate(portal.uiUrl() + "/firewalls");
        bob.locator("#firewalls a", new Page.LocatorOptions().setHasText("csp-fw-" + suffix)).click();
        assertThat(bob.locator("#firewall-networks")).containsText("csp-" + suffix);
        Browser.screenshot(bob, "csp-firewall");

        List<Cookie> cookies = bob.context().cookies();
        Cookie session = cookies.stream().filter(c -> c.name.equals("JSESSIONID")).findFirst().orElseThrow();
        org.assertj.core.api.Assertions.assertThat(session.sameSite).isEqualTo(SameSiteAttribute.LAX);
        org.assertj.core.api.Assertions.assertThat(session.httpOnly).isTrue();
        Cookie provider = cookies.stream().filter(c -> c.name.equals("NETPORTAL_IDP_SESSION")).findFirst().orElseThrow();
        org.assertj.core.api.Assertions.assertThat(provider.sameSite).isEqualTo(SameSiteAttribute.LAX);

        bob.locator("#user-name").click();
        bob.locator("#sign-out").click();
        bob.waitForURL(portal.uiUrl() + "/signed-out");
        assertThat(bob.locator("h2")).hasText("You have signed out of Netportal");

        org.assertj.core.api.Assertions.assertThat(violations).as("Content-Security-Policy violations").isEmpty();
        org.assertj.core.api.Assertions.assertThat(consoleProblems).as("console errors").isEmpty();

        Answer page = uiResponses.stream().filter(r -> r.navigation() && r.url().equals(portal.uiUrl() + "/networks"))
                .findFirst().orElseThrow();
        Map<String, String> headers = page.headers();
        org.assertj.core.api.Assertions.assertThat(headers).containsEntry("content-security-policy", UiSecurity.CONTENT_SECURITY_POLICY)
                .containsEntry("x-content-type-options", "nosniff")
                .containsEntry("referrer-policy", "strict-origin-when-cross-origin")
                .containsEntry("x-frame-options", "DENY")
                .doesNotContainKey("strict-transport-security");
        List<Answer> uidl = uiResponses.stream().filter(r -> r.url().contains("v-r=uidl")).toList();
        org.assertj.core.api.Assertions.assertThat(uidl).as("Vaadin's JSON answers").isNotEmpty()
                .allSatisfy(r -> org.assertj.core.api.Assertions.assertThat(r.headers())
                        .as(r.url()).containsEntry("x-content-type-options", "nosniff"));
        org.assertj.core.api.Assertions.assertThat(uiResponses).as("every answer of the UI")
                .allSatisfy(r -> org.assertj.core.api.Assertions.assertThat(r.headers())
                        .as(r.url()).containsEntry("x-content-type-options", "nosniff"));
    }

    @Test
    void theSwaggerUiRunsUnderItsPolicyWithoutAViolation() {
        Page docs = watched(browser.newPage());
        docs.navigate(portal.apiUrl() + "/swagger-ui.html");
        assertThat(docs.locator(".swagger-ui .info")).containsText("Netportal");
        assertThat(docs.locator(".opblock").first()).isVisible();
        Browser.screenshot(docs, "csp-swagger-ui");

        org.assertj.core.api.Assertions.assertThat(violations).as("Content-Security-Policy violations").isEmpty();
        org.assertj.core.api.Assertions.assertThat(consoleProblems).as("console errors").isEmpty();
    }

    /** Records policy violations (as events in the page and as console messages), console errors and the UI's answers. */
    private Page watched(Page page) {
        BrowserContext context = page.context();
        context.exposeFunction("netportalViolation", args -> {
            violations.add(String.valueOf(args[0]));
            return null;
        });
        context.addInitScript("document.addEventListener('securitypolicyviolation', e => window.netportalViolation("
                + "e.violatedDirective + ' blocked ' + e.blockedURI + ' at ' + e.sourceFile + ':' + e.lineNumber));");
        page.onConsoleMessage(message -> {
            // the browser's own request for /favicon.ico (the portal has none) is no error of the page
            boolean favicon = message.location().contains("/favicon.ico");
            if ((message.type().equals("error") && !favicon) || message.text().contains("Content Security Policy")) {
                consoleProblems.add(message.type() + ": " + message.text() + " (" + message.location() + ")");
            }
        });
        page.onResponse(response -> {
            if (response.url().startsWith(portal.uiUrl() + "/") && response.status() != 101) {
                uiResponses.add(new Answer(response.url(), response.request().isNavigationRequest(), response.headers()));
            }
        });
        return page;
    }
}
