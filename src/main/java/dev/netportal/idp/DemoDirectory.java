package dev.netportal.idp;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * The development provider's directory: the demo users' groups as the provider puts them in new tokens, and
 * their sessions at the provider. Development only, like the whole provider: it lets a local run or a test take
 * a group away from a demo user, or end a user's sessions, the way an identity administrator would in a real
 * provider (Keycloak: remove from group, sign out all sessions).
 */
@Component
public final class DemoDirectory {

    private final Map<String, List<String>> groups = new ConcurrentHashMap<>(DemoUser.ALL.stream()
            .collect(Collectors.toMap(DemoUser::username, DemoUser::groups)));
    private final IssuedAuthorizations authorizations;

    DemoDirectory(IssuedAuthorizations authorizations) {
        this.authorizations = authorizations;
    }

    /** The groups that the next token of {@code username} carries. */
    public List<String> groups(String username) {
        return groups.getOrDefault(username, List.of());
    }

    /** Replaces the groups of a demo user; tokens issued from now on, also by refresh, carry the new ones. */
    public void setGroups(String username, List<String> newGroups) {
        groups.computeIfPresent(username, (user, old) -> List.copyOf(newGroups));
    }

    /** Applies {@code change} to the groups of a demo user. */
    public void changeGroups(String username, Function<List<String>, List<String>> change) {
        groups.computeIfPresent(username, (user, old) -> List.copyOf(change.apply(old)));
    }

    /**
     * Ends every session of {@code username} at the provider: its refresh tokens are refused from now on, so
     * clients that refresh learn that the person has to sign in again. Answers how many sign-ins it ended.
     */
    public int endSessions(String username) {
        return authorizations.removeAllOf(username);
    }
}
