package dev.netportal.firewall;

import java.time.OffsetDateTime;

/**
 * One stored revision of a firewall's configuration and why it exists.
 *
 * @param cause     the change that made it (e.g. "shared network backup attached")
 * @param actorName who made the change
 */
public record Revision(int revision, String hash, String frr, String nftables, String cause, String actorName,
                       OffsetDateTime createdAt) {
}
