package dev.netportal.bench;

import dev.netportal.identity.Actor;
import dev.netportal.identity.ProjectId;
import dev.netportal.identity.ProjectRole;
import dev.netportal.ipam.Prefix;
import dev.netportal.network.IpService;
import dev.netportal.network.Network;
import dev.netportal.network.NetworkService;
import dev.netportal.network.NewNetwork;
import dev.netportal.partition.PartitionService;
import dev.netportal.partition.PartitionSpec;
import dev.netportal.project.ProjectService;
import dev.netportal.testing.Api;
import dev.netportal.testing.PkceLogin;
import dev.netportal.testing.TestPortal;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Allocation cost and throughput through the service layer, next to a plain single-row INSERT transaction on the
 * same database as the baseline. Not part of the test run (the class name does not end in Test); run it with
 * {@code ./mvnw test -Dtest=IpamBenchmark -Dsurefire.failIfNoSpecifiedTests=false} and read the lines starting
 * with "BENCH". Results are recorded in docs/benchmarks.md.
 */
class IpamBenchmark {

    private final TestPortal portal = TestPortal.shared();
    private final Actor member = new Actor("bench", "Bench", false, Map.of(new ProjectId("bench"), ProjectRole.MEMBER));

    @Test
    void measure() throws Exception {
        var core = portal.portal().core();
        core.getBean(ProjectService.class).createIfAbsent(Actor.system(), new ProjectId("bench"), "Bench", "").block();
        core.getBean(PartitionService.class).create(Actor.system(), new PartitionSpec("bench", "Bench", "",
                Prefix.parse("10.128.0.0/9"), Optional.empty(), 16, 16, Map.of(), List.of(), Optional.empty())).block();
        NetworkService networks = core.getBean(NetworkService.class);
        IpService ips = core.getBean(IpService.class);
        DatabaseClient db = core.getBean(DatabaseClient.class);
        TransactionalOperator tx = core.getBean(TransactionalOperator.class);
        db.sql("CREATE TABLE IF NOT EXISTS bench_baseline (id bigserial PRIMARY KEY, v text NOT NULL)").then().block();

        warmUp(networks, ips, db, tx);
        for (int clients : Boolean.getBoolean("bench.httpOnly") ? new int[0] : new int[] {1, 8, 32}) {
            int n = clients * 100;
            double baseline = rate(n, clients, i -> tx.transactional(
                    db.sql("INSERT INTO bench_baseline (v) VALUES (:v)").bind("v", "row " + i).then()));
            Network one = network(networks, 16);
            double sameNetwork = rate(n, clients, i -> ips.allocate(member, one.id(), Optional.empty(), null, "").then());
            List<Network> many = Flux.range(0, clients).concatMap(i -> networks.create(member, new ProjectId("bench"),
                    new NewNetwork("spread", "bench", Optional.of(16), ""))).collectList().block();
            double spread = rate(n, clients, i -> ips.allocate(member, many.get(i % clients).id(), Optional.empty(), null, "").then());
            System.out.printf("BENCH clients=%d baseline_insert_tx_per_s=%.0f ip_alloc_one_network_per_s=%.0f (%.0f%%) "
                            + "ip_alloc_own_networks_per_s=%.0f (%.0f%%)%n", clients, baseline, sameNetwork,
                    100 * sameNetwork / baseline, spread, 100 * spread / baseline);
        }

        String token = PkceLogin.accessToken(portal.issuer(), "admin", "admin");
        if (Boolean.getBoolean("bench.httpOnly")) {
            for (int clients : new int[] {1, 8}) {
                rate(50, clients, i -> httpMe(token));
                System.out.printf("BENCH clients=%d http_health_per_s=%.0f%n", clients, rate(clients * 200, clients,
                        i -> Mono.fromCallable(() -> Api.get(portal.apiUrl() + "/actuator/health", null))
                                .subscribeOn(Schedulers.boundedElastic()).then()));
                System.out.printf("BENCH clients=%d http_get_me_per_s=%.0f%n", clients, rate(clients * 200, clients, i -> httpMe(token)));
            }
        }
        for (int clients : new int[] {1, 8, 32}) {
            Network one = network(networks, 16);
            rate(50, clients, i -> httpAllocate(one, token));
            double http = rate(clients * 100, clients, i -> httpAllocate(one, token));
            System.out.printf("BENCH clients=%d http_ip_alloc_one_network_per_s=%.0f%n", clients, http);
        }

        Network empty = network(networks, 16);
        Network full = network(networks, 16);
        fillTo90Percent(full);
        double emptyMicros = 1_000_000 / rate(1000, 1, i -> ips.allocate(member, empty.id(), Optional.empty(), null, "").then());
        double fullMicros = 1_000_000 / rate(1000, 1, i -> ips.allocate(member, full.id(), Optional.empty(), null, "").then());
        System.out.printf("BENCH us_per_alloc_empty_16=%.0f us_per_alloc_90pct_full_fragmented_16=%.0f ratio=%.2f%n",
                emptyMicros, fullMicros, fullMicros / emptyMicros);

        double prefixes = rate(500, 1, i -> networks.create(member, new ProjectId("bench"),
                new NewNetwork("p", "bench", Optional.of(26), "")).then());
        System.out.printf("BENCH child_prefix_alloc_per_s=%.0f (/26 from a /9, one client)%n", prefixes);
    }

    private void warmUp(NetworkService networks, IpService ips, DatabaseClient db, TransactionalOperator tx) {
        Network warm = network(networks, 16);
        rate(500, 8, i -> ips.allocate(member, warm.id(), Optional.empty(), null, "").then());
        rate(500, 8, i -> tx.transactional(db.sql("INSERT INTO bench_baseline (v) VALUES ('warm')").then()));
    }

    private Network network(NetworkService networks, int length) {
        return networks.create(member, new ProjectId("bench"), new NewNetwork("bench", "bench", Optional.of(length), "")).block();
    }

    /** 90 % of the /16 taken, every tenth address left free: 5,900 free runs to search among. */
    private void fillTo90Percent(Network network) throws Exception {
        String id = network.id().toString();
        String prefix = network.prefix().toString();
        try (Connection c = portal.database().connect(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM ip_free_range WHERE network_id = '" + id + "'");
            s.execute("INSERT INTO ip (network_id, prefix, address, project_id, kind) SELECT '" + id + "', '" + prefix
                    + "', (host(network('" + prefix + "'::cidr))::inet + i), 'bench', 'STATIC' "
                    + "FROM generate_series(2, 65534) i WHERE i % 10 <> 0");
            s.execute("INSERT INTO ip_free_range (network_id, prefix, first, last) SELECT '" + id + "', '" + prefix
                    + "', a, a FROM (SELECT host(network('" + prefix + "'::cidr))::inet + i AS a "
                    + "FROM generate_series(2, 65534) i WHERE i % 10 = 0) f");
            s.execute("UPDATE network_prefix SET allocated = (SELECT count(*) FROM ip WHERE network_id = '" + id
                    + "') WHERE network_id = '" + id + "'");
            s.execute("ANALYZE ip; ANALYZE ip_free_range");
        }
    }

    /** One GET /api/v1/me: the cost of HTTP, token check and JSON without the database. */
    private Mono<Void> httpMe(String token) {
        return Mono.fromCallable(() -> Api.get(portal.apiUrl() + "/api/v1/me", token))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(answer -> answer.status() == 200 ? Mono.<Void>empty()
                        : Mono.error(new IllegalStateException("GET /me answered " + answer.status())));
    }

    /** One POST /api/v1/networks/{id}/ips through the API, on the test client's kept-alive connections. */
    private Mono<Void> httpAllocate(Network network, String token) {
        return Mono.fromCallable(() -> Api.send("POST", portal.apiUrl() + "/api/v1/networks/" + network.id() + "/ips", token, "{}"))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(answer -> answer.status() == 201 ? Mono.<Void>empty()
                        : Mono.error(new IllegalStateException("allocation answered " + answer.status() + ": " + answer.raw().body())));
    }

    /** Operations per second of n calls with the given number in flight at once. */
    private static double rate(int n, int concurrency, java.util.function.IntFunction<Mono<Void>> call) {
        long start = System.nanoTime();
        Flux.range(0, n).flatMap(call::apply, concurrency).then().block();
        return n / ((System.nanoTime() - start) / 1e9);
    }
}
