package dev.netportal.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.common.Refusal;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

/** The one mapper: each kind of failure becomes the right status and problem type, never internals. */
class ApiErrorsTest {

    private final ApiErrors errors = new ApiErrors(ServerCodecConfigurer.create());

    private MockServerWebExchange answer(Throwable failure) {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/api/v1/things"));
        errors.handle(exchange, failure).block();
        return exchange;
    }

    @Test
    void aConstraintViolationIsAConflictWithoutTheDatabasesWords() {
        MockServerWebExchange exchange = answer(new DataIntegrityViolationException(
                "ERROR: conflicting key value violates exclusion constraint \"network_prefix_excl\""));

        assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(409);
        String body = exchange.getResponse().getBodyAsString().block();
        assertThat(body).contains("/errors/conflict").doesNotContain("network_prefix_excl");
    }

    @Test
    void domainRefusalsMapByKind() {
        assertThat(answer(Refusal.S4_UNSHARE_FORBIDDEN.with())
                .getResponse().getStatusCode().value()).isEqualTo(422);
        assertThat(answer(Refusal.I1_IP_TAKEN.with("10.0.0.7", "web"))
                .getResponse().getBodyAsString().block()).contains("/errors/I1-ip-taken")
                .contains("10.0.0.7 is already allocated in network web.");
        assertThat(answer(Refusal.PAGING.with()).getResponse().getStatusCode().value()).isEqualTo(400);
    }

    @Test
    void anUnexpectedFailureIsA500WithARequestIdAndNoStackTrace() {
        MockServerWebExchange exchange = answer(new IllegalStateException("secret internals"));

        assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(500);
        String body = exchange.getResponse().getBodyAsString().block();
        assertThat(body).contains("/errors/internal-error").contains("requestId").doesNotContain("secret internals");
    }
}
