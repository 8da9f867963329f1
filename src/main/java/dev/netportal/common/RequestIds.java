package dev.netportal.common;

import java.util.Optional;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * The id of the request a change belongs to (A1), carried in the Reactor context: the API puts each request's id
 * there, and the audit log writes it next to the event, so an answer's {@code X-Request-Id} finds its events.
 */
public final class RequestIds {

    private static final String KEY = "netportal.request-id";

    private RequestIds() {
    }

    public static ContextView with(String requestId) {
        return Context.of(KEY, requestId);
    }

    /** The current request's id, if the caller runs inside one. */
    public static Mono<Optional<String>> current() {
        return Mono.deferContextual(context -> Mono.just(context.getOrEmpty(KEY).map(String::valueOf)));
    }
}
