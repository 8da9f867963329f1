package dev.netportal.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.netportal.common.Hashes;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Token buckets per limit and key (a token subject, a client address, a firewall), in memory of this process:
 * with several API instances behind a load balancer, a caller spread over n instances may send up to n times a
 * limit. That is deliberate: the limits stop runaway loops and floods, for which a factor of n changes nothing,
 * and asking a shared store on every request would cost a database round trip per request (see
 * {@code docs/security.md}); what must hold across instances (stored idempotency answers, audit size) is bounded
 * in the database.
 */
@Component
public class RateLimits {

    /** Keys are subjects, addresses and firewall ids; a longer key is kept as its digest, so tracked keys stay small. */
    static final int MAX_KEY = 512;

    private final RateLimitSettings settings;
    private final Map<Limit, Cache<String, Bucket>> buckets = new EnumMap<>(Limit.class);

    public RateLimits(RateLimitSettings settings) {
        this.settings = settings;
        for (Limit limit : Limit.values()) {
            RateLimitSettings.Rate rate = settings.rate(limit);
            buckets.put(limit, Caffeine.newBuilder()
                    .maximumSize(settings.trackedKeys())
                    .expireAfterAccess(rate.refillTime())
                    .build());
        }
    }

    public boolean enabled() {
        return settings.enabled();
    }

    public RateLimitSettings settings() {
        return settings;
    }

    /** Takes one token of {@code key}'s bucket for {@code limit}; always allowed when limits are off. */
    public Decision take(Limit limit, String key) {
        if (!settings.enabled()) {
            return Decision.ALLOWED;
        }
        RateLimitSettings.Rate rate = settings.rate(limit);
        Bucket bucket = buckets.get(limit).get(key.length() > MAX_KEY ? Hashes.sha256(key) : key, k -> Bucket.builder()
                .addLimit(l -> l.capacity(rate.burst()).refillGreedy(rate.tokens(), rate.period()))
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return new Decision(true, Duration.ZERO, probe.getRemainingTokens(), limit, rate.describe());
        }
        return new Decision(false, Duration.ofNanos(probe.getNanosToWaitForRefill()), 0, limit, rate.describe());
    }

    /**
     * The answer of one bucket.
     *
     * @param allowed    whether the request may go on
     * @param retryAfter when refused, how long until a token is back
     * @param remaining  tokens left after this one
     * @param limit      the limit asked
     * @param rate       the limit in words ("20 per second, bursts of 50")
     */
    public record Decision(boolean allowed, Duration retryAfter, long remaining, Limit limit, String rate) {

        static final Decision ALLOWED = new Decision(true, Duration.ZERO, Long.MAX_VALUE, null, "");

        /** Whole seconds for a {@code Retry-After} header: at least 1. */
        public long retryAfterSeconds() {
            return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        }

        /** The refusal in words, naming the limit and when to try again. */
        public String message() {
            return "Too many " + limit.counted() + ": the limit is " + rate + ". Nothing was done; send it again in "
                    + retryAfterSeconds() + " s.";
        }
    }
}
