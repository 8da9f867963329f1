package dev.netportal.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The buckets themselves: a burst, then refusals with a wait; keys apart; any key, however long. */
class RateLimitsTest {

    private final RateLimits limits = new RateLimits(new RateLimitSettings(true, 1, 3, 1, 3, 1, 3, 1, 3, 1, 3, 1, 3,
            List.of(), 1000));

    @Test
    void aBurstThenARefusalThatSaysHowLongToWait() {
        assertThat(List.of(limits.take(Limit.WRITE, "a").allowed(), limits.take(Limit.WRITE, "a").allowed(),
                limits.take(Limit.WRITE, "a").allowed())).containsOnly(true);
        RateLimits.Decision refused = limits.take(Limit.WRITE, "a");

        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
        assertThat(refused.message()).contains("Too many writes", "1 per second, bursts of 3");
        assertThat(limits.take(Limit.WRITE, "b").allowed()).as("another key").isTrue();
        assertThat(limits.take(Limit.READ, "a").allowed()).as("another limit").isTrue();
    }

    @Test
    void aVeryLongKeyIsCountedLikeAnyOther() {
        String subject = "s".repeat(10_000);
        for (int i = 0; i < 3; i++) {
            assertThat(limits.take(Limit.WRITE, subject).allowed()).isTrue();
        }
        assertThat(limits.take(Limit.WRITE, subject).allowed()).isFalse();
        assertThat(limits.take(Limit.WRITE, subject + "t").allowed()).as("a different long key").isTrue();
    }
}
