package dev.netportal.firewall.render;

/** A firewall's rendered configuration: FRR and nftables text, and a hash of both (same inputs, same hash). */
public record Rendered(String frr, String nftables, String hash) {
}
