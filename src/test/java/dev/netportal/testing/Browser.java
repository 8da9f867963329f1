package dev.netportal.testing;

import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

/**
 * Headless Chromium for browser tests: Debian's {@code /usr/bin/chromium} (installed by {@code .ci/run}), driven
 * by Playwright without downloading a browser of its own.
 */
public final class Browser implements AutoCloseable {

    public static final Path SCREENSHOTS = Paths.get("target", "screenshots");

    private static Browser shared;

    private final Playwright playwright;
    private final com.microsoft.playwright.Browser chromium;

    /** The browser shared by the tests of this JVM; each test still gets fresh contexts from {@link #newPage()}. */
    public static synchronized Browser shared() {
        if (shared == null) {
            shared = new Browser();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    private Browser() {
        Path executable = Paths.get(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException("Browser tests need Chromium at " + executable
                    + " (apt-get install -y chromium, or set CHROMIUM)");
        }
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        chromium = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(executable)
                .setHeadless(true)
                .setChromiumSandbox(false)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--no-first-run", "--disable-quic")));
    }

    /** A page in a fresh browser context: no cookies, so no session from an earlier user. */
    public Page newPage() {
        Page page = chromium.newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                .setViewportSize(1280, 800)).newPage();
        page.setDefaultTimeout(30_000);
        return page;
    }

    /**
     * Signs a demo user in through the provider's real login page, in a fresh browser context, and answers the
     * page once the UI shows the user. On failure it saves a screenshot and says where the browser ended.
     */
    public Page signIn(TestPortal portal, String user) {
        return signIn(newPage(), portal, user);
    }

    /** Signs a demo user in on {@code page}, e.g. one whose context already listens to what the test watches. */
    public static Page signIn(Page page, TestPortal portal, String user) {
        page.navigate(portal.uiUrl() + "/");
        page.waitForURL(portal.issuer() + "/login");
        page.locator("#username").fill(user);
        page.locator("#password").fill(user);
        page.locator("button[type=submit]").click();
        try {
            page.waitForURL(url -> url.startsWith(portal.uiUrl() + "/"));
            page.locator("#user-name").waitFor();
        } catch (RuntimeException e) {
            screenshot(page, "sign-in-failed-" + user);
            throw new AssertionError("sign-in of " + user + " did not return to the UI; the browser is at " + page.url(), e);
        }
        return page;
    }

    /**
     * The cells of a Vaadin grid that show {@code text} now. A grid keeps the cells of rows it no longer shows
     * in the page, hidden, so "the grid does not contain" must look at visible cells only.
     */
    public static com.microsoft.playwright.Locator visibleCells(Page page, String grid, String text) {
        return page.locator(grid + " vaadin-grid-cell-content", new Page.LocatorOptions().setHasText(text))
                .filter(new com.microsoft.playwright.Locator.FilterOptions().setVisible(true));
    }

    /**
     * Opens a Vaadin select and picks the visible item showing {@code text}. An overlay that did not open (or
     * stays in its opening animation) on a busy machine is closed and opened again, up to three times.
     */
    public static void choose(Page page, String select, String text) {
        com.microsoft.playwright.Locator item = page.locator("vaadin-select-item", new Page.LocatorOptions().setHasText(text))
                .filter(new com.microsoft.playwright.Locator.FilterOptions().setVisible(true)).first();
        for (int attempt = 1; ; attempt++) {
            page.locator(select).click();
            try {
                item.click(new com.microsoft.playwright.Locator.ClickOptions().setTimeout(10_000));
                return;
            } catch (com.microsoft.playwright.PlaywrightException notThere) {
                if (attempt == 3) {
                    throw notThere;
                }
                page.keyboard().press("Escape");
            }
        }
    }

    public static void screenshot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
    }

    @Override
    public void close() {
        chromium.close();
        playwright.close();
    }
}
