package dev.netportal.database;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts an {@link EmbeddedDatabase} for the core context when no database is configured
 * ({@code spring.r2dbc.url} unset) in development mode (profile {@code dev}) or when
 * {@code netportal.database.embedded.enabled} asks for it, and stops it when that context closes; anywhere else a
 * missing database is an error at start, never a silent local one. Its connection settings are added
 * with the lowest priority, so environment variables and arguments still win. When only the R2DBC settings of an
 * external database are given, the migrations' JDBC settings are derived from them.
 */
public final class EmbeddedDatabaseStarter implements ApplicationListener<ApplicationEvent> {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseStarter.class);
    private static final Pattern R2DBC_POSTGRES = Pattern.compile("r2dbc:(?:pool:)?postgres(?:ql)?://(.+)");

    private EmbeddedDatabase database;

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        switch (event) {
            case ApplicationEnvironmentPreparedEvent prepared -> startIfUnconfigured(prepared.getEnvironment());
            case ApplicationPreparedEvent prepared when database != null -> {
                // a bean of the context from now on: closed with it, after the beans that use it
                DefaultListableBeanFactory beans = (DefaultListableBeanFactory) prepared.getApplicationContext().getBeanFactory();
                beans.registerSingleton("embeddedDatabase", database);
                beans.registerDisposableBean("embeddedDatabase", database::close);
                database = null;
            }
            case ApplicationFailedEvent failed when database != null -> {
                database.close();
                database = null;
            }
            default -> {
            }
        }
    }

    private void startIfUnconfigured(ConfigurableEnvironment environment) {
        if (environment.containsProperty("spring.r2dbc.url")) {
            if (!environment.containsProperty("spring.flyway.url")) {
                environment.getPropertySources().addLast(new MapPropertySource("netportal-flyway-from-r2dbc",
                        flywaySettingsFor(environment.getProperty("spring.r2dbc.url"))));
            }
            return;
        }
        if (!environment.matchesProfiles("dev")
                && !environment.getProperty("netportal.database.embedded.enabled", Boolean.class, false)) {
            throw new IllegalStateException("No database configured: set SPRING_R2DBC_URL (with SPRING_R2DBC_USERNAME and "
                    + "SPRING_R2DBC_PASSWORD). The embedded PostgreSQL starts only in development mode "
                    + "(SPRING_PROFILES_ACTIVE=dev) or with NETPORTAL_DATABASE_EMBEDDED_ENABLED=true.");
        }
        Path dataDirectory = Path.of(environment.getProperty("netportal.database.embedded.data-directory", "data"));
        long started = System.nanoTime();
        database = EmbeddedDatabase.start(dataDirectory);
        environment.getPropertySources().addLast(
                new MapPropertySource("netportal-embedded-database", database.connectionProperties()));
        log.info("No database configured (SPRING_R2DBC_URL): started embedded PostgreSQL on port {} with data in {} ({} ms)",
                database.port(), dataDirectory.toAbsolutePath().normalize(), (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * JDBC settings for the migrations from an R2DBC URL such as {@code r2dbc:postgresql://db:5432/netportal?sslmode=require}
     * (also {@code r2dbc:pool:postgresql:} and {@code postgres:}); user and password are those of R2DBC.
     */
    static Map<String, Object> flywaySettingsFor(String r2dbcUrl) {
        Matcher url = R2DBC_POSTGRES.matcher(r2dbcUrl);
        if (!url.matches()) {
            throw new IllegalStateException("SPRING_R2DBC_URL is not a PostgreSQL R2DBC URL (r2dbc:postgresql://host:port/database): "
                    + r2dbcUrl + ". Set SPRING_FLYWAY_URL as well.");
        }
        return Map.of("spring.flyway.url", "jdbc:postgresql://" + url.group(1),
                "spring.flyway.user", "${spring.r2dbc.username:}",
                "spring.flyway.password", "${spring.r2dbc.password:}");
    }
}
