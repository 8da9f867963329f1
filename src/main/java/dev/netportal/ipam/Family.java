package dev.netportal.ipam;

/** An IP address family, with the longest prefix a network of that family may have. */
public enum Family {
    IPV4(32, 30),
    IPV6(128, 126);

    private final int bits;
    private final int longestNetwork;

    Family(int bits, int longestNetwork) {
        this.bits = bits;
        this.longestNetwork = longestNetwork;
    }

    public int bits() {
        return bits;
    }

    /** "IPv4" or "IPv6", as messages say it. */
    @Override
    public String toString() {
        return this == IPV4 ? "IPv4" : "IPv6";
    }

    /** The longest prefix length a network may have (N1): /30 for IPv4, /126 for IPv6. */
    public int longestNetwork() {
        return longestNetwork;
    }
}
