package dev.netportal.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

/**
 * Access tokens decoded once, then remembered for a short while: a client sends the same token with every
 * request, and checking it (RSA signature, JSON, issuer, audience, {@link TokenRules}) cost more CPU than many of
 * the requests themselves. A token is found again only by its exact text, so what was accepted is exactly what
 * comes again; it is remembered only after every check passed (a refused token is checked anew each time), only
 * until its expiry ({@code exp}, without the clock skew the first check allows), and at most {@link #KEPT_FOR}:
 * a signing key withdrawn from the provider's key set stops tokens signed with it within that time, as the key
 * set's own cache in the decoder already allows. At most {@link #MAXIMUM} tokens are kept (about 3 KB each).
 */
final class DecodedTokens implements ReactiveJwtDecoder {

    static final Duration KEPT_FOR = Duration.ofSeconds(60);
    static final int MAXIMUM = 10_000;

    private final ReactiveJwtDecoder decoder;
    private final Clock clock;
    private final Cache<String, Jwt> accepted;

    DecodedTokens(ReactiveJwtDecoder decoder, Clock clock) {
        this.decoder = decoder;
        this.clock = clock;
        this.accepted = Caffeine.newBuilder().maximumSize(MAXIMUM).expireAfterWrite(KEPT_FOR).build();
    }

    @Override
    public Mono<Jwt> decode(String token) {
        Jwt known = accepted.getIfPresent(token);
        if (known != null) {
            if (clock.instant().isBefore(known.getExpiresAt())) {
                return Mono.just(known);
            }
            accepted.invalidate(token);
        }
        return decoder.decode(token).doOnNext(jwt -> {
            Instant expiry = jwt.getExpiresAt();
            if (expiry != null && clock.instant().isBefore(expiry)) {
                accepted.put(token, jwt);
            }
        });
    }

    /** Wraps the resource server's decoder (built by Spring Boot from the issuer's settings). */
    @Configuration(proxyBeanMethods = false)
    static class Wrapping {

        @Bean
        static BeanPostProcessor rememberDecodedTokens() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    return bean instanceof ReactiveJwtDecoder decoder && !(bean instanceof DecodedTokens)
                            ? new DecodedTokens(decoder, Clock.systemUTC()) : bean;
                }
            };
        }
    }
}
