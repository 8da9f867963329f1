package dev.netportal.limits;

/** The kinds of rate limit; each keeps its own buckets. */
public enum Limit {
    /** API writes of one caller. */
    WRITE("writes"),
    /** API reads of one caller. */
    READ("reads"),
    /** API requests from one client address. */
    ADDRESS("requests from your address"),
    /** Sign-ins started from one client address. */
    SIGN_IN("sign-ins from your address"),
    /** Stream connections of one firewall's agent. */
    AGENT_CONNECT("agent connections of this firewall"),
    /** Messages on one agent's stream. */
    AGENT_MESSAGE("agent messages");

    private final String counted;

    Limit(String counted) {
        this.counted = counted;
    }

    /** What the limit counts, in words. */
    public String counted() {
        return counted;
    }
}
