package dev.netportal.api;

import java.util.List;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The API's documentation (OpenAPI document, Swagger UI) is served on a worker thread, not on an event loop:
 * springdoc builds the document on its first request by scanning class files, under a lock, and the Swagger UI's
 * files are read from a jar. The paths are those of {@code application-api.properties} and {@link ApiSecurity}.
 */
@Component
class DocsOffEventLoop implements WebFilter {

    private static final List<PathPattern> DOCS = List.of("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html",
            "/swagger-ui/**", "/webjars/**").stream().map(PathPatternParser.defaultInstance::parse).toList();

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (DOCS.stream().noneMatch(pattern -> pattern.matches(exchange.getRequest().getPath().pathWithinApplication()))) {
            return chain.filter(exchange);
        }
        // the handler runs on the worker; so does every read of the answer's body (a file from a jar)
        ServerWebExchange onWorker = exchange.mutate().response(new ServerHttpResponseDecorator(exchange.getResponse()) {
            @Override
            public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
                return super.writeWith(Flux.from(body).subscribeOn(Schedulers.boundedElastic()));
            }
        }).build();
        return Mono.defer(() -> chain.filter(onWorker)).subscribeOn(Schedulers.boundedElastic());
    }
}
