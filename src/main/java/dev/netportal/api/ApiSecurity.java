package dev.netportal.api;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/**
 * The API is a stateless OAuth2 resource server: every call but health, the OpenAPI document and the agent
 * protocol carries a JWT whose issuer, signature, expiry and audience are checked
 * (spring.security.oauth2.resourceserver.jwt.*).
 */
@Configuration(proxyBeanMethods = false)
class ApiSecurity {

    /**
     * Firewall agents authenticate with their firewall's agent credential, which {@link AgentController} checks
     * against its stored hash: no user token is involved, so these paths pass the resource server by.
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityWebFilterChain agentFilterChain(ServerHttpSecurity http, ApiErrors errors) {
        return stateless(http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/agent/**"))
                .authorizeExchange(exchanges -> exchanges.anyExchange().permitAll()), errors)
                .build();
    }

    @Bean
    SecurityWebFilterChain apiFilterChain(ServerHttpSecurity http, ApiErrors errors) {
        return stateless(http
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers("/actuator/health", "/actuator/health/**", "/v3/api-docs", "/v3/api-docs/**",
                                "/swagger-ui.html", "/swagger-ui/**", "/webjars/**").permitAll()
                        .anyExchange().authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(Customizer.withDefaults())
                        .authenticationEntryPoint(errors)
                        .accessDeniedHandler(errors)), errors)
                .build();
    }

    /** No sessions, no cookies, no forms: every request stands alone, and refusals are problem documents. */
    private static ServerHttpSecurity stateless(ServerHttpSecurity http, ApiErrors errors) {
        return http
                .exceptionHandling(handling -> handling.authenticationEntryPoint(errors).accessDeniedHandler(errors))
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance());
    }

    /**
     * The default firewall (malformed paths are refused, answered by {@link ApiErrors}), and query values with the
     * NUL character too: PostgreSQL cannot compare text holding one.
     */
    @Bean
    StrictServerWebExchangeFirewall exchangeFirewall() {
        StrictServerWebExchangeFirewall firewall = new StrictServerWebExchangeFirewall();
        firewall.setAllowedParameterValues(value -> value.indexOf('\0') < 0);
        return firewall;
    }
}
