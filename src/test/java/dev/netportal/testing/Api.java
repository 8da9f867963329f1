package dev.netportal.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A minimal HTTP client for API tests: sends a request, answers status, content type and JSON body. */
public final class Api {

    /** One answer of the API. */
    public record Answer(int status, String contentType, JsonNode json, HttpResponse<String> raw) {
    }

    /** No API call of the tests takes long; a hang is a failure with a message, not a stalled build. */
    public static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** One client for all tests: requests reuse keep-alive connections, as real API clients do. */
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Api() {
    }

    public static Answer get(String url, String bearerToken) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET();
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        return send(request.build());
    }

    /**
     * Sends {@code method} with a JSON body (none if null), the bearer token (none if null) and further headers as
     * name, value pairs.
     */
    /**
     * POSTs to the portal's API as a demo user (signed in through the development sign-in) and answers the body
     * of a 200 or 201; anything else fails the test with the answer.
     */
    public static JsonNode postAs(TestPortal portal, String user, String path, String json) {
        Answer answer = send("POST", portal.apiUrl() + path, PkceLogin.accessToken(portal.issuer(), user, user), json);
        org.assertj.core.api.Assertions.assertThat(answer.status()).as(answer.raw().body()).isBetween(200, 201);
        return answer.json();
    }

    public static Answer send(String method, String url, String bearerToken, String json, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request.build());
    }

    public static Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            String type = response.headers().firstValue("Content-Type").orElse("");
            JsonNode json = type.contains("json") && !response.body().isEmpty() ? JSON.readTree(response.body()) : null;
            return new Answer(response.statusCode(), type, json, response);
        } catch (IOException e) {
            throw new IllegalStateException("request to " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
