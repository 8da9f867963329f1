package dev.netportal.firewall;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One firewall in the admins' fleet view: where it is and how far its agent has got (D4). The agent's own words
 * (validator output) are for the firewall's project; the fleet gets the kind of failure only.
 *
 * @param failure why the last delivery failed: UNREACHABLE (no answer), REJECTED (the validators), REFUSED (the
 *                agent's checks of the signed revision) or NO_AGENT; null if none
 */
public record FleetEntry(UUID firewall, String name, String project, String partition, int desiredRevision,
                         int appliedRevision, SyncStatus state, String failure, OffsetDateTime nextRetryAt,
                         boolean agentConnected, OffsetDateTime agentSeenAt) {
}
