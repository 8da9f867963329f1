package dev.netportal.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.testing.Api;
import dev.netportal.testing.PkceLogin;
import dev.netportal.testing.TestPortal;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Writes with an Idempotency-Key: a replay answers the first answer and changes nothing more. */
class IdempotencyApiTest {

    private final TestPortal portal = TestPortal.shared();

    private String token(String user) {
        return PkceLogin.accessToken(portal.issuer(), user, user);
    }

    private Api.Answer send(String method, String user, String path, String json, String key) {
        return Api.send(method, portal.apiUrl() + path, token(user), json, "Idempotency-Key", key);
    }

    private String network(String name) {
        Api.Answer created = Api.send("POST", portal.apiUrl() + "/api/v1/projects/tenant-a/networks", token("bob"),
                "{\"name\":\"" + name + "\",\"partition\":\"nbg-1\",\"prefixLength\":26}");
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private long allocated(String network) {
        return Api.get(portal.apiUrl() + "/api/v1/networks/" + network, token("bob")).json().get("usage").get("allocated").asLong();
    }

    @Test
    void aReplayedCreateAnswersTheSameNetworkAndCreatesOnlyOne() {
        String key = UUID.randomUUID().toString();
        String body = "{\"name\":\"idem-web\",\"partition\":\"nbg-1\",\"prefixLength\":27}";

        Api.Answer first = send("POST", "bob", "/api/v1/projects/tenant-a/networks", body, key);
        Api.Answer again = send("POST", "bob", "/api/v1/projects/tenant-a/networks", body, key);

        assertThat(first.status()).as(first.raw().body()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json().get("id").asString()).isEqualTo(first.json().get("id").asString());
        assertThat(again.json().get("prefix").asString()).isEqualTo(first.json().get("prefix").asString());
        assertThat(again.raw().headers().firstValue("Location")).isEqualTo(first.raw().headers().firstValue("Location"));
        assertThat(again.raw().headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(first.raw().headers().firstValue("Idempotent-Replayed")).isEmpty();
        List<String> names = Api.get(portal.apiUrl() + "/api/v1/projects/tenant-a/networks?size=500", token("bob"))
                .json().get("items").valueStream().map(n -> n.get("name").asString()).toList();
        assertThat(names).containsOnlyOnce("idem-web");

        Api.Answer otherBody = send("POST", "bob", "/api/v1/projects/tenant-a/networks",
                "{\"name\":\"idem-other\",\"partition\":\"nbg-1\"}", key);
        assertThat(otherBody.status()).isEqualTo(422);
        assertThat(otherBody.json().get("type").asString()).endsWith("/errors/idempotency-key-reused");

        Api.Answer otherCaller = send("POST", "carol", "/api/v1/projects/tenant-a/networks",
                "{\"name\":\"idem-carol\",\"partition\":\"nbg-1\",\"prefixLength\":27}", key);
        assertThat(otherCaller.status()).as("keys belong to their caller").isEqualTo(201);
        assertThat(otherCaller.json().get("id").asString()).isNotEqualTo(first.json().get("id").asString());
    }

    @Test
    void concurrentRequestsWithOneKeyAllocateOneIp() throws Exception {
        String network = network("idem-race");
        String key = UUID.randomUUID().toString();
        String bob = token("bob");
        List<Api.Answer> answers;
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<Api.Answer>> futures = IntStream.range(0, 8).mapToObj(i -> pool.submit(() ->
                    Api.send("POST", portal.apiUrl() + "/api/v1/networks/" + network + "/ips", bob, "{\"name\":\"vip\"}",
                            "Idempotency-Key", key))).toList();
            answers = futures.stream().map(f -> {
                try {
                    return f.get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }

        assertThat(answers).allSatisfy(answer -> assertThat(answer.status()).as(answer.raw().body()).isEqualTo(201));
        assertThat(answers.stream().map(a -> a.json().get("ip").asString()).distinct()).hasSize(1);
        assertThat(allocated(network)).isEqualTo(1);
    }

    @Test
    void aRefusedWriteIsNotRememberedAndRunsAgainWithItsKey() {
        String network = network("idem-refused");
        String ip = Api.get(portal.apiUrl() + "/api/v1/networks/" + network, token("bob")).json().get("prefix").asString()
                .replaceAll("\\.\\d+/26$", ".") ;
        String taken = Api.send("POST", portal.apiUrl() + "/api/v1/networks/" + network + "/ips", token("carol"), "{}")
                .json().get("ip").asString();
        String key = UUID.randomUUID().toString();
        String body = "{\"ip\":\"" + taken + "\"}";

        Api.Answer refused = send("POST", "bob", "/api/v1/networks/" + network + "/ips", body, key);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("type").asString()).endsWith("/errors/I1-ip-taken");

        Api.Answer released = send("DELETE", "carol", "/api/v1/networks/" + network + "/ips/" + taken, null, "release-1");
        Api.Answer releasedAgain = send("DELETE", "carol", "/api/v1/networks/" + network + "/ips/" + taken, null, "release-1");
        assertThat(released.status()).isEqualTo(204);
        assertThat(releasedAgain.status()).as("a replayed release answers as the first did").isEqualTo(204);
        assertThat(releasedAgain.raw().headers().firstValue("Idempotent-Replayed")).contains("true");

        Api.Answer retried = send("POST", "bob", "/api/v1/networks/" + network + "/ips", body, key);
        assertThat(retried.status()).as(retried.raw().body()).isEqualTo(201);
        assertThat(retried.json().get("ip").asString()).isEqualTo(taken).startsWith(ip);
        assertThat(allocated(network)).isEqualTo(1);
    }

    @Test
    void aMalformedKeyIsRefused() {
        Api.Answer answer = send("POST", "bob", "/api/v1/projects/tenant-a/networks",
                "{\"name\":\"idem-bad\",\"partition\":\"nbg-1\"}", "x".repeat(256));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("type").asString()).endsWith("/errors/idempotency-key");
    }
}
