package dev.netportal.api;

import dev.netportal.limits.ClientAddress;
import dev.netportal.limits.Limit;
import dev.netportal.limits.RateLimits;
import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

/**
 * The API's rate limits ({@link RateLimits}): every request counts against its client address before its token is
 * even read, so floods of unknown or refused tokens are stopped too; an agent's stream connection also counts
 * against its firewall (from that address); once the token is checked, each request counts against its caller,
 * writes and reads apart. A refused request gets 429 with {@code Retry-After} and a problem document, and nothing was done.
 * Health probes are not limited.
 */
@Configuration(proxyBeanMethods = false)
class ApiRateLimits {

    private static final Pattern AGENT_STREAM = Pattern.compile("/agent/v1/firewalls/([^/]+)/stream");

    /** Before the security filters (order -100): by client address, and agent connections by firewall. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 10)
    WebFilter addressRateLimit(RateLimits limits, ApiErrors errors) {
        ClientAddress clients = new ClientAddress(limits.settings().trustedProxies());
        return (exchange, chain) -> {
            if (!limits.enabled() || isProbe(exchange)) {
                return chain.filter(exchange);
            }
            InetSocketAddress remote = peer(exchange);
            String client = clients.keyOf(remote == null ? null : remote.getAddress(),
                    exchange.getRequest().getHeaders().get("X-Forwarded-For"));
            RateLimits.Decision byAddress = limits.take(Limit.ADDRESS, client);
            if (!byAddress.allowed()) {
                return errors.tooManyRequests(exchange, byAddress);
            }
            Optional<UUID> firewall = agentStreamOf(exchange);
            if (firewall.isPresent()) {
                // by firewall and address: someone else who knows the firewall's id cannot use up its agent's connections
                RateLimits.Decision byFirewall = limits.take(Limit.AGENT_CONNECT, firewall.get() + " from " + client);
                if (!byFirewall.allowed()) {
                    return errors.tooManyRequests(exchange, byFirewall);
                }
            }
            return chain.filter(exchange);
        };
    }

    /** After the security filters: by the token's subject, writes and reads apart. */
    @Bean
    @Order(0)
    WebFilter callerRateLimit(RateLimits limits, ApiErrors errors) {
        return (exchange, chain) -> {
            if (!limits.enabled() || isProbe(exchange)) {
                return chain.filter(exchange);
            }
            return exchange.getPrincipal()
                    .map(Principal::getName)
                    .map(subject -> limits.take(isRead(exchange) ? Limit.READ : Limit.WRITE, subject))
                    .flatMap(decision -> decision.allowed() ? chain.filter(exchange).thenReturn(decision)
                            : errors.tooManyRequests(exchange, decision).thenReturn(decision))
                    .switchIfEmpty(Mono.defer(() -> chain.filter(exchange)).then(Mono.empty()))
                    .then();
        };
    }

    /**
     * The firewall of an agent's stream request, by its id as a UUID: one bucket per firewall however the id is
     * spelled, and none for what is no id at all (the router refuses that without any lookup).
     */
    private static Optional<UUID> agentStreamOf(ServerWebExchange exchange) {
        Matcher agent = AGENT_STREAM.matcher(exchange.getRequest().getPath().value());
        if (!agent.matches() || agent.group(1).length() > 36) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(agent.group(1)));
        } catch (IllegalArgumentException notAnId) {
            return Optional.empty();
        }
    }

    /**
     * The connection's own peer. With {@code server.forward-headers-strategy=native} the server reports the address
     * that {@code X-Forwarded-For} names as the remote address, which any client can write; the limits trust that
     * header only from {@code trusted-proxies}, so they need the socket's peer.
     */
    static InetSocketAddress peer(ServerWebExchange exchange) {
        Object request = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
        if (request instanceof Connection connection && connection.channel().remoteAddress() instanceof InetSocketAddress socket) {
            return socket;
        }
        return exchange.getRequest().getRemoteAddress();
    }

    private static boolean isRead(ServerWebExchange exchange) {
        HttpMethod method = exchange.getRequest().getMethod();
        return HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method) || HttpMethod.OPTIONS.equals(method);
    }

    private static boolean isProbe(ServerWebExchange exchange) {
        String path = exchange.getRequest().getPath().value();
        return path.equals("/actuator/health") || path.startsWith("/actuator/health/");
    }
}
