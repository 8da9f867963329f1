package dev.netportal.firewall;

/** How far a firewall's agent has got with its newest revision (D4; the database's {@code firewall_sync_state}). */
public enum SyncStatus {
    /** The agent has not applied the newest revision yet (being delivered, or waiting for the agent). */
    PENDING,
    /** The agent runs the newest revision. */
    IN_SYNC,
    /** The agent rejected the newest revision, or delivery failed; retried with backoff. */
    FAILING
}
