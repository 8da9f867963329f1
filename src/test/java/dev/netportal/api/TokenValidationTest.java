package dev.netportal.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.netportal.idp.IdpContext;
import dev.netportal.testing.Api;
import dev.netportal.testing.PkceLogin;
import dev.netportal.testing.TestPortal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * The API accepts only tokens of its issuer, signed with the issuer's key, unexpired and for its audience. Each
 * refused token differs from an accepted one in exactly one respect, so each test fails if that check is missing.
 */
class TokenValidationTest {

    private final TestPortal portal = TestPortal.shared();

    @Test
    void acceptsAWellFormedTokenOfTheIssuer() {
        Api.Answer me = Api.get(portal.apiUrl() + "/api/v1/me", signedByIssuer(claims -> claims));

        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("subject").asString()).isEqualTo("bob");
    }

    @Test
    void refusesARequestWithoutToken() {
        assertRefused(Api.get(portal.apiUrl() + "/api/v1/me", null), "bearer token");
    }

    @Test
    void refusesATokenOfAnotherIssuer() {
        String token = signedByIssuer(claims -> claims.issuer("http://localhost:1/another-provider"));

        assertRefused(Api.get(portal.apiUrl() + "/api/v1/me", token), "iss");
    }

    @Test
    void refusesAnExpiredToken() {
        Instant past = Instant.now().minus(Duration.ofHours(1));
        String token = signedByIssuer(claims -> claims.issuedAt(past).notBefore(past).expiresAt(past.plusSeconds(300)));

        assertRefused(Api.get(portal.apiUrl() + "/api/v1/me", token), "expired");
    }

    @Test
    void refusesATokenWithoutSubject() {
        String token = signedByIssuer(claims -> claims.claims(all -> all.remove("sub")));

        assertRefused(Api.get(portal.apiUrl() + "/api/v1/me", token), "no subject (sub)");
    }

    @Test
    void refusesATokenWithABlankSubject() {
        assertRefused(Api.get(portal.apiUrl() + "/api/v1/me", signedByIssuer(claims -> claims.subject(" "))),
                "no subject (sub)");
    }

    @Test
    void refusesATokenWithoutExpiry() {
        String token = signedByIssuer(claims -> claims.claims(all -> all.remove("exp")));

        assertRefused(Api.get(portal.apiUrl() + "/api/v1/me", token), "no expiry (exp)");
    }

    @Test
    void refusesATokenNotValidYet() {
        Instant later = Instant.now().plus(Duration.ofMinutes(10));
        String token = signedByIssuer(claims -> claims.notBefore(later).expiresAt(later.plusSeconds(300)));

        assertRefused(Api.get(portal.apiUrl() + "/api/v1/me", token), "used before");
    }

    @Test
    void refusesAnIdTokenEvenWithTheApisAudience() {
        assertRefused(Api.get(portal.apiUrl() + "/api/v1/me", signedByIssuer(claims -> claims.claim("nonce", "n-0S6"))),
                "ID token");
        assertRefused(Api.get(portal.apiUrl() + "/api/v1/me", signedByIssuer(claims -> claims.claim("typ", "ID"))),
                "ID token");
    }

    @Test
    void refusesTheIdTokenTheUiGetsAtSignIn() {
        String idToken = PkceLogin.idToken(portal.issuer(), "bob", "bob");

        assertRefused(Api.get(portal.apiUrl() + "/api/v1/me", idToken), "");
    }

    @Test
    void refusesATokenForAnotherAudience() {
        String token = signedByIssuer(claims -> claims.audience(List.of("some-other-api")));

        assertRefused(Api.get(portal.apiUrl() + "/api/v1/me", token), "aud");
    }

    @Test
    void refusesATokenSignedWithAnotherKey() throws Exception {
        RSAKey foreign = new RSAKeyGenerator(2048).keyID("foreign").generate();
        String token = sign(new ImmutableJWKSet<>(new JWKSet(foreign)), validClaims().build());

        assertRefused(Api.get(portal.apiUrl() + "/api/v1/me", token), "");
    }

    @Test
    void refusesAGarbledToken() {
        assertRefused(Api.get(portal.apiUrl() + "/api/v1/me", "not.a.jwt"), "");
    }

    private static void assertRefused(Api.Answer answer, String detailMentions) {
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.raw().headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(answer.json().get("type").asString()).endsWith("/errors/unauthorized");
        assertThat(answer.json().get("status").asInt()).isEqualTo(401);
        assertThat(answer.json().get("detail").asString()).contains(detailMentions);
    }

    private JwtClaimsSet.Builder validClaims() {
        Instant now = Instant.now();
        return JwtClaimsSet.builder()
                .issuer(portal.issuer())
                .subject("bob")
                .audience(List.of("netportal-cli", "netportal-api"))
                .issuedAt(now)
                .notBefore(now)
                .expiresAt(now.plusSeconds(300))
                .claim("groups", List.of("project:tenant-a:owner"))
                .claim("name", "Bob Tenant-A");
    }

    @SuppressWarnings("unchecked")
    private String signedByIssuer(UnaryOperator<JwtClaimsSet.Builder> change) {
        JWKSource<SecurityContext> keys = portal.portal().context(IdpContext.class).orElseThrow().getBean(JWKSource.class);
        return sign(keys, change.apply(validClaims()).build());
    }

    private static String sign(JWKSource<SecurityContext> keys, JwtClaimsSet claims) {
        return new NimbusJwtEncoder(keys)
                .encode(JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.RS256).build(), claims))
                .getTokenValue();
    }
}
