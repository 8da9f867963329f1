package dev.netportal.identity;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Who is calling: built from the token by the web layer and handed explicitly to every domain service, which
 * decides with it what the caller may see and do.
 *
 * @param subject the token's {@code sub}, stable across sessions
 * @param name    a display name
 * @param admin   whether the caller is a platform admin
 * @param roles   the caller's role per project, ordered by project id
 */
public record Actor(String subject, String name, boolean admin, Map<ProjectId, ProjectRole> roles) {

    private static final Actor SYSTEM = new Actor("system", "Netportal", true, Map.of());

    public Actor {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(name, "name");
        roles = Collections.unmodifiableSortedMap(new TreeMap<>(roles));
    }

    /** The portal itself, for work no person asked for (start-up data, background jobs). */
    public static Actor system() {
        return SYSTEM;
    }

    public Optional<ProjectRole> roleIn(ProjectId project) {
        return Optional.ofNullable(roles.get(project));
    }

    /** True when the caller has at least {@code needed} in {@code project}. Admins hold every role. */
    public boolean has(ProjectRole needed, ProjectId project) {
        return admin || roleIn(project).map(role -> role.includes(needed)).orElse(false);
    }
}
