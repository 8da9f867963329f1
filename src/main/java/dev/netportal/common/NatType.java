package dev.netportal.common;

import java.util.Optional;

/**
 * What a firewall does to traffic from its primary network towards a shared or external network (the database's
 * {@code nat_type}). Shared by partitions (external networks), networks and share requests.
 */
public enum NatType {
    /** Addresses stay as they are: both sides see each other (both directions). */
    NONE,
    /** Traffic leaves with the firewall's address there (one direction: only replies come back). */
    IPV4_MASQUERADE;

    /** The NAT type the request text names, if it names one (the rules that take it say what else is wrong). */
    public static Optional<NatType> parse(String text) {
        for (NatType type : values()) {
            if (type.name().equals(text)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** A nullable column's value (private networks have none). */
    public static NatType ofNullable(String column) {
        return column == null ? null : valueOf(column);
    }
}
