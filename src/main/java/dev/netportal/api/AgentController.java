package dev.netportal.api;

import dev.netportal.firewall.FirewallId;
import dev.netportal.firewall.dispatch.AgentStreams;
import dev.netportal.limits.Limit;
import dev.netportal.limits.RateLimits;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * The agent protocol's side in the portal (decision 007): a firewall's agent opens a WebSocket stream with its
 * firewall's credential (not a user's token: {@link ApiSecurity} leaves {@code /agent/**} to this check); the
 * credential is checked before the upgrade, so a wrong one gets a 401 problem and no stream.
 */
@RestController
@RequestMapping("/agent/v1")
@Tag(name = "Agent protocol")
class AgentController {

    /** The close code when an agent sends more than its rate limit allows (4xxx: this protocol's own codes). */
    static final CloseStatus FLOODED = new CloseStatus(4429, "too many messages");

    private final AgentStreams streams;
    private final RateLimits limits;
    private final WebSocketService websockets = new HandshakeWebSocketService(new ReactorNettyRequestUpgradeStrategy(
            () -> WebsocketServerSpec.builder().maxFramePayloadLength(64 * 1024)));

    AgentController(AgentStreams streams, RateLimits limits) {
        this.streams = streams;
        this.limits = limits;
    }

    @GetMapping("/firewalls/{id}/stream")
    @Operation(summary = "An agent's stream (WebSocket, Authorization: Bearer <the firewall's agent credential>): "
            + "signed revisions from the portal, the agent's status and answers back")
    Mono<Void> stream(@PathVariable FirewallId id, ServerWebExchange exchange) {
        String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        String credential = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).strip() : null;
        return streams.open(id.value(), credential)
                .switchIfEmpty(Mono.error(() -> new ResponseStatusException(HttpStatus.UNAUTHORIZED,
                        "The agent credential of firewall " + id + " was not accepted (or the firewall is not allocated)")))
                .flatMap(stream -> websockets.handleRequest(exchange, session -> serve(id, stream, session)));
    }

    private Mono<Void> serve(FirewallId id, AgentStreams.Stream stream, WebSocketSession session) {
        // an agent that floods its stream (status and answers come a few a minute) is cut; it may connect again
        Mono<Void> receiving = session.receive().map(WebSocketMessage::getPayloadAsText)
                .concatMap(text -> limits.take(Limit.AGENT_MESSAGE, id.toString()).allowed()
                        ? stream.inbound(text) : session.close(FLOODED))
                .then();
        // a cut ends what is sent; then the close frame says why (a close sent while a send runs would be lost)
        Mono<Map.Entry<Integer, String>> cut = stream.cut().cache();
        Mono<Void> sending = session.send(stream.outbound().takeUntilOther(cut).map(session::textMessage))
                .then(cut.flatMap(reason -> session.close(new CloseStatus(reason.getKey(), reason.getValue()))));
        return Mono.firstWithSignal(receiving, sending)
                .onErrorComplete()
                .then(Mono.defer(stream::closed));
    }
}
