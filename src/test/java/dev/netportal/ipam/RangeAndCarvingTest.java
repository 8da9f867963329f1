package dev.netportal.ipam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RangeAndCarvingTest {

    private static Range range(String first, String last) {
        return new Range(Address.parse(first), Address.parse(last));
    }

    @Test
    void takingAnAddressSplitsItsRange() {
        Range free = range("10.0.0.2", "10.0.0.254");

        assertThat(free.without(Address.parse("10.0.0.2"))).containsExactly(range("10.0.0.3", "10.0.0.254"));
        assertThat(free.without(Address.parse("10.0.0.254"))).containsExactly(range("10.0.0.2", "10.0.0.253"));
        assertThat(free.without(Address.parse("10.0.0.100")))
                .containsExactly(range("10.0.0.2", "10.0.0.99"), range("10.0.0.101", "10.0.0.254"));
        assertThat(range("10.0.0.9", "10.0.0.9").without(Address.parse("10.0.0.9"))).isEmpty();
        assertThat(free.size()).hasToString("253");
    }

    @Test
    void takingAnIpv6AddressAcrossAWordBoundary() {
        Range free = range("2001:db8::fffe", "2001:db8::1:1");

        assertThat(free.without(Address.parse("2001:db8::ffff")))
                .containsExactly(range("2001:db8::fffe", "2001:db8::fffe"), range("2001:db8::1:0", "2001:db8::1:1"));
    }

    @Test
    void carvingTakesTheFirstPrefixAndLeavesBuddiesLowestFirst() {
        Carving.Split split = Carving.carve(Prefix.parse("10.0.0.0/16"), 18);

        assertThat(split.taken()).isEqualTo(Prefix.parse("10.0.0.0/18"));
        assertThat(split.stillFree()).containsExactly(Prefix.parse("10.0.128.0/17"), Prefix.parse("10.0.64.0/18"));
    }

    @Test
    void carvingAWholeBlockLeavesNothing() {
        Carving.Split split = Carving.carve(Prefix.parse("10.0.4.0/22"), 22);

        assertThat(split.taken()).isEqualTo(Prefix.parse("10.0.4.0/22"));
        assertThat(split.stillFree()).isEmpty();
    }

    @Test
    void carvedPiecesTileTheBlockExactly() {
        Prefix block = Prefix.parse("2001:db8::/48");
        Carving.Split split = Carving.carve(block, 64);

        List<Prefix> pieces = new java.util.ArrayList<>(split.stillFree());
        pieces.add(split.taken());
        java.math.BigInteger total = pieces.stream().map(Prefix::size).reduce(java.math.BigInteger.ZERO, java.math.BigInteger::add);
        assertThat(total).isEqualTo(block.size());
        for (int i = 0; i < pieces.size(); i++) {
            assertThat(block.contains(pieces.get(i))).isTrue();
            for (int j = i + 1; j < pieces.size(); j++) {
                assertThat(pieces.get(i).overlaps(pieces.get(j))).as(pieces.get(i) + " vs " + pieces.get(j)).isFalse();
            }
        }
    }
}
