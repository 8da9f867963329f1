package dev.netportal.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.testing.Api;
import dev.netportal.testing.PkceLogin;
import dev.netportal.testing.TestPortal;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;

/** Health, the OpenAPI document and problem details for requests that match nothing. */
class ApiShellTest {

    private final TestPortal portal = TestPortal.shared();

    @Test
    void healthProbesArePublicAndUp() {
        for (String probe : new String[] {"/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"}) {
            Api.Answer health = Api.get(portal.apiUrl() + probe, null);
            assertThat(health.status()).as(probe).isEqualTo(200);
            assertThat(health.json().get("status").asString()).as(probe).isEqualTo("UP");
        }
    }

    @Test
    void openApiDocumentIsPublicAndDescribesTheApi() {
        Api.Answer document = Api.get(portal.apiUrl() + "/v3/api-docs", null);

        assertThat(document.status()).isEqualTo(200);
        assertThat(document.json().get("info").get("title").asString()).isEqualTo("Netportal API");
        assertThat(document.json().get("paths").has("/api/v1/me")).isTrue();
        assertThat(document.json().get("components").get("securitySchemes").has("bearer")).isTrue();
        assertThat(document.json().get("paths").get("/api/v1/networks/{id}/ips").get("post").get("parameters")
                .valueStream().map(p -> p.get("name").asString()).toList())
                .as("writes document their idempotency key, and the caller is not a parameter")
                .contains("id", "Idempotency-Key").doesNotContain("actor", "write");
        assertThat(document.json().get("paths").get("/api/v1/networks/{id}").get("get").get("parameters").valueStream()
                .filter(p -> p.get("name").asString().equals("id")).findFirst().orElseThrow().get("schema").toString())
                .as("a typed id is a UUID on the wire").contains("\"type\":\"string\"").contains("\"format\":\"uuid\"");
        assertThat(Api.get(portal.apiUrl() + "/swagger-ui/index.html", null).status()).isEqualTo(200);
    }

    @Test
    void unknownPathIsAProblemNotAStackTrace() {
        String token = PkceLogin.accessToken(portal.issuer(), "carol", "carol");

        Api.Answer answer = Api.get(portal.apiUrl() + "/api/v1/no-such-thing", token);

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().get("type").asString()).endsWith("/errors/not-found");
        assertThat(answer.json().get("instance").asString()).isEqualTo("/api/v1/no-such-thing");
        assertThat(answer.json().has("requestId")).isTrue();
    }

    @Test
    void wrongMethodIsAProblem() {
        String token = PkceLogin.accessToken(portal.issuer(), "carol", "carol");

        Api.Answer answer = Api.send(HttpRequest.newBuilder(URI.create(portal.apiUrl() + "/api/v1/me"))
                .header("Authorization", "Bearer " + token)
                .DELETE().build());

        assertThat(answer.status()).isEqualTo(405);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().get("type").asString()).endsWith("/errors/method-not-allowed");
    }
}
