package dev.netportal.firewall;

import java.time.OffsetDateTime;
import java.util.UUID;

/** One firewall in the admins' fleet view: where it is and how far its agent has got (D4). */
public record FleetEntry(UUID firewall, String name, String project, String partition, int desiredRevision,
                         int appliedRevision, SyncStatus state, String lastError, OffsetDateTime nextRetryAt,
                         String agentUrl, OffsetDateTime agentSeenAt) {
}
