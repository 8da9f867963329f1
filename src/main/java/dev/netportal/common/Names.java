package dev.netportal.common;

import java.util.Locale;

/** Display names of projects, networks and the like: 1 to 100 characters after trimming. */
public final class Names {

    private Names() {
    }

    /**
     * The trimmed name, or the refusal {@code <WHAT>_NAME} ("A network needs a name ...") of the catalogue; {@code what}
     * is one of network, machine, firewall, project.
     */
    public static String check(String what, String name) {
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty() || trimmed.length() > 100) {
            throw Refusal.valueOf(what.toUpperCase(Locale.ROOT) + "_NAME").with();
        }
        if (trimmed.chars().anyMatch(Character::isISOControl)) {
            throw Refusal.valueOf(what.toUpperCase(Locale.ROOT) + "_NAME_CONTROL").with();
        }
        return trimmed;
    }
}
