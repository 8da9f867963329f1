package dev.netportal.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.limits.ClientAddress;
import dev.netportal.limits.Limit;
import dev.netportal.limits.RateLimitSettings;
import dev.netportal.limits.RateLimits;
import dev.netportal.testing.PkceLogin;
import dev.netportal.testing.TestDatabase;
import dev.netportal.testing.TestPortal;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * What the rate limits cost. First the limiter alone: one bucket taken again and again, and a bucket per key over
 * 100,000 keys (a new bucket almost every call). Then the API with the limits on (so high that nothing is refused)
 * against the API with them off: two portals on one database, measured in turns in the same run, with 16
 * clients sending {@code GET /api/v1/me} (a database read) and an authenticated request to an unknown path (no
 * database: the lightest request, where the filters weigh most). Not part of the test run; run it with
 * {@code ./mvnw test -Dtest=RateLimitBenchmark -Dsurefire.failIfNoSpecifiedTests=false} and read the "BENCH" lines.
 */
class RateLimitBenchmark {

    private static final int CLIENTS = 16;
    private static final Duration ROUND = Duration.ofSeconds(8);

    @Test
    void limiterAlone() throws Exception {
        RateLimits limits = new RateLimits(new RateLimitSettings(true, 1_000_000, 1_000_000, 1_000_000, 1_000_000,
                1_000_000, 1_000_000, 30, 30, 6, 10, 20, 100, List.of(), 100_000));
        ClientAddress clients = new ClientAddress(List.of("10.0.0.0/8"));
        InetAddress peer = InetAddress.getByName("10.1.2.3");
        int n = 2_000_000;
        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            long allowed = 0;
            for (int i = 0; i < n; i++) {
                allowed += limits.take(Limit.READ, "bob").allowed() ? 1 : 0;
            }
            long oneKey = System.nanoTime();
            assertThat(allowed).isPositive();
            for (int i = 0; i < n; i++) {
                limits.take(Limit.WRITE, "subject-" + (i % 100_000));
            }
            long manyKeys = System.nanoTime();
            for (int i = 0; i < n; i++) {
                clients.keyOf(peer, List.of("198.51.100." + (i & 0xff)));
            }
            long addresses = System.nanoTime();
            System.out.printf("BENCH limiter one_key_ns=%.0f keys_100k_ns=%.0f client_address_ns=%.0f%n",
                    (oneKey - start) / (double) n, (manyKeys - oneKey) / (double) n, (addresses - manyKeys) / (double) n);
        }
    }

    @Test
    void apiWithAndWithoutLimits() throws Exception {
        TestDatabase.Coordinates database = TestDatabase.fresh();
        List<String> high = List.of("--netportal.rate-limits.enabled=true",
                "--netportal.rate-limits.writes-per-second=1000000", "--netportal.rate-limits.write-burst=1000000",
                "--netportal.rate-limits.reads-per-second=1000000", "--netportal.rate-limits.read-burst=1000000",
                "--netportal.rate-limits.per-address-per-second=1000000", "--netportal.rate-limits.per-address-burst=1000000",
                "--spring.profiles.active=dev", "--netportal.mode=api");
        try (TestPortal limited = TestPortal.startOn(database, high);
                TestPortal unlimited = TestPortal.startOn(database, List.of("--netportal.rate-limits.enabled=false",
                        "--spring.profiles.active=dev", "--netportal.mode=api"))) {
            // each portal has its development sign-in and takes only its own tokens
            String limitedToken = PkceLogin.accessToken(limited.issuer(), "bob", "bob");
            String unlimitedToken = PkceLogin.accessToken(unlimited.issuer(), "bob", "bob");
            for (String path : List.of("/api/v1/me", "/api/v1/no-such-thing")) {
                throughput(limited.apiUrl() + path, limitedToken);     // warm-up rounds, not counted
                throughput(unlimited.apiUrl() + path, unlimitedToken);
                for (int round = 0; round < 4; round++) {
                    // in turns, each first every other round, so that drift on the machine weighs on both alike
                    double on;
                    double off;
                    if (round % 2 == 0) {
                        on = throughput(limited.apiUrl() + path, limitedToken);
                        off = throughput(unlimited.apiUrl() + path, unlimitedToken);
                    } else {
                        off = throughput(unlimited.apiUrl() + path, unlimitedToken);
                        on = throughput(limited.apiUrl() + path, limitedToken);
                    }
                    System.out.printf("BENCH api path=%s round=%d limits_on_rps=%.0f limits_off_rps=%.0f ratio=%.3f%n",
                            path, round, on, off, on / off);
                }
            }
        }
    }

    /** Requests per second that {@link #CLIENTS} clients get through in one round (warm-up excluded). */
    private static double throughput(String url, String token) throws Exception {
        HttpClient http = HttpClient.newBuilder().build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).GET().build();
        for (int i = 0; i < 200; i++) {
            assertThat(http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode()).isIn(200, 404);
        }
        LongAdder done = new LongAdder();
        long end = System.nanoTime() + ROUND.toNanos();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                        if (status != 200 && status != 404) {
                            throw new IllegalStateException("answer " + status);
                        }
                        done.increment();
                    }
                    return null;
                }));
            }
            for (Future<?> client : clients) {
                client.get();
            }
        }
        return done.sum() / (ROUND.toNanos() / 1e9);
    }
}
