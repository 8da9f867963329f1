package dev.netportal;

import com.vaadin.flow.spring.security.VaadinAwareSecurityContextHolderStrategy;
import dev.netportal.api.ApiContext;
import dev.netportal.database.EmbeddedDatabaseStarter;

import dev.netportal.firewall.dispatch.Dispatcher;
import dev.netportal.idp.IdpContext;
import dev.netportal.ui.UiContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Starts Netportal: a non-web core context with the domain services and the database, then, as its children,
 * the web contexts that {@code netportal.mode} asks for. In development (profile {@code dev}) the embedded
 * sign-in provider starts first, because the UI reads the provider's metadata when it starts.
 */
public final class Netportal implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Netportal.class);

    private final ConfigurableApplicationContext core;
    private final List<ConfigurableApplicationContext> children;  // in start order; guarded by this
    private final List<AutoCloseable> servers = new ArrayList<>();  // guarded by this
    private final CountDownLatch closed = new CountDownLatch(1);

    private Netportal(ConfigurableApplicationContext core, List<ConfigurableApplicationContext> children) {
        this.core = core;
        this.children = children;
    }

    public static void main(String[] args) {
        try {
            StandardEnvironment environment = new StandardEnvironment();
            environment.getPropertySources().addFirst(new SimpleCommandLinePropertySource(args));
            switch (Mode.of(environment)) {
                case AGENT -> {
                    // a firewall's agent needs neither the database nor any Spring context
                    dev.netportal.firewall.agent.PortalLink agent = dev.netportal.firewall.agent.PortalLink.start(environment);
                    Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "netportal-agent-shutdown"));
                    agent.awaitClose();
                }
                case MIGRATE -> {
                    String[] migrateOnly = Arrays.copyOf(args, args.length + 1);
                    migrateOnly[args.length] = "--netportal.dispatcher.enabled=false";
                    start(migrateOnly).close();   // the core context migrates the schema as it starts
                    log.info("Database schema is up to date");
                }
                default -> {
                    Netportal portal = start(args);
                    Runtime.getRuntime().addShutdownHook(new Thread(portal::close, "netportal-shutdown"));
                    portal.closed.await();   // the web servers keep a process alive by themselves; the dispatcher alone does not
                }
            }
        } catch (RuntimeException e) {
            log.error("Netportal did not start: {}", e.getMessage());
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the contexts; on any failure, closes what already started and rethrows. */
    public static Netportal start(String... args) {
        long startedAt = System.nanoTime();
        // Vaadin swaps the JVM-wide strategy when its context starts; every context must use the same one, so it
        // is chosen once, before any context exists (and kept when a second portal starts in the same JVM).
        // Outside a Vaadin session it behaves like the default.
        if (!(SecurityContextHolder.getContextHolderStrategy() instanceof VaadinAwareSecurityContextHolderStrategy)) {
            SecurityContextHolder.setContextHolderStrategy(new VaadinAwareSecurityContextHolderStrategy());
        }
        ConfigurableApplicationContext core = new SpringApplicationBuilder(CoreContext.class)
                .web(WebApplicationType.NONE)
                .listeners(new EmbeddedDatabaseStarter())
                .registerShutdownHook(false)
                .run(args);
        List<ConfigurableApplicationContext> children = new ArrayList<>();
        Netportal portal = new Netportal(core, children);
        try {
            Mode mode = Mode.of(core.getEnvironment());
            if (mode == Mode.AGENT) {
                throw new IllegalArgumentException("an agent runs without the portal: start it with NETPORTAL_MODE=agent");
            }
            if (mode == Mode.MIGRATE) {
                return portal;
            }
            boolean development = core.getEnvironment().matchesProfiles("dev");
            if (mode == Mode.DISPATCHER) {
                if (core.getBeanNamesForType(Dispatcher.class).length == 0) {
                    throw new IllegalArgumentException("NETPORTAL_MODE=dispatcher needs NETPORTAL_DISPATCHER_ENABLED=true");
                }
                int port = core.getEnvironment().getProperty("netportal.dispatcher.port", Integer.class, 8082);
                HealthServer health = new HealthServer(core, port);
                portal.servers.add(health);
                log.info("Netportal started in {} ms (mode dispatcher, health on port {})",
                        (System.nanoTime() - startedAt) / 1_000_000, health.port());
                return portal;
            }
            // The API needs nothing from the other children, so it starts alongside them; the UI reads the
            // sign-in provider's metadata when it starts, so the provider comes first.
            CompletableFuture<ConfigurableApplicationContext> api = mode.startsApi()
                    ? CompletableFuture.supplyAsync(() -> child(core, ApiContext.class, WebApplicationType.REACTIVE, "api", args),
                            task -> new Thread(task, "netportal-api-start").start()) // a new thread keeps main's class loader
                    : CompletableFuture.completedFuture(null);
            try {
                if (development) {
                    children.add(child(core, IdpContext.class, WebApplicationType.SERVLET, "idp", args));
                }
                if (mode.startsUi()) {
                    children.add(child(core, UiContext.class, WebApplicationType.SERVLET, "ui", args));
                }
            } finally {
                addWhenStarted(api, children);
            }
            log.info("Netportal started in {} ms (mode {}{})", (System.nanoTime() - startedAt) / 1_000_000,
                    mode.name().toLowerCase(), development ? ", development sign-in" : "");
            return portal;
        } catch (RuntimeException e) {
            portal.close();
            throw e;
        }
    }

    /** Waits for a context started in the background; it joins the others even when they failed, to be closed. */
    private static void addWhenStarted(CompletableFuture<ConfigurableApplicationContext> starting,
            List<ConfigurableApplicationContext> children) {
        try {
            ConfigurableApplicationContext context = starting.join();
            if (context != null) {
                children.add(context);
            }
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private static ConfigurableApplicationContext child(ConfigurableApplicationContext core, Class<?> context,
            WebApplicationType type, String profile, String[] args) {
        List<String> profiles = new ArrayList<>(List.of(core.getEnvironment().getActiveProfiles()));
        profiles.add(profile);
        return new SpringApplicationBuilder(context)
                .parent(core)
                .web(type)
                .profiles(profiles.toArray(String[]::new))
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .registerShutdownHook(false)
                .run(args);
    }

    /** The core context: domain services and the database. */
    public ConfigurableApplicationContext core() {
        return core;
    }

    /** The started web context of the given configuration class, if this mode started it. */
    public Optional<ConfigurableApplicationContext> context(Class<?> configuration) {
        return children.stream().filter(c -> c.getBeanNamesForType(configuration).length > 0).findFirst();
    }

    /** Closes the web contexts in reverse start order, then the core (which stops an embedded database). */
    @Override
    public synchronized void close() {
        for (AutoCloseable server : servers) {
            try {
                server.close();
            } catch (Exception e) {
                log.warn("could not stop {}: {}", server, e.toString());
            }
        }
        servers.clear();
        for (int i = children.size() - 1; i >= 0; i--) {
            children.get(i).close();
        }
        children.clear();
        core.close();
        closed.countDown();
    }
}
