package dev.netportal.firewall;

import java.time.OffsetDateTime;

/**
 * A firewall's desired configuration (its newest revision) and how far its agent has got (D4).
 *
 * @param state          PENDING (the agent has not applied the newest revision yet), IN_SYNC or FAILING
 * @param lastError      why the last delivery failed (the validators' or the agent's words, bounded), or a note
 * @param agentConnected whether the firewall's own agent holds a stream to the portal now
 * @param agentSeenAt    when the firewall's own agent was last heard from; null while it never connected (the
 *                       built-in record-mode agent of the local run serves it, or nothing does yet)
 * @param agentRefusal   the last revision the agent refused before looking at it, and why (tampering on the way
 *                       shows here, also after the firewall is back in sync); null if none
 */
public record FirewallConfig(int revision, String hash, String frr, String nftables, int appliedRevision, SyncStatus state,
                             String lastError, OffsetDateTime nextRetryAt, boolean agentConnected, OffsetDateTime agentSeenAt,
                             String agentRefusal, OffsetDateTime agentRefusedAt) {

    /** The same without the agent's texts, for a reader outside the firewall's project. */
    public FirewallConfig withoutAgentWords() {
        String hidden = "(the agent's message is shown to the firewall's project only)";
        return new FirewallConfig(revision, hash, frr, nftables, appliedRevision, state, lastError == null ? null : hidden,
                nextRetryAt, agentConnected, agentSeenAt, agentRefusal == null ? null : hidden, agentRefusedAt);
    }
}
