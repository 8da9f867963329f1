package dev.netportal.api;

import dev.netportal.firewall.AgentHellos;
import dev.netportal.firewall.AgentWelcome;
import dev.netportal.firewall.FirewallId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * The agent protocol's side in the portal: a firewall's agent says hello with its credential (not a user's
 * token: {@link ApiSecurity} leaves {@code /agent/**} to this check), tells where it listens and what it runs,
 * and learns the token that the portal's pushes carry.
 */
@RestController
@RequestMapping("/agent/v1")
@Tag(name = "Agent protocol")
class AgentController {

    /** The hello's body. */
    record Hello(String agentUrl, Integer appliedRevision) {
    }

    /** The hello's answer: the token pushes carry ({@code Authorization: Bearer}) and the revision to run. */
    record Welcome(UUID firewallId, String pushToken, int desiredRevision) {
    }

    private final AgentHellos hellos;

    AgentController(AgentHellos hellos) {
        this.hellos = hellos;
    }

    @PostMapping("/firewalls/{id}/hello")
    @Operation(summary = "An agent announces itself with its firewall's credential (Authorization: Bearer <credential>)")
    Mono<Welcome> hello(@PathVariable FirewallId id, @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @RequestBody Hello hello) {
        String credential = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).strip() : null;
        int applied = hello.appliedRevision() == null ? 0 : hello.appliedRevision();
        return hellos.hello(id, credential, hello.agentUrl(), applied)
                .map((AgentWelcome welcome) -> new Welcome(id.value(), welcome.pushToken(), welcome.desiredRevision()))
                .switchIfEmpty(Mono.error(() -> new ResponseStatusException(HttpStatus.UNAUTHORIZED,
                        "The agent credential of firewall " + id + " was not accepted (or the firewall is not allocated)")));
    }
}
