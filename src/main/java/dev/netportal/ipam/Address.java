package dev.netportal.ipam;

import dev.netportal.common.Refusal;
import inet.ipaddr.IPAddress;

/** One IPv4 or IPv6 address (no prefix). Parsed once, then trusted. */
public record Address(IPAddress value) implements Comparable<Address> {

    public Address {
        if (value == null || value.isMultiple() || value.getNetworkPrefixLength() != null) {
            throw new IllegalArgumentException("a single address without prefix, not " + value);
        }
    }

    /** Parses {@code 10.0.0.7} or {@code 2001:db8::7}; anything else is an invalid value. */
    public static Address parse(String text) {
        IPAddress parsed = Parsing.parse(text);
        if (parsed == null || parsed.isMultiple() || parsed.getNetworkPrefixLength() != null) {
            throw Refusal.IP_MALFORMED.with(text);
        }
        return new Address(parsed);
    }

    public Family family() {
        return value.isIPv4() ? Family.IPV4 : Family.IPV6;
    }

    /** The address {@code offset} after this one (before it, if negative). */
    public Address plus(long offset) {
        return new Address(value.increment(offset).withoutPrefixLength());
    }

    @Override
    public int compareTo(Address other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value.toCanonicalString();
    }
}
