package dev.netportal.api;

import java.util.ArrayList;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * What the API asks of an access token beyond issuer, signature, audience and time (checked by the resource
 * server's defaults, with a minute of clock skew for {@code exp} and {@code nbf}): a subject, since every
 * caller's rights, idempotency keys and the four-eyes rule hang on it; an expiry, since a token without one
 * would be good for ever; and that it is an access token, not an ID token meant for the UI (ID tokens carry
 * {@code nonce}, {@code at_hash} or {@code c_hash}, a Keycloak ID token says {@code "typ": "ID"}, and a token
 * typed {@code id+jwt} in its header is one too).
 */
@Configuration(proxyBeanMethods = false)
class TokenRules {

    /** Picked up by the resource server's decoder next to its own validators. */
    @Bean
    OAuth2TokenValidator<Jwt> accessTokenRules() {
        return TokenRules::check;
    }

    static OAuth2TokenValidatorResult check(Jwt token) {
        List<OAuth2Error> errors = new ArrayList<>();
        String subject = token.getSubject();
        if (subject == null || subject.isBlank()) {
            errors.add(invalid("the token has no subject (sub)"));
        }
        if (token.getExpiresAt() == null) {
            errors.add(invalid("the token has no expiry (exp)"));
        }
        boolean idTokenClaims = token.hasClaim("nonce") || token.hasClaim("at_hash") || token.hasClaim("c_hash")
                || "ID".equals(token.getClaimAsString("typ"));
        Object headerType = token.getHeaders().get("typ");
        if (idTokenClaims || (headerType instanceof String type && type.equalsIgnoreCase("id+jwt"))) {
            errors.add(invalid("this is an ID token; the API takes access tokens only"));
        }
        return errors.isEmpty() ? OAuth2TokenValidatorResult.success() : OAuth2TokenValidatorResult.failure(errors);
    }

    private static OAuth2Error invalid(String description) {
        return new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, description, null);
    }
}
