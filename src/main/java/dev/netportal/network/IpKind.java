package dev.netportal.network;

/** How an IP was handed out (the database's {@code ip_kind}). */
public enum IpKind {
    /** Reserved by a person in a network; released by a person. */
    STATIC,
    /** Bound to a machine or firewall; released when it is freed or detached. */
    EPHEMERAL
}
