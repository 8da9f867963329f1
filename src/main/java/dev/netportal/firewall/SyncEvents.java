package dev.netportal.firewall;

import dev.netportal.database.Notifications;
import java.util.UUID;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;

/**
 * Which firewalls' sync states changed (a new revision, an agent's answer, a failure), as their transactions
 * commit, in every application instance: a trigger notifies on channel {@code firewall_sync} (V9). The UI follows
 * it to show sync states live (D4).
 */
@Component
public record SyncEvents(Notifications notifications) {

    /** The ids of firewalls whose sync state changed; hot, no replay. */
    public Flux<FirewallId> changes() {
        return notifications.on("firewall_sync").map(text -> new FirewallId(UUID.fromString(text)));
    }
}
