package dev.netportal.firewall;

import java.time.OffsetDateTime;

/**
 * A firewall's desired configuration (its newest revision) and how far its agent has got (D4).
 *
 * @param state       PENDING (the agent has not applied the newest revision yet), IN_SYNC or FAILING
 * @param agentUrl    where the firewall's agent said it listens; null while the built-in record-mode agent serves it
 *                    or no agent has said hello yet
 * @param agentSeenAt when the agent last said hello
 */
public record FirewallConfig(int revision, String hash, String frr, String nftables, int appliedRevision, SyncStatus state,
                             String lastError, OffsetDateTime nextRetryAt, String agentUrl, OffsetDateTime agentSeenAt) {
}
