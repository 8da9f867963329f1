package dev.netportal.idp;

import dev.netportal.identity.IdentitySettings;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/** Demo users and the claims that Netportal reads from their tokens. */
@Configuration(proxyBeanMethods = false)
class IdpConfiguration {

    @Bean
    UserDetailsService demoUsers() {
        return new InMemoryUserDetailsManager(DemoUser.ALL.stream()
                .map(user -> User.withUsername(user.username()).password("{noop}" + user.username()).roles("USER").build())
                .toList());
    }

    /**
     * ID and access tokens carry the display name and the role claim (the user's groups in the directory now,
     * also when a token is refreshed); access tokens also name the API as audience, which the API checks.
     */
    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> netportalClaims(IdentitySettings identity, DemoDirectory directory,
            @Value("${netportal.oidc.audience}") String apiAudience) {
        return context -> DemoUser.find(context.getPrincipal().getName()).ifPresent(user -> {
            boolean accessToken = OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType());
            boolean idToken = OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue());
            if (accessToken || idToken) {
                context.getClaims()
                        .claim(identity.roleClaim(), directory.groups(user.username()))
                        .claim("name", user.name())
                        .claim("preferred_username", user.username())
                        .claim("email", user.email());
            }
            if (accessToken) {
                context.getClaims().audience(List.of(context.getRegisteredClient().getClientId(), apiAudience));
            }
        });
    }
}
