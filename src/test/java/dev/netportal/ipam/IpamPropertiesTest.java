package dev.netportal.ipam;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Properties of the address maths over many random inputs. Each run uses a new seed, named in every failure so
 * that it can be replayed by putting it in {@link #SEED}.
 */
class IpamPropertiesTest {

    private static final long SEED = new SplittableRandom().nextLong();
    private static final int TRIES = 2_000;

    @Test
    void takingAnAddressLeavesEveryOtherAddressOfTheRangeFreeAndNothingElse() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < TRIES; i++) {
            Address first = Address.parse("10.0.0.0").plus(random.nextLong(1L << 24));
            Range range = new Range(first, first.plus(random.nextInt(5_000)));
            Address taken = first.plus(random.nextLong(range.size().longValue()));
            String example = "seed " + SEED + ", try " + i + ": " + taken + " from " + range;

            List<Range> rest = range.without(taken);

            assertThat(rest).as(example).noneMatch(r -> r.contains(taken));
            assertThat(rest.stream().map(Range::size).reduce(BigInteger.ZERO, BigInteger::add)).as(example)
                    .isEqualTo(range.size().subtract(BigInteger.ONE));
            assertThat(rest).as(example).allMatch(r -> range.contains(r.first()) && range.contains(r.last()));
            if (rest.size() == 2) {
                assertThat(rest.get(0).last().plus(2)).as(example).isEqualTo(rest.get(1).first());
            }
        }
    }

    @Test
    void carvingTilesTheFreeBlockAndTakesItsLowestPrefix() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < TRIES; i++) {
            int blockLength = random.nextInt(8, 25);
            Address somewhere = Address.parse("10.0.0.0").plus(random.nextLong(1L << 24));
            Prefix block = Prefix.parse(somewhere + "/32").parent().orElseThrow();
            while (block.length() > blockLength) {
                block = block.parent().orElseThrow();
            }
            int length = Math.min(30, blockLength + random.nextInt(0, 9));
            String example = "seed " + SEED + ", try " + i + ": /" + length + " from " + block;

            Carving.Split split = Carving.carve(block, length);

            assertThat(split.taken().network()).as(example).isEqualTo(block.network());
            assertThat(split.taken().length()).as(example).isEqualTo(length);
            List<Prefix> pieces = new ArrayList<>(split.stillFree());
            pieces.add(split.taken());
            assertThat(pieces.stream().map(Prefix::size).reduce(BigInteger.ZERO, BigInteger::add)).as(example)
                    .isEqualTo(block.size());
            for (int a = 0; a < pieces.size(); a++) {
                assertThat(block.contains(pieces.get(a))).as(example).isTrue();
                for (int b = a + 1; b < pieces.size(); b++) {
                    assertThat(pieces.get(a).overlaps(pieces.get(b))).as(example).isFalse();
                }
            }
        }
    }
}
