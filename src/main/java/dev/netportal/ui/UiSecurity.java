package dev.netportal.ui;

import static com.vaadin.flow.spring.security.VaadinSecurityConfigurer.vaadin;

import com.vaadin.flow.spring.security.VaadinDefaultRequestCache;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;

/**
 * Every view but the signed-out page needs a signed-in user; visitors are sent to the OpenID Connect provider.
 * Signing out ends the provider's session too (RP-initiated logout) and lands on the signed-out page. Every answer
 * carries a Content-Security-Policy as tight as Vaadin allows, {@code nosniff}, a referrer policy and no framing;
 * HSTS goes with answers to requests that came over TLS (also through a proxy, see
 * {@code server.forward-headers-strategy}).
 */
@Configuration(proxyBeanMethods = false)
class UiSecurity {

    static final String REGISTRATION = "netportal";
    static final String SIGN_IN = "/oauth2/authorization/" + REGISTRATION;

    /**
     * Vaadin Flow starts its client engine with an inline script and runs the JavaScript the server sends by
     * constructing functions ({@code 'unsafe-inline' 'unsafe-eval'} for scripts); its components set inline
     * styles. Everything else comes from the UI's own origin; the push channel is a same-origin websocket.
     */
    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'",
            "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'");

    @Bean
    SecurityFilterChain uiFilterChain(HttpSecurity http, VaadinDefaultRequestCache requestCache) throws Exception {
        // after sign-in the browser returns to the page it asked for as it was, without a "?continue" marker
        HttpSessionRequestCache remembered = new HttpSessionRequestCache();
        remembered.setMatchingRequestParameterName(null);
        requestCache.setDelegateRequestCache(remembered);
        http.authorizeHttpRequests(requests -> requests
                .requestMatchers("/styles/**", "/actuator/health", "/actuator/health/**").permitAll());
        http.headers(headers -> headers
                .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN))
                .frameOptions(frames -> frames.deny())
                .withObjectPostProcessor(new ObjectPostProcessor<HeaderWriterFilter>() {
                    // Vaadin's pages are forwarded to its servlet, which commits the response past the wrapper
                    // that would add the headers at commit time: they are written before the request goes on
                    @Override
                    public <F extends HeaderWriterFilter> F postProcess(F filter) {
                        filter.setShouldWriteHeadersEagerly(true);
                        return filter;
                    }
                }));
        http.with(vaadin(), vaadin -> vaadin.oauth2LoginPage(SIGN_IN, "{baseUrl}/" + SignedOutView.ROUTE));
        return http.build();
    }

    /**
     * The tokens from sign-in live in the HTTP session (not in a JVM-wide map by user name) and end with it;
     * sign-in finds this bean by itself.
     */
    @Bean
    OAuth2AuthorizedClientRepository authorizedClients() {
        return new SessionAuthorizedClients();
    }

    /** Runs before the security filters, so that a session it ends is not read by them. */
    @Bean
    FilterRegistrationBean<ProviderSessionEnded> providerSessionEnded() {
        FilterRegistrationBean<ProviderSessionEnded> registration = new FilterRegistrationBean<>(new ProviderSessionEnded());
        registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER - 1);
        return registration;
    }
}
