package dev.netportal;

import java.util.Locale;
import org.springframework.core.env.Environment;

/** What one process runs ({@code netportal.mode}); production runs each part as its own deployment of one image. */
public enum Mode {
    /** API and UI (and, in development, the sign-in provider) and the dispatcher: the local all-in-one run. */
    ALL,
    /** Only the Vaadin UI. */
    UI,
    /** Only the REST API (and the agent protocol). */
    API,
    /** Only the dispatcher that delivers firewall configurations, with health endpoints for probes. */
    DISPATCHER,
    /** Migrates the database schema and exits (run once per release, before the other parts start). */
    MIGRATE,
    /** A firewall's agent: no database, no portal, only the agent protocol (see the README). */
    AGENT;

    boolean startsUi() {
        return this == ALL || this == UI;
    }

    boolean startsApi() {
        return this == ALL || this == API;
    }

    static Mode of(Environment environment) {
        String value = environment.getProperty("netportal.mode", "all").strip();
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("netportal.mode (NETPORTAL_MODE) is '" + value
                    + "'; it is one of all, ui, api, dispatcher, migrate, agent");
        }
    }
}
