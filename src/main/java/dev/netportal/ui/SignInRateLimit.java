package dev.netportal.ui;

import dev.netportal.limits.ClientAddress;
import dev.netportal.limits.Limit;
import dev.netportal.limits.RateLimits;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.util.HtmlUtils;

/**
 * Sign-ins started per client address ({@code netportal.rate-limits.sign-ins-per-minute}): a
 * script that loops through the provider's redirects is answered 429 with {@code Retry-After} and a readable
 * page, before any session or provider request is made.
 */
@Configuration(proxyBeanMethods = false)
class SignInRateLimit {

    @Bean
    FilterRegistrationBean<Filter> signInRateLimitFilter(RateLimits limits) {
        ClientAddress clients = new ClientAddress(limits.settings().trustedProxies());
        Filter filter = (request, response, chain) -> {
            HttpServletRequest http = (HttpServletRequest) request;
            RateLimits.Decision decision = limits.take(Limit.SIGN_IN, clients.keyOf(peer(http),
                    Collections.list(http.getHeaders("X-Forwarded-For"))));
            if (decision.allowed()) {
                chain.doFilter(request, response);
                return;
            }
            HttpServletResponse answer = (HttpServletResponse) response;
            answer.setStatus(429);
            answer.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
            answer.setContentType("text/html;charset=UTF-8");
            answer.getOutputStream().write(("<!doctype html><title>Too many sign-ins</title><h1>Too many sign-ins</h1><p>"
                    + HtmlUtils.htmlEscape(decision.message()) + "</p>").getBytes(StandardCharsets.UTF_8));
        };
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(filter);
        // only the start: a person who typed the password at the provider is never refused on the way back
        registration.addUrlPatterns("/oauth2/authorization/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);   // before the security filters
        registration.setName("signInRateLimit");
        return registration;
    }

    private static InetAddress peer(HttpServletRequest request) {
        try {
            return InetAddress.getByName(request.getRemoteAddr());   // a literal address: no lookup
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
