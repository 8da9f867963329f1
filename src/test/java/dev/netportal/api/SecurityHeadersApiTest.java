package dev.netportal.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.testing.Api;
import dev.netportal.testing.PkceLogin;
import dev.netportal.testing.TestPortal;
import java.net.http.HttpHeaders;
import org.junit.jupiter.api.Test;

/** The API's security headers on JSON answers, on refusals and on the Swagger UI, over plain http. */
class SecurityHeadersApiTest {

    private final TestPortal portal = TestPortal.shared();

    @Test
    void aJsonAnswerForbidsEverythingAContentTypeGuessOrAFrameCouldDo() {
        Api.Answer me = Api.get(portal.apiUrl() + "/api/v1/me", PkceLogin.accessToken(portal.issuer(), "carol", "carol"));

        assertThat(me.status()).isEqualTo(200);
        assertThat(me.contentType()).contains("json");
        assertJsonHeaders(me.raw().headers());
    }

    @Test
    void aRefusalCarriesTheSameHeaders() {
        Api.Answer refused = Api.get(portal.apiUrl() + "/api/v1/me", null);

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.contentType()).contains("application/problem+json");
        assertJsonHeaders(refused.raw().headers());
    }

    @Test
    void theSwaggerUiGetsAPolicyForItsOwnScripts() {
        Api.Answer page = Api.get(portal.apiUrl() + "/swagger-ui/index.html", null);

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.raw().headers().firstValue("Content-Security-Policy")).hasValue(ApiSecurity.DOCS_CONTENT_SECURITY_POLICY);
        assertThat(page.raw().headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.raw().headers().firstValue("Strict-Transport-Security")).isEmpty();
    }

    private static void assertJsonHeaders(HttpHeaders headers) {
        assertThat(headers.firstValue("Content-Security-Policy")).hasValue("default-src 'none'; frame-ancestors 'none'");
        assertThat(headers.firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(headers.firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(headers.firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(headers.firstValue("Strict-Transport-Security")).as("no HSTS over plain http").isEmpty();
    }
}
