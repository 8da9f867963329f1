package dev.netportal.ipam;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** The addresses from {@code first} to {@code last}, both included: a run of free addresses in a network. */
public record Range(Address first, Address last) {

    public Range {
        if (first.family() != last.family() || first.compareTo(last) > 0) {
            throw new IllegalArgumentException("not a range: " + first + " - " + last);
        }
    }

    public boolean contains(Address address) {
        return first.compareTo(address) <= 0 && address.compareTo(last) <= 0;
    }

    public BigInteger size() {
        return last.value().getValue().subtract(first.value().getValue()).add(BigInteger.ONE);
    }

    /** What stays free when {@code taken} (inside this range) is handed out: zero, one or two ranges. */
    public List<Range> without(Address taken) {
        if (!contains(taken)) {
            throw new IllegalArgumentException(taken + " is not in " + this);
        }
        List<Range> rest = new ArrayList<>(2);
        if (first.compareTo(taken) < 0) {
            rest.add(new Range(first, taken.plus(-1)));
        }
        if (taken.compareTo(last) < 0) {
            rest.add(new Range(taken.plus(1), last));
        }
        return rest;
    }

    @Override
    public String toString() {
        return first + "-" + last;
    }
}
