package dev.netportal.limits;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The rate limits ({@code netportal.rate-limits.*}, e.g. {@code NETPORTAL_RATE_LIMITS_ENABLED}). Each limit is a
 * token bucket: a steady rate and a burst (the bucket's size, full at first). The defaults let a person or a
 * well-behaved script work freely and stop a runaway loop within a second.
 *
 * @param enabled                off only for benchmarks and load tests
 * @param writesPerSecond        API writes (POST, PUT, PATCH, DELETE) per caller (token subject)
 * @param writeBurst             writes a caller may send at once
 * @param readsPerSecond         API reads (GET, HEAD, OPTIONS) per caller
 * @param readBurst              reads a caller may send at once
 * @param perAddressPerSecond    API requests per client address (an IPv6 client counts by its /64), signed in or
 *                               not: the limit that also holds for unknown and refused tokens
 * @param perAddressBurst        requests an address may send at once
 * @param signInsPerMinute       sign-ins started per client address in the UI (an office behind one address
 *                               shares it)
 * @param signInBurst            sign-ins an address may start at once
 * @param agentConnectsPerMinute stream connections per firewall (its agent reconnects with a growing pause)
 * @param agentConnectBurst      connections a firewall may open at once
 * @param agentMessagesPerSecond messages an agent may send on its stream; beyond them the stream is closed
 * @param agentMessageBurst      messages an agent may send at once
 * @param trustedProxies         addresses or CIDR ranges of proxies (an ingress) whose {@code X-Forwarded-For}
 *                               names the client; from anyone else the header is ignored
 * @param trackedKeys            at most this many callers and addresses are tracked per limit (the least recently
 *                               seen are forgotten first, which only ever gives them a full bucket again)
 */
@ConfigurationProperties("netportal.rate-limits")
public record RateLimitSettings(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("20") int writesPerSecond,
        @DefaultValue("50") int writeBurst,
        @DefaultValue("200") int readsPerSecond,
        @DefaultValue("500") int readBurst,
        @DefaultValue("300") int perAddressPerSecond,
        @DefaultValue("1000") int perAddressBurst,
        @DefaultValue("120") int signInsPerMinute,
        @DefaultValue("120") int signInBurst,
        @DefaultValue("6") int agentConnectsPerMinute,
        @DefaultValue("10") int agentConnectBurst,
        @DefaultValue("20") int agentMessagesPerSecond,
        @DefaultValue("100") int agentMessageBurst,
        @DefaultValue("") List<String> trustedProxies,
        @DefaultValue("100000") int trackedKeys) {

    public RateLimitSettings {
        trustedProxies = trustedProxies == null ? List.of()
                : trustedProxies.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        for (int value : new int[] {writesPerSecond, writeBurst, readsPerSecond, readBurst, perAddressPerSecond,
                perAddressBurst, signInsPerMinute, signInBurst, agentConnectsPerMinute, agentConnectBurst,
                agentMessagesPerSecond, agentMessageBurst, trackedKeys}) {
            if (value < 1) {
                throw new IllegalArgumentException("netportal.rate-limits.*: every rate, burst and trackedKeys is at least 1");
            }
        }
    }

    /** The bucket of one kind of limit: its rate per period and its burst. */
    Rate rate(Limit limit) {
        return switch (limit) {
            case WRITE -> new Rate(writesPerSecond, Duration.ofSeconds(1), writeBurst);
            case READ -> new Rate(readsPerSecond, Duration.ofSeconds(1), readBurst);
            case ADDRESS -> new Rate(perAddressPerSecond, Duration.ofSeconds(1), perAddressBurst);
            case SIGN_IN -> new Rate(signInsPerMinute, Duration.ofMinutes(1), signInBurst);
            case AGENT_CONNECT -> new Rate(agentConnectsPerMinute, Duration.ofMinutes(1), agentConnectBurst);
            case AGENT_MESSAGE -> new Rate(agentMessagesPerSecond, Duration.ofSeconds(1), agentMessageBurst);
        };
    }

    /** {@code tokens} per {@code period}, at most {@code burst} at once. */
    record Rate(int tokens, Duration period, int burst) {

        /** How long an untouched bucket takes to fill up again: after that, forgetting it changes nothing. */
        Duration refillTime() {
            return period.multipliedBy(burst).dividedBy(tokens).plus(period);
        }

        /** In words, for refusals: "20 per second, bursts of 50". */
        String describe() {
            String unit = period.equals(Duration.ofMinutes(1)) ? "minute" : "second";
            return tokens + " per " + unit + ", bursts of " + burst;
        }
    }
}
