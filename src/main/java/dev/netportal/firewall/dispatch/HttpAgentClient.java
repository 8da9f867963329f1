package dev.netportal.firewall.dispatch;

import dev.netportal.firewall.protocol.Agent;
import io.netty.channel.ChannelOption;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Pushes a revision to a firewall's own agent (agent protocol): {@code PUT {agentUrl}/v1/config} with the push
 * token the agent learnt at its hello, and reads its answer: 200 applied, 422 rejected with the validator's
 * message, 409 it runs a newer revision. Anything else is a failed delivery, retried.
 */
public class HttpAgentClient {

    /** The answer's body; which fields are set depends on the status. */
    record Reply(Integer revision, String state, String message, String note, Integer appliedRevision) {
    }

    private final WebClient client;

    public HttpAgentClient() {
        HttpClient http = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 3_000)
                .responseTimeout(Duration.ofSeconds(15));
        this.client = WebClient.builder().clientConnector(new ReactorClientHttpConnector(http))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(1 << 20))
                .build();
    }

    public Mono<Agent.Answer> deliver(String agentUrl, String pushToken, Agent.Delivery delivery) {
        return client.put().uri(agentUrl.replaceAll("/+$", "") + "/v1/config")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + pushToken)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("firewallId", delivery.firewall(), "revision", delivery.revision(),
                        "hash", delivery.hash(), "frr", delivery.frr(), "nftables", delivery.nftables()))
                .exchangeToMono(response -> {
                    HttpStatus status = HttpStatus.resolve(response.statusCode().value());
                    if (status == HttpStatus.OK || status == HttpStatus.UNPROCESSABLE_CONTENT || status == HttpStatus.CONFLICT) {
                        return response.bodyToMono(Reply.class)
                                .switchIfEmpty(Mono.error(() -> new IllegalStateException("the agent answered " + status + " without a body")))
                                .map(reply -> answer(status, reply, delivery));
                    }
                    return response.releaseBody().then(Mono.error(new IllegalStateException(
                            response.statusCode().value() == 401 || response.statusCode().value() == 403
                                    ? "the agent refused the portal's push token (waiting for its next hello)"
                                    : "the agent answered HTTP " + response.statusCode().value())));
                });
    }

    private static Agent.Answer answer(HttpStatus status, Reply reply, Agent.Delivery delivery) {
        int revision = reply.revision() == null ? delivery.revision() : reply.revision();
        return switch (status) {
            case OK -> new Agent.Applied(revision, reply.note());
            case CONFLICT -> new Agent.Newer(reply.appliedRevision() == null ? -1 : reply.appliedRevision());
            default -> new Agent.Rejected(revision, reply.message() == null ? "(no message)" : reply.message());
        };
    }
}
