package dev.netportal.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import com.vaadin.flow.router.Route;
import dev.netportal.testing.Api;
import dev.netportal.testing.Browser;
import dev.netportal.testing.TestPortal;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import tools.jackson.databind.JsonNode;

/**
 * The UI's side of "Who may do what", in a real browser: admin pages send everyone else to the overview, another
 * project's network and firewall pages say "not found" without naming anything of them (V1), and each role sees
 * the buttons of what it may do: viewers read, members change, owners also request sharing, and only the
 * requester withdraws a request (S2). Admins hold every role.
 */
class AuthorizationBrowserTest {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final Browser browser = Browser.shared();
    private final TestPortal portal = TestPortal.shared();

    /** Every route under {@code admin/}, found on the class path, so a new admin page is covered without a change here. */
    private static List<String> adminRoutes() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(Route.class));
        TreeSet<String> routes = new TreeSet<>();
        scanner.findCandidateComponents("dev.netportal.ui").forEach(candidate -> {
            try {
                String path = Class.forName(candidate.getBeanClassName()).getAnnotation(Route.class).value();
                if (path.startsWith("admin/")) {
                    routes.add(path);
                }
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        });
        return List.copyOf(routes);
    }

    @Test
    void everyAdminPageSendsEveryoneElseToTheOverview() {
        List<String> routes = adminRoutes();
        org.assertj.core.api.Assertions.assertThat(routes)
                .contains("admin/partitions", "admin/projects", "admin/networks", "admin/firewalls", "admin/approvals");

        for (String user : List.of("bob", "carol", "vera", "dave", "norbert")) {
            Page page = browser.signIn(portal, user);
            assertThat(page.locator("#admin-nav")).hasCount(0);
            for (String route : routes) {
                page.navigate(portal.uiUrl() + "/" + route);
                assertThat(page.locator("vaadin-notification-card").last()).containsText("for platform admins");
                assertThat(page).hasURL(portal.uiUrl() + "/");
                for (String adminContent : List.of("#partitions-admin", "#projects-admin", "#all-networks", "#fleet",
                        "#approval-queue")) {
                    assertThat(page.locator(adminContent)).hasCount(0);
                }
            }
            page.context().close();
        }

        // an admin who also holds a project role is an admin all the same
        Page hazel = browser.signIn(portal, "hazel");
        for (String route : routes) {
            hazel.navigate(portal.uiUrl() + "/" + route);
            assertThat(hazel).hasURL(portal.uiUrl() + "/" + route);
        }
        hazel.context().close();
    }

    @Test
    void anotherProjectsNetworkAndFirewallAreNotFoundAndNotNamed() {
        String internet = partition();
        JsonNode network = post("dave", "/api/v1/projects/tenant-b/networks",
                "{\"name\":\"authz-ui-b-" + SEQUENCE.incrementAndGet() + "\",\"partition\":\"authz-ui\"}");
        String networkName = network.get("name").asString();
        String prefix = network.get("prefix").asString();
        String firewallName = "authz-ui-bfw-" + SEQUENCE.incrementAndGet();
        String firewall = post("dave", "/api/v1/projects/tenant-b/firewalls", firewallBody(firewallName,
                network.get("id").asString(), internet)).get("firewall").get("id").asString();

        for (String user : List.of("carol", "bob", "norbert")) {
            Page page = browser.signIn(portal, user);
            page.navigate(portal.uiUrl() + "/networks/" + network.get("id").asString());
            assertThat(page.locator("#not-found")).isVisible();
            assertThat(page.locator("#network-title")).hasCount(0);
            assertThat(page.locator("body")).not().containsText(networkName);
            assertThat(page.locator("body")).not().containsText(prefix);
            assertThat(page.locator("body")).not().containsText("tenant-b");

            page.navigate(portal.uiUrl() + "/firewalls/" + firewall);
            assertThat(page.locator("#not-found")).isVisible();
            assertThat(page.locator("#firewall-title")).hasCount(0);
            assertThat(page.locator("body")).not().containsText(firewallName);
            assertThat(page.locator("body")).not().containsText(networkName);
            assertThat(page.locator("body")).not().containsText("tenant-b");
            page.context().close();
        }

        // the same pages for their own project's member: the check above is about the caller, not the page
        Page quentin = browser.signIn(portal, "quentin");
        quentin.navigate(portal.uiUrl() + "/networks/" + network.get("id").asString());
        assertThat(quentin.locator("#network-title")).hasText(networkName);
        quentin.navigate(portal.uiUrl() + "/firewalls/" + firewall);
        assertThat(quentin.locator("#firewall-title")).hasText(firewallName);
        quentin.context().close();
    }

    /** What each kind of caller may do, by the buttons it sees. */
    private record Expected(boolean change, boolean requestSharing, boolean withdraw) {
    }

    @Test
    void eachRoleSeesTheButtonsOfWhatItMayDo() {
        String internet = partition();
        String network = post("bob", "/api/v1/projects/tenant-a/networks",
                "{\"name\":\"authz-ui-a-" + SEQUENCE.incrementAndGet() + "\",\"partition\":\"authz-ui\"}").get("id").asString();
        String pending = post("bob", "/api/v1/projects/tenant-a/networks",
                "{\"name\":\"authz-ui-p-" + SEQUENCE.incrementAndGet() + "\",\"partition\":\"authz-ui\"}").get("id").asString();
        post("bob", "/api/v1/networks/" + pending + "/share-requests", "{\"reason\":\"buttons\",\"natType\":\"NONE\"}");
        String firewallNetwork = post("bob", "/api/v1/projects/tenant-a/networks",
                "{\"name\":\"authz-ui-f-" + SEQUENCE.incrementAndGet() + "\",\"partition\":\"authz-ui\"}").get("id").asString();
        String firewall = post("bob", "/api/v1/projects/tenant-a/firewalls", firewallBody("authz-ui-afw-" + SEQUENCE.incrementAndGet(),
                firewallNetwork, internet)).get("firewall").get("id").asString();

        Map<String, Expected> roles = Map.of(
                "bob", new Expected(true, true, true),          // owner, and the requester
                "ingrid", new Expected(true, true, false),      // a second owner: not the requester
                "carol", new Expected(true, false, false),      // member
                "vera", new Expected(false, false, false),      // viewer
                "hazel", new Expected(true, true, false));      // admin who is a viewer of the project: an admin
        roles.forEach((user, expected) -> {
            Page page = browser.signIn(portal, user);
            try {
                page.navigate(portal.uiUrl() + "/networks/" + network);
                assertThat(page.locator("#network-title")).isVisible();
                assertThat(page.locator("#share-state")).isVisible();
                assertThat(page.locator("#delete-network")).hasCount(expected.change() ? 1 : 0);
                visible(page, "#reserve-ip", expected.change());
                assertThat(page.locator("#request-sharing")).hasCount(expected.requestSharing() ? 1 : 0);

                page.navigate(portal.uiUrl() + "/networks/" + pending);
                assertThat(page.locator("#share-state")).containsText("waits for an admin");
                assertThat(page.locator("#withdraw-share-request")).hasCount(expected.withdraw() ? 1 : 0);

                page.navigate(portal.uiUrl() + "/firewalls/" + firewall);
                assertThat(page.locator("#firewall-title")).isVisible();
                assertThat(page.locator("#free-firewall")).hasCount(expected.change() ? 1 : 0);
                visible(page, "#attach", expected.change());

                page.navigate(portal.uiUrl() + "/networks");
                assertThat(page.locator("#networks")).isVisible();
                visible(page, "#new-network", expected.change());
                page.navigate(portal.uiUrl() + "/firewalls");
                assertThat(page.locator("#firewalls")).isVisible();
                visible(page, "#allocate-firewall", expected.change());
                page.navigate(portal.uiUrl() + "/machines");
                assertThat(page.locator("#machines")).isVisible();
                visible(page, "#allocate-machine", expected.change());
            } catch (AssertionError e) {
                Browser.screenshot(page, "authorization-buttons-" + user);
                throw new AssertionError(user + ": " + e.getMessage(), e);
            } finally {
                page.context().close();
            }
        });
    }

    private static void visible(Page page, String selector, boolean expected) {
        if (expected) {
            assertThat(page.locator(selector)).isVisible();
        } else {
            assertThat(page.locator(selector)).isHidden();
        }
    }

    // ---- objects through the API ----

    private static volatile String internet;

    /** A partition of this class's own (created once); answers its external network's id. */
    private synchronized String partition() {
        if (internet == null) {
            internet = post("admin", "/api/v1/partitions", """
                    {"id":"authz-ui","name":"Authz UI","superNetworks":["10.202.0.0/16"],"childPrefixLength":{"ipv4":28},
                     "externalNetworks":[{"name":"internet","prefixes":["100.64.208.0/22"],"destinationPrefixes":["0.0.0.0/0"],
                     "natType":"IPV4_MASQUERADE"}],"inventory":{"c1":20}}""").get("externalNetworks").get(0).get("id").asString();
        }
        return internet;
    }

    private static String firewallBody(String name, String network, String internet) {
        return "{\"name\":\"" + name + "\",\"partition\":\"authz-ui\",\"size\":\"c1\",\"networks\":[{\"network\":\"" + network
                + "\"},{\"network\":\"" + internet + "\"}]}";
    }

    private JsonNode post(String user, String path, String json) {
        return Api.postAs(portal, user, path, json);
    }
}
