package dev.netportal.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.testing.Api;
import dev.netportal.testing.TestPortal;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Behind a TLS-terminating ingress ({@code server.forward-headers-strategy=native}, as the Helm chart sets it) the
 * UI and the API send HSTS for requests that came over TLS, and only for those.
 */
class ForwardedTlsHeadersTest {

    private static TestPortal portal;

    @BeforeAll
    static void start() {
        portal = TestPortal.start("--server.forward-headers-strategy=native");
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    @Test
    void theUiSendsHstsOnlyForRequestsThatCameOverTls() {
        Api.Answer overTls = get(portal.uiUrl() + "/signed-out", "https");
        Api.Answer plain = get(portal.uiUrl() + "/signed-out", null);

        assertThat(overTls.status()).isEqualTo(200);
        assertThat(overTls.raw().headers().firstValue("Strict-Transport-Security")).hasValueSatisfying(
                value -> assertThat(value).contains("max-age="));
        assertThat(overTls.raw().headers().allValues("Set-Cookie")).isNotEmpty().allSatisfy(cookie -> assertThat(cookie)
                .contains("Secure").contains("SameSite=Lax"));
        assertThat(plain.status()).isEqualTo(200);
        assertThat(plain.raw().headers().firstValue("Strict-Transport-Security")).isEmpty();
    }

    @Test
    void theApiSendsHstsOnlyForRequestsThatCameOverTls() {
        Api.Answer overTls = get(portal.apiUrl() + "/api/v1/me", "https");
        Api.Answer plain = get(portal.apiUrl() + "/api/v1/me", null);

        assertThat(overTls.status()).isEqualTo(401);
        assertThat(overTls.raw().headers().firstValue("Strict-Transport-Security")).hasValueSatisfying(
                value -> assertThat(value).contains("max-age="));
        assertThat(plain.status()).isEqualTo(401);
        assertThat(plain.raw().headers().firstValue("Strict-Transport-Security")).isEmpty();
    }

    private static Api.Answer get(String url, String forwardedProto) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Api.TIMEOUT).GET();
        if (forwardedProto != null) {
            request.header("X-Forwarded-Proto", forwardedProto);
        }
        return Api.send(request.build());
    }
}
