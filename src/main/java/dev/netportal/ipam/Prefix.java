package dev.netportal.ipam;

import dev.netportal.common.Refusal;
import inet.ipaddr.IPAddress;
import java.math.BigInteger;
import java.util.Optional;

/**
 * A CIDR prefix such as {@code 10.0.0.0/22} or {@code 2001:db8::/64}, with no host bits set. Knows which of its
 * addresses are reserved (I1): the network address, the IPv4 broadcast address and the gateway (the first usable
 * address); everything else is allocatable.
 */
public record Prefix(IPAddress block) {

    public Prefix {
        if (block == null || block.getNetworkPrefixLength() == null || !block.isPrefixBlock()) {
            throw new IllegalArgumentException("not a prefix block: " + block);
        }
    }

    /** Parses {@code 10.0.0.0/22}; a missing length or host bits set (10.0.0.1/22) is an invalid value. */
    public static Prefix parse(String text) {
        IPAddress parsed = Parsing.parse(text);
        if (parsed == null || parsed.getNetworkPrefixLength() == null) {
            throw Refusal.PREFIX_MALFORMED.with(text);
        }
        if (!parsed.isPrefixBlock()) {
            throw Refusal.PREFIX_HOST_BITS.with(text, parsed.toPrefixBlock().toCanonicalString());
        }
        return new Prefix(parsed.toPrefixBlock());
    }

    public Family family() {
        return block.isIPv4() ? Family.IPV4 : Family.IPV6;
    }

    public int length() {
        return block.getNetworkPrefixLength();
    }

    /** The first address (the network address). */
    public Address network() {
        return new Address(block.getLower().withoutPrefixLength());
    }

    /** The last address (for IPv4 the broadcast address). */
    public Address last() {
        return new Address(block.getUpper().withoutPrefixLength());
    }

    /** How many addresses the prefix spans. */
    public BigInteger size() {
        return block.getCount();
    }

    public boolean contains(Address address) {
        return block.contains(address.value());
    }

    public boolean contains(Prefix other) {
        return block.contains(other.block);
    }

    public boolean overlaps(Prefix other) {
        return block.overlaps(other.block);
    }

    /** The gateway: the first address after the network address, if the prefix has one. */
    public Optional<Address> gateway() {
        return size().compareTo(BigInteger.TWO) > 0 ? Optional.of(network().plus(1)) : Optional.empty();
    }

    /**
     * The addresses that may be handed out: all but the network address, the gateway and, for IPv4, the broadcast
     * address. Empty when nothing is left (IPv4 /31 and /32, IPv6 /127 and /128).
     */
    public Optional<Range> allocatable() {
        Address first = network().plus(2);
        Address last = family() == Family.IPV4 ? last().plus(-1) : last();
        BigInteger reserved = BigInteger.valueOf(family() == Family.IPV4 ? 3 : 2);
        return size().compareTo(reserved) > 0 ? Optional.of(new Range(first, last)) : Optional.empty();
    }

    /** True when the address is in this prefix but never handed out (network, gateway, IPv4 broadcast). */
    public boolean isReserved(Address address) {
        return contains(address) && allocatable().map(range -> !range.contains(address)).orElse(true);
    }

    /** The first (lowest) prefix of the given length inside this one. */
    public Prefix firstChild(int childLength) {
        if (childLength < length() || childLength > family().bits()) {
            throw new IllegalArgumentException("/" + childLength + " does not fit in " + this);
        }
        return blockOf(block.getLower(), childLength);
    }

    /** The other half of this prefix's parent: the block it merges with when both are free. Empty for /0. */
    public Optional<Prefix> buddy() {
        return parent().map(parent -> {
            Prefix lower = blockOf(parent.block.getLower(), length());
            return lower.equals(this) ? blockOf(parent.block.getUpper(), length()) : lower;
        });
    }

    /** The prefix one bit shorter that holds this one. Empty for /0. */
    public Optional<Prefix> parent() {
        return length() == 0 ? Optional.empty() : Optional.of(blockOf(block.getLower(), length() - 1));
    }

    private static Prefix blockOf(IPAddress address, int length) {
        return new Prefix(address.withoutPrefixLength().toPrefixBlock(length));
    }

    @Override
    public String toString() {
        return block.toCanonicalString();
    }
}
