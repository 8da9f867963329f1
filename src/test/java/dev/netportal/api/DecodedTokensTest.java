package dev.netportal.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import dev.netportal.testing.Api;
import dev.netportal.testing.PkceLogin;
import dev.netportal.testing.TestPortal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

class DecodedTokensTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    private final List<String> checked = new ArrayList<>();
    private Instant expiry = NOW.plusSeconds(300);

    /** A decoder that accepts tokens starting with "good" (expiring at {@link #expiry}) and counts its checks. */
    private final ReactiveJwtDecoder checking = token -> {
        checked.add(token);
        return token.startsWith("good")
                ? Mono.just(Jwt.withTokenValue(token).header("alg", "RS256").subject("alice").issuedAt(expiry.minusSeconds(300))
                        .expiresAt(expiry).build())
                : Mono.error(new BadJwtException("bad signature"));
    };

    @Test
    void aTokenSentAgainIsCheckedOnce() {
        DecodedTokens tokens = new DecodedTokens(checking, Clock.fixed(NOW, ZoneOffset.UTC));

        Jwt first = tokens.decode("good-1").block();
        Jwt second = tokens.decode("good-1").block();
        tokens.decode("good-2").block();

        assertThat(second).isSameAs(first);
        assertThat(checked).containsExactly("good-1", "good-2");
    }

    @Test
    void aRefusedTokenIsCheckedEveryTime() {
        DecodedTokens tokens = new DecodedTokens(checking, Clock.fixed(NOW, ZoneOffset.UTC));

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> tokens.decode("forged").block()).isInstanceOf(BadJwtException.class);
        }
        assertThat(checked).hasSize(3);
    }

    @Test
    void anExpiredTokenIsCheckedAgainAndNotAnsweredFromMemory() {
        MovableClock clock = new MovableClock(NOW);
        DecodedTokens tokens = new DecodedTokens(checking, clock);
        tokens.decode("good-1").block();

        clock.now = expiry;   // expired now (the decoder's own check would allow its clock skew, the memory does not)
        tokens.decode("good-1").block();

        assertThat(checked).containsExactly("good-1", "good-1");
    }

    @Test
    void aTokenAlreadyExpiredWhenCheckedIsNotRemembered() {
        expiry = NOW.minusSeconds(30);   // within the decoder's clock skew: it accepts
        DecodedTokens tokens = new DecodedTokens(checking, Clock.fixed(NOW, ZoneOffset.UTC));

        tokens.decode("good-1").block();
        tokens.decode("good-1").block();

        assertThat(checked).hasSize(2);
    }

    @Test
    void theApiRemembersTokensAndStillRefusesAChangedOne() {
        TestPortal portal = TestPortal.shared();
        assertThat(portal.portal().context(ApiContext.class).orElseThrow().getBean(ReactiveJwtDecoder.class))
                .isInstanceOf(DecodedTokens.class);
        String token = PkceLogin.accessToken(portal.issuer(), "bob", "bob");
        assertThat(Api.get(portal.apiUrl() + "/api/v1/me", token).status()).isEqualTo(200);
        assertThat(Api.get(portal.apiUrl() + "/api/v1/me", token).status()).isEqualTo(200);

        String[] parts = token.split("\\.");
        String otherSubject = Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1])).replace("\"sub\":\"bob\"", "\"sub\":\"admin\"").getBytes());
        String signatureChanged = parts[0] + "." + parts[1] + "." + (parts[2].charAt(0) == 'A' ? 'B' : 'A') + parts[2].substring(1);

        assertThat(Api.get(portal.apiUrl() + "/api/v1/me", parts[0] + "." + otherSubject + "." + parts[2]).status()).isEqualTo(401);
        assertThat(Api.get(portal.apiUrl() + "/api/v1/me", signatureChanged).status()).isEqualTo(401);
    }

    private static final class MovableClock extends Clock {
        Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
