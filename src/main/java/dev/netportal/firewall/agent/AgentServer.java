package dev.netportal.firewall.agent;

import dev.netportal.firewall.protocol.Agent;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A firewall agent as its own small process ({@code NETPORTAL_MODE=agent}): a plain Netty HTTP server, no Spring
 * context and no database. It says hello to the portal with the firewall's credential (and again every
 * {@link AgentSettings#helloEvery()}), learns the push token, and serves {@code PUT /v1/config} (a revision, only
 * with that token), {@code GET /v1/status} and {@code GET /health}.
 */
public final class AgentServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AgentServer.class);
    private static final JsonMapper json = JsonMapper.builder().build();

    private final AgentSettings settings;
    private final FirewallAgent agent;
    private final DisposableServer server;
    private final URI advertised;
    private final Disposable hellos;
    private volatile String pushToken;     // from the last welcome; null before the first
    private volatile String lastHello = "not yet";

    private AgentServer(AgentSettings settings) {
        this.settings = settings;
        this.agent = new FirewallAgent(settings.firewall(), settings.directory(), settings.mode(), true, settings.frrReload());
        this.server = HttpServer.create().host(settings.host()).port(settings.port())
                .route(routes -> routes
                        .put("/v1/config", this::config)
                        .get("/v1/status", (request, response) -> send(response, HttpResponseStatus.OK, status()))
                        .get("/health", (request, response) -> send(response, HttpResponseStatus.OK, Map.of("status", "UP"))))
                .bindNow();
        // without a URL of its own, the agent is reached where it listens (port 0: the port it was given)
        this.advertised = settings.advertisedUrl() != null ? settings.advertisedUrl()
                : URI.create("http://" + settings.host() + ":" + server.port());
        this.hellos = helloLoop().subscribe();
        log.info("Netportal agent for firewall {} listens on {}:{} ({} mode), says hello to {} as {}", settings.firewall(),
                settings.host(), server.port(), settings.mode().name().toLowerCase(), settings.portalUrl(), advertised);
    }

    /** Starts the agent: it listens at once and says hello until the portal welcomes it. */
    public static AgentServer start(AgentSettings settings) {
        return new AgentServer(settings);
    }

    public static AgentServer start(org.springframework.core.env.Environment env) {
        return start(AgentSettings.from(env));
    }

    /** The port it listens on (useful when it was 0). */
    public int port() {
        return server.port();
    }

    public int appliedRevision() {
        return agent.appliedRevision();
    }

    /** Waits until the server stops. */
    public void awaitClose() {
        server.onDispose().block();
    }

    private Mono<Void> config(HttpServerRequest request, HttpServerResponse response) {
        String token = pushToken;
        String given = request.requestHeaders().get("Authorization", "");
        if (token == null || !MessageDigest.isEqual(("Bearer " + token).getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.US_ASCII))) {
            return send(response, HttpResponseStatus.UNAUTHORIZED, Map.of("message", token == null
                    ? "this agent has not been welcomed by the portal yet" : "the push token is not the one this agent was given"));
        }
        return request.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                .flatMap(body -> {
                    Agent.Delivery delivery;
                    try {
                        JsonNode node = json.readTree(body);
                        delivery = new Agent.Delivery(UUID.fromString(node.required("firewallId").asString()),
                                node.required("revision").asInt(), node.required("hash").asString(),
                                node.required("frr").asString(), node.required("nftables").asString());
                    } catch (RuntimeException malformed) {
                        return send(response, HttpResponseStatus.BAD_REQUEST, Map.of("message",
                                "expected {firewallId, revision, hash, frr, nftables}: " + malformed.getMessage()));
                    }
                    if (!delivery.firewall().equals(settings.firewall())) {
                        return send(response, HttpResponseStatus.BAD_REQUEST, Map.of("message",
                                "this agent serves firewall " + settings.firewall() + ", not " + delivery.firewall()));
                    }
                    return Mono.fromCallable(() -> agent.receive(delivery)).subscribeOn(Schedulers.boundedElastic())
                            .flatMap(answer -> reply(response, answer));
                });
    }

    private Mono<Void> reply(HttpServerResponse response, Agent.Answer answer) {
        return switch (answer) {
            case Agent.Applied applied -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("revision", applied.revision());
                body.put("state", "APPLIED");
                if (applied.note() != null) {
                    body.put("note", applied.note());
                }
                log.info("revision {} {}{}", applied.revision(), settings.mode() == FirewallAgent.Mode.APPLY ? "applied" : "recorded",
                        applied.note() == null ? "" : " (" + applied.note() + ")");
                yield send(response, HttpResponseStatus.OK, body);
            }
            case Agent.Rejected rejected -> {
                log.warn("revision {} rejected: {}", rejected.revision(), rejected.message());
                yield send(response, HttpResponseStatus.UNPROCESSABLE_ENTITY,
                        Map.of("revision", rejected.revision(), "state", "REJECTED", "message", rejected.message()));
            }
            case Agent.Newer newer -> send(response, HttpResponseStatus.CONFLICT, Map.of("appliedRevision", newer.appliedRevision()));
        };
    }

    private Map<String, Object> status() {
        return Map.of("firewallId", settings.firewall(), "appliedRevision", agent.appliedRevision(),
                "mode", settings.mode().name(), "lastHello", lastHello);
    }

    /** Hello at once, retried with backoff until welcomed, then again every little while (the portal then knows it is alive). */
    private Flux<Void> helloLoop() {
        HttpClient client = HttpClient.create().responseTimeout(Duration.ofSeconds(10));
        Mono<Void> hello = Mono.defer(() -> client
                        .headers(headers -> headers.set("Authorization", "Bearer " + settings.credential())
                                .set("Content-Type", "application/json"))
                        .post().uri(settings.portalUrl().toString().replaceAll("/+$", "") + "/agent/v1/firewalls/" + settings.firewall() + "/hello")
                        .send(reactor.netty.ByteBufFlux.fromString(Mono.just(json.writeValueAsString(Map.of(
                                "agentUrl", advertised.toString(), "appliedRevision", agent.appliedRevision())))))
                        .responseSingle((response, body) -> body.asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                                .flatMap(text -> {
                                    if (response.status().code() != 200) {
                                        return Mono.error(new IllegalStateException("the portal answered " + response.status().code()
                                                + (response.status().code() == 401 ? " (is the credential right?)" : "") + ": " + text));
                                    }
                                    pushToken = json.readTree(text).required("pushToken").asString();
                                    lastHello = java.time.OffsetDateTime.now().toString();
                                    return Mono.<Void>empty();
                                })))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(500)).maxBackoff(Duration.ofSeconds(30))
                        .doBeforeRetry(signal -> log.warn("hello to the portal failed, trying again: {}", signal.failure().getMessage())));
        return hello.thenMany(Flux.interval(settings.helloEvery()).onBackpressureDrop().concatMap(tick -> hello));
    }

    private static Mono<Void> send(HttpServerResponse response, HttpResponseStatus status, Object body) {
        return response.status(status).header("Content-Type", "application/json")
                .sendString(Mono.just(json.writeValueAsString(body))).then();
    }

    @Override
    public void close() {
        hellos.dispose();
        server.disposeNow();
    }
}
