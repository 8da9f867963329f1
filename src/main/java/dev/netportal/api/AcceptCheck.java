package dev.netportal.api;

import java.util.List;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The API answers JSON only. A request whose {@code Accept} header rules JSON out is refused with 406 before it
 * is handled: WebFlux would otherwise find out only when writing the answer, after a write had been committed.
 */
@Component
class AcceptCheck implements WebFilter {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!exchange.getRequest().getPath().value().startsWith("/api/")) {
            return chain.filter(exchange);
        }
        List<MediaType> accepted;
        try {
            accepted = exchange.getRequest().getHeaders().getAccept();
        } catch (InvalidMediaTypeException e) {
            return Mono.error(new NotAcceptableStatusException("Could not parse the Accept header: " + e.getMessage()));
        }
        if (accepted.isEmpty() || accepted.stream().anyMatch(type -> type.isCompatibleWith(MediaType.APPLICATION_JSON))) {
            return chain.filter(exchange);
        }
        return Mono.error(new NotAcceptableStatusException(List.of(MediaType.APPLICATION_JSON)));
    }
}
