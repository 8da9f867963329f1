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
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/**
 * The API is a stateless OAuth2 resource server: every call but health, the OpenAPI document and the agent
 * protocol carries a JWT whose issuer, signature, expiry and audience are checked
 * (spring.security.oauth2.resourceserver.jwt.*). Its answers are JSON for programs: the Content-Security-Policy
 * lets them load and run nothing and be framed nowhere, with {@code nosniff} and no referrer; the Swagger UI
 * pages get a policy that lets them run their own scripts. HSTS goes with answers to requests that came over TLS
 * (also through a proxy, see {@code server.forward-headers-strategy}).
 */
@Configuration(proxyBeanMethods = false)
class ApiSecurity {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

    /**
     * Swagger UI: its own scripts, styles (its bundle adds style elements) and images (some as data: URIs), and
     * calls to this API only.
     */
    static final String DOCS_CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'");

    /**
     * Firewall agents authenticate with their firewall's agent credential, which {@link AgentController} checks
     * against its stored hash: no user token is involved, so these paths pass the resource server by.
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityWebFilterChain agentFilterChain(ServerHttpSecurity http, ApiErrors errors) {
        return stateless(http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/agent/**"))
                .authorizeExchange(exchanges -> exchanges.anyExchange().permitAll()), errors, CONTENT_SECURITY_POLICY)
                .build();
    }

    /** The Swagger UI pages: public, like the OpenAPI document they show. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 1)
    SecurityWebFilterChain docsFilterChain(ServerHttpSecurity http, ApiErrors errors) {
        return stateless(http.securityMatcher(ServerWebExchangeMatchers.pathMatchers(
                        "/swagger-ui.html", "/swagger-ui/**", "/webjars/**"))
                .authorizeExchange(exchanges -> exchanges.anyExchange().permitAll()), errors, DOCS_CONTENT_SECURITY_POLICY)
                .build();
    }

    @Bean
    SecurityWebFilterChain apiFilterChain(ServerHttpSecurity http, ApiErrors errors) {
        return stateless(http
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers("/actuator/health", "/actuator/health/**", "/v3/api-docs", "/v3/api-docs/**").permitAll()
                        .anyExchange().authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(Customizer.withDefaults())
                        .authenticationEntryPoint(errors)
                        .accessDeniedHandler(errors)), errors, CONTENT_SECURITY_POLICY)
                .build();
    }

    /**
     * No sessions, no cookies, no forms: every request stands alone, and refusals are problem documents. Spring
     * Security's default headers stay (nosniff, no caching, {@code X-Frame-Options: DENY}, HSTS over TLS).
     */
    private static ServerHttpSecurity stateless(ServerHttpSecurity http, ApiErrors errors, String contentSecurityPolicy) {
        return http
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(contentSecurityPolicy))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER)))
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
