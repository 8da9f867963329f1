package dev.netportal.identity;

import java.util.Locale;
import java.util.Optional;

/** A caller's role in one project, from the token's role claim ({@code project:<id>:<role>}). Ordered by power. */
public enum ProjectRole {
    /** Reads the project's objects. */
    VIEWER,
    /** Also creates and changes networks, IPs, machines and firewalls. */
    MEMBER,
    /** Also files share requests and manages the project. */
    OWNER;

    /** True when this role includes everything {@code other} may do. */
    public boolean includes(ProjectRole other) {
        return compareTo(other) >= 0;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<ProjectRole> parse(String text) {
        for (ProjectRole role : values()) {
            if (role.label().equals(text)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
