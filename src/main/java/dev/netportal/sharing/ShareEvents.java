package dev.netportal.sharing;

import dev.netportal.database.Notifications;
import java.util.UUID;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;

/**
 * Which share requests changed, as their transactions commit, in every application instance: a trigger notifies
 * on channel {@code share_request} (V6). The UI follows it to update badges and statuses live.
 */
@Component
public record ShareEvents(Notifications notifications) {

    /** The ids of share requests as they are filed, decided or withdrawn; hot, no replay. */
    public Flux<ShareRequestId> changes() {
        return notifications.on("share_request").map(text -> new ShareRequestId(UUID.fromString(text)));
    }
}
