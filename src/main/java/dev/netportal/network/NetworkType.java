package dev.netportal.network;

/** The kind of a network; one enum, never boolean flags. */
public enum NetworkType {
    /** A partition's pool that private networks are carved from. */
    SUPER,
    /** A project's private network. */
    CHILD,
    /** A private network promoted to shared; there is no way back (S4). */
    CHILD_SHARED,
    /** A platform network leading out of the partition. */
    EXTERNAL
}
