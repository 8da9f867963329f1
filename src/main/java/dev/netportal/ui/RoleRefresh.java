package dev.netportal.ui;

import dev.netportal.identity.Actor;
import dev.netportal.identity.Actors;
import dev.netportal.identity.IdentitySettings;
import jakarta.annotation.PreDestroy;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.endpoint.OAuth2RefreshTokenGrantRequest;
import org.springframework.security.oauth2.client.endpoint.RestClientRefreshTokenTokenResponseClient;
import org.springframework.security.oauth2.client.http.OAuth2ErrorResponseErrorHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2AccessTokenResponse;
import org.springframework.security.oauth2.core.http.converter.OAuth2AccessTokenResponseHttpMessageConverter;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * Re-reads a signed-in person's roles from the provider: every {@code netportal.ui.role-refresh} (default five
 * minutes) it refreshes the access token with the refresh token from sign-in and reads the groups from the new
 * token, as the API does from every request's token. A refused refresh means the session at the provider has
 * ended (or the refresh token was revoked).
 */
@Component
class RoleRefresh {

    private static final Logger log = LoggerFactory.getLogger(RoleRefresh.class);

    /** What one refresh found. */
    sealed interface Outcome {
        /** New tokens and the person as the new access token describes them. */
        record Refreshed(OAuth2AuthorizedClient client, Actor actor) implements Outcome {
        }

        /** The provider refused: the person must sign in again. */
        record Ended(String reason) implements Outcome {
        }

        /** The provider could not be asked (unreachable, an answer that is no token): the old roles stay until the next try. */
        record Failed(String reason) implements Outcome {
        }
    }

    private final Duration interval;
    private final Actors actors;
    private final IdentitySettings identity;
    private final RestClientRefreshTokenTokenResponseClient tokens = tokenClient();
    private final Map<String, JwtDecoder> decoders = new HashMap<>();  // per JWK set URI; guarded by this
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("netportal-role-refresh").factory());

    RoleRefresh(@Value("${netportal.ui.role-refresh:5m}") Duration interval, Actors actors, IdentitySettings identity) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("netportal.ui.role-refresh must be positive, not " + interval);
        }
        this.interval = interval;
        this.actors = actors;
        this.identity = identity;
    }

    /** The refresh-token grant as Spring Security does it, but never waiting more than ten seconds for the provider. */
    private static RestClientRefreshTokenTokenResponseClient tokenClient() {
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
        requests.setReadTimeout(Duration.ofSeconds(10));
        RestClientRefreshTokenTokenResponseClient client = new RestClientRefreshTokenTokenResponseClient();
        client.setRestClient(RestClient.builder()
                .requestFactory(requests)
                .messageConverters(converters -> {
                    converters.clear();
                    converters.add(new FormHttpMessageConverter());
                    converters.add(new OAuth2AccessTokenResponseHttpMessageConverter());
                })
                .defaultStatusHandler(new OAuth2ErrorResponseErrorHandler())
                .build());
        return client;
    }

    Duration interval() {
        return interval;
    }

    /** Runs {@code task} every interval, each run on a virtual thread of its own (a refresh waits for the provider). */
    ScheduledFuture<?> every(Runnable task) {
        long millis = interval.toMillis();
        return ticks.scheduleAtFixedRate(() -> Thread.ofVirtual().name("netportal-role-refresh-", 0).start(task),
                millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Asks the provider for new tokens and reads the roles from the new access token; {@code signInClaims} (the ID
     * token's) give the name where the access token has none.
     */
    Outcome refresh(OAuth2AuthorizedClient client, Map<String, Object> signInClaims) {
        if (client.getRefreshToken() == null) {
            return new Outcome.Ended("the provider gave no refresh token at sign-in");
        }
        ClientRegistration registration = client.getClientRegistration();
        OAuth2AccessTokenResponse response;
        try {
            response = tokens.getTokenResponse(new OAuth2RefreshTokenGrantRequest(registration,
                    client.getAccessToken(), client.getRefreshToken()));
        } catch (OAuth2AuthorizationException e) {
            String code = e.getError().getErrorCode();
            if (OAuth2ErrorCodes.INVALID_GRANT.equals(code)) {
                return new Outcome.Ended("the provider refused the refresh token: " + e.getError());
            }
            return new Outcome.Failed("the token refresh failed: " + e.getError());
        } catch (RuntimeException e) {
            return new Outcome.Failed("the token refresh failed: " + e);
        }
        Map<String, Object> claims = new HashMap<>(signInClaims);
        try {
            Map<String, Object> accessClaims = decoder(registration).decode(response.getAccessToken().getTokenValue()).getClaims();
            claims.remove(identity.roleClaim());
            claims.putAll(accessClaims);
        } catch (JwtException e) {
            return new Outcome.Failed("the refreshed access token is not a valid JWT of the provider: " + e.getMessage());
        }
        OAuth2AuthorizedClient refreshed = new OAuth2AuthorizedClient(registration, client.getPrincipalName(),
                response.getAccessToken(),
                response.getRefreshToken() != null ? response.getRefreshToken() : client.getRefreshToken());
        return new Outcome.Refreshed(refreshed, actors.fromClaims(claims));
    }

    /** Signature (the provider's published keys), issuer and time stamps of access tokens, as the API checks them. */
    private synchronized JwtDecoder decoder(ClientRegistration registration) {
        ClientRegistration.ProviderDetails provider = registration.getProviderDetails();
        return decoders.computeIfAbsent(provider.getJwkSetUri(), uri -> {
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(uri).build();
            decoder.setJwtValidator(provider.getIssuerUri() == null
                    ? JwtValidators.createDefault()
                    : JwtValidators.createDefaultWithIssuer(provider.getIssuerUri()));
            return decoder;
        });
    }

    @PreDestroy
    void stop() {
        ticks.shutdownNow();
        log.debug("Role refresh stopped");
    }
}
