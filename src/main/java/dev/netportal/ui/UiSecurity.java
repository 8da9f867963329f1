package dev.netportal.ui;

import static com.vaadin.flow.spring.security.VaadinSecurityConfigurer.vaadin;

import com.vaadin.flow.spring.security.VaadinDefaultRequestCache;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;

/**
 * Every view but the signed-out page needs a signed-in user; visitors are sent to the OpenID Connect provider.
 * Signing out ends the provider's session too (RP-initiated logout) and lands on the signed-out page.
 */
@Configuration(proxyBeanMethods = false)
class UiSecurity {

    static final String SIGN_IN = "/oauth2/authorization/netportal";

    @Bean
    SecurityFilterChain uiFilterChain(HttpSecurity http, VaadinDefaultRequestCache requestCache) throws Exception {
        // after sign-in the browser returns to the page it asked for as it was, without a "?continue" marker
        HttpSessionRequestCache remembered = new HttpSessionRequestCache();
        remembered.setMatchingRequestParameterName(null);
        requestCache.setDelegateRequestCache(remembered);
        http.authorizeHttpRequests(requests -> requests
                .requestMatchers("/styles/**", "/actuator/health", "/actuator/health/**").permitAll());
        http.with(vaadin(), vaadin -> vaadin.oauth2LoginPage(SIGN_IN, "{baseUrl}/" + SignedOutView.ROUTE));
        return http.build();
    }
}
