package dev.netportal.identity;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Turns the claims of an ID or access token into an {@link Actor}. The groups come from the configured claim:
 * {@code netportal-admin} makes a platform admin, {@code project:<id>:owner|member|viewer} a project role
 * (the highest wins when a project is named twice); anything else is ignored.
 */
@Component
public class Actors {

    private static final Logger log = LoggerFactory.getLogger(Actors.class);

    private final IdentitySettings settings;

    public Actors(IdentitySettings settings) {
        this.settings = settings;
    }

    public Actor fromClaims(Map<String, Object> claims) {
        if (!(claims.get("sub") instanceof String subject) || subject.isBlank()) {
            // every right, idempotency key and the four-eyes rule hang on the subject: never share one "null"
            throw new IllegalArgumentException("a token without subject (sub) names no one");
        }
        boolean admin = false;
        Map<ProjectId, ProjectRole> roles = new LinkedHashMap<>();
        for (String group : groups(claims.get(settings.roleClaim()))) {
            if (group.equals(settings.adminGroup())) {
                admin = true;
                continue;
            }
            String[] parts = group.split(":", -1);
            if (parts.length == 3 && parts[0].equals("project") && ProjectId.isValid(parts[1])) {
                ProjectRole.parse(parts[2]).ifPresentOrElse(
                        role -> roles.merge(new ProjectId(parts[1]), role, (a, b) -> a.includes(b) ? a : b),
                        () -> log.debug("Ignoring group {} of {}: unknown role", group, subject));
            }
        }
        return new Actor(subject, displayName(claims, subject), admin, roles);
    }

    private static String displayName(Map<String, Object> claims, String subject) {
        for (String claim : List.of("name", "preferred_username")) {
            if (claims.get(claim) instanceof String value && !value.isBlank()) {
                return value;
            }
        }
        return subject;
    }

    private static Collection<String> groups(Object claim) {
        if (claim instanceof Collection<?> values) {
            return values.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        }
        if (claim instanceof String value) {
            return List.of(value.split("[,\\s]+"));
        }
        return List.of();
    }
}
