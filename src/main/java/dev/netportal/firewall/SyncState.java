package dev.netportal.firewall;

/** Where a firewall's agent stands (D4): the desired revision, the applied one, and PENDING, IN_SYNC or FAILING. */
public record SyncState(SyncStatus state, int revision, int appliedRevision) {
}
