package dev.netportal.testing;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Signs a user in the way a script does: the public client {@code netportal-cli}, authorization code with PKCE
 * and a loopback redirect, through the provider's real login form. Answers the access token.
 */
public final class PkceLogin {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");
    private static final String REDIRECT = "http://127.0.0.1:53682/callback";

    private PkceLogin() {
    }

    public static String accessToken(String issuer, String username, String password) {
        return tokens(issuer, username, password).get("access_token").asString();
    }

    /** The ID token of the same sign-in: meant for the client, never accepted by the API. */
    public static String idToken(String issuer, String username, String password) {
        return tokens(issuer, username, password).get("id_token").asString();
    }

    private static JsonNode tokens(String issuer, String username, String password) {
        try {
            HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                    .followRedirects(HttpClient.Redirect.NEVER).build();
            String verifier = random();
            String state = random();
            String authorize = issuer + "/oauth2/authorize?" + form(Map.of("response_type", "code",
                    "client_id", "netportal-cli", "scope", "openid profile", "redirect_uri", REDIRECT, "state", state,
                    "code_challenge", challenge(verifier), "code_challenge_method", "S256"));

            HttpResponse<String> toLogin = get(http, authorize);
            String loginPage = get(http, location(toLogin, issuer)).body();
            Matcher csrf = CSRF.matcher(loginPage);
            if (!csrf.find()) {
                throw new IllegalStateException("no login form at " + location(toLogin, issuer));
            }
            HttpResponse<String> loggedIn = http.send(HttpRequest.newBuilder(URI.create(issuer + "/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("username", username, "password", password,
                            "_csrf", csrf.group(1)))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            String callback = location(get(http, location(loggedIn, issuer)), issuer);
            if (!callback.startsWith(REDIRECT)) {
                throw new IllegalStateException("sign-in of " + username + " failed; ended at " + callback);
            }
            Map<String, String> answer = query(URI.create(callback));
            if (!answer.containsKey("code") || !state.equals(answer.get("state"))) {
                throw new IllegalStateException("no code for this request in " + callback);
            }
            HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(issuer + "/oauth2/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "authorization_code",
                            "code", answer.get("code"), "redirect_uri", REDIRECT, "client_id", "netportal-cli",
                            "code_verifier", verifier))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = JsonMapper.builder().build().readTree(token.body());
            if (token.statusCode() != 200 || !json.has("access_token")) {
                throw new IllegalStateException("token request failed: " + token.statusCode() + " " + token.body());
            }
            return json;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/html").GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String location(HttpResponse<?> response, String base) {
        String location = response.headers().firstValue("Location")
                .orElseThrow(() -> new IllegalStateException("expected a redirect from " + response.uri()
                        + ", got " + response.statusCode()));
        return URI.create(base + "/").resolve(location).toString();
    }

    private static String form(Map<String, String> values) {
        return values.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            values.put(kv[0], java.net.URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
        }
        return values;
    }

    private static String random() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
