package dev.netportal.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.testing.PkceLogin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API under load, as a client sees it: the production jar ({@code -Dbench.jar}) started in development mode
 * with its embedded PostgreSQL, real tokens of the development sign-in, kept-alive HTTP/1.1 connections, a closed
 * loop of 1, 8 and 32 clients per request kind; and {@code pgbench} inserting single rows into an equivalent table
 * of the same PostgreSQL as the physical limit. Prints {@code BENCH} lines and a table with the ratios the
 * benchmark's aims are stated in, and fails when an address was handed out twice or a request was refused.
 * Started by {@code bench/run}; not part of the test run (the class name does not end in Test).
 *
 * <p>Settings: {@code bench.seconds} (measured seconds per cell, default 5), {@code bench.warmup} (default 2),
 * {@code bench.clients} (default {@code 1,8,32}), {@code bench.warmupAll} (seconds of mixed requests first, default 20), {@code bench.profile=true} (a JFR recording of the portal and
 * {@code pg_stat_statements}), {@code bench.out} (folder for the recording and logs).
 */
class ApiBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PROJECT = "tenant-a";
    private static final String PARTITION = "bench";

    private final int seconds = Integer.getInteger("bench.seconds", 5);
    private final int warmup = Integer.getInteger("bench.warmup", 2);
    private final int[] clientCounts = Arrays.stream(System.getProperty("bench.clients", "1,8,32").split(","))
            .map(String::strip).mapToInt(Integer::parseInt).toArray();
    private final boolean profile = Boolean.getBoolean("bench.profile");
    private final Map<String, Map<Integer, Load.Result>> results = new LinkedHashMap<>();
    private final Set<String> handedOut = ConcurrentHashMap.newKeySet();
    private final AtomicLong twice = new AtomicLong();

    @Test
    void run() throws Exception {
        Path jar = Path.of(System.getProperty("bench.jar", "target/netportal-0.1.0-SNAPSHOT.jar")).toAbsolutePath();
        assertThat(jar).as("the production jar (bench/run builds it)").exists();
        Path out = Path.of(System.getProperty("bench.out", "target/bench")).toAbsolutePath();
        Files.createDirectories(out);
        Path data = Files.createTempDirectory("netportal-bench-data");
        try {
            benchmark(jar, out, data);
        } finally {
            // the database of a run is a few hundred megabytes, and nothing reads it afterwards
            org.springframework.util.FileSystemUtils.deleteRecursively(data);
        }
    }

    private void benchmark(Path jar, Path out, Path data) throws Exception {
        if (profile) {
            // pg_stat_statements must be loaded at the server's start: a first start creates the data, a second loads it
            try (PortalProcess first = PortalProcess.start(jar, data, out.resolve("portal-first.log"), List.of())) {
                // statements inside functions too (ip_reserve's own), so the profile shows where a call spends its time
                Database.of(data).execute("postgres", "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'",
                        "ALTER SYSTEM SET pg_stat_statements.track = 'all'");
            }
        }
        List<String> jvm = profile
                ? List.of("-XX:StartFlightRecording=filename=" + out.resolve("portal.jfr") + ",settings=profile,dumponexit=true")
                : List.of();
        try (PortalProcess portal = PortalProcess.start(jar, data, out.resolve("portal.log"), jvm)) {
            System.out.printf(Locale.ROOT, "BENCH started in %.1f s (%s)%n", portal.startSeconds(),
                    profile ? "second start, with JFR" : "first start, with initdb");
            Database db = Database.of(data);
            if (profile) {
                db.execute("postgres", "CREATE EXTENSION IF NOT EXISTS pg_stat_statements", "SELECT pg_stat_statements_reset()");
            }
            Http http = new Http(portal.apiUrl());
            String admin = PkceLogin.accessToken(portal.issuer(), "admin", "admin");
            setUp(http, admin);

            warmUp(http, portal);
            measure("GET /actuator/health/liveness", clients -> i -> () -> http.expect("GET", "/actuator/health/liveness", null, null, 200));
            measure("GET /api/v1/me", clients -> {
                String token = token(portal);
                return i -> () -> http.expect("GET", "/api/v1/me", token, null, 200);
            });
            String oneNetwork = createNetwork(http, token(portal), "one", 16);
            measure("POST /networks/{id}/ips, one network", clients -> {
                String token = token(portal);
                return i -> () -> allocate(http, token, oneNetwork);
            });
            List<String> spread = new ArrayList<>();
            String setupToken = token(portal);
            for (int n = 0; n < 32; n++) {
                spread.add(createNetwork(http, setupToken, "spread-" + n, 16));
            }
            AtomicInteger next = new AtomicInteger();
            measure("POST /networks/{id}/ips, 32 networks", clients -> {
                String token = token(portal);
                return i -> () -> allocate(http, token, spread.get(Math.floorMod(next.getAndIncrement(), spread.size())));
            });
            AtomicInteger names = new AtomicInteger();
            measure("POST /projects/{p}/networks", clients -> {
                String token = token(portal);
                return i -> () -> http.expect("POST", "/api/v1/projects/" + PROJECT + "/networks", token,
                        "{\"name\":\"n-" + names.incrementAndGet() + "\",\"partition\":\"" + PARTITION + "\"}", 201);
            });
            String machineNetwork = createNetwork(http, setupToken, "machines", 16);
            measure("POST /projects/{p}/machines", clients -> {
                String token = token(portal);
                return i -> () -> {
                    JsonNode machine = http.expect("POST", "/api/v1/projects/" + PROJECT + "/machines", token,
                            "{\"name\":\"m-" + names.incrementAndGet() + "\",\"partition\":\"" + PARTITION
                                    + "\",\"size\":\"b1\",\"network\":\"" + machineNetwork + "\"}", 201);
                    remember(machineNetwork, machine.get("ip").asString());
                };
            });
            for (int clients : clientCounts) {
                results.computeIfAbsent("pgbench INSERT (physical limit)", k -> new LinkedHashMap<>())
                        .put(clients, Pgbench.run(db, clients, seconds, out));
                System.out.printf(Locale.ROOT, "BENCH %-40s clients=%2d %s%n", "pgbench INSERT", clients,
                        results.get("pgbench INSERT (physical limit)").get(clients));
            }
            if (profile) {
                db.topStatements(out.resolve("pg_stat_statements.txt"));
            }
            double[] fill = fillLevel(http, portal, db, out);

            long rss = portal.residentKilobytes();
            long duplicatesInDatabase = db.queryLong("postgres",
                    "SELECT count(*) FROM (SELECT network_id, address FROM ip GROUP BY 1, 2 HAVING count(*) > 1) d");
            report(fill, rss);
            assertThat(twice.get()).as("addresses handed out twice (answers)").isZero();
            assertThat(duplicatesInDatabase).as("addresses stored twice").isZero();
        }
    }

    /**
     * Every kind of request for a while before anything is measured, so the first cells do not pay for the JIT
     * compiler's work on code the later ones share (HTTP, security, JSON, the database driver).
     */
    private void warmUp(Http http, PortalProcess portal) {
        String token = token(portal);
        String network = createNetwork(http, token, "warm-up", 16);
        AtomicInteger n = new AtomicInteger();
        Load.Result result = Load.run(8, Duration.ZERO, Duration.ofSeconds(Integer.getInteger("bench.warmupAll", 20)),
                i -> () -> {
                    switch (n.getAndIncrement() % 3) {
                        case 0 -> http.expect("GET", "/actuator/health/liveness", null, null, 200);
                        case 1 -> http.expect("GET", "/api/v1/me", token, null, 200);
                        default -> allocate(http, token, network);
                    }
                });
        System.out.printf(Locale.ROOT, "BENCH warm-up: %d requests of every kind at 8 clients%n", result.count());
    }

    /** A partition with a /8 pool (networks up to /16) and 10,000 machines; the project's quotas lifted. */
    private void setUp(Http http, String admin) {
        http.expect("POST", "/api/v1/partitions", admin, """
                {"id":"bench","name":"Bench","superNetworks":["10.0.0.0/8"],"childPrefixLength":{"ipv4":24},
                 "minChildPrefixLength":16,"inventory":{"b1":10000}}""", 201);
        http.expect("PATCH", "/api/v1/projects/" + PROJECT, admin, "{\"name\":\"Tenant A\"}", 200);
    }

    private String createNetwork(Http http, String token, String name, int length) {
        return http.expect("POST", "/api/v1/projects/" + PROJECT + "/networks", token,
                "{\"name\":\"" + name + "\",\"partition\":\"" + PARTITION + "\",\"prefixLength\":" + length + "}", 201)
                .get("id").asString();
    }

    private void allocate(Http http, String token, String network) {
        remember(network, http.expect("POST", "/api/v1/networks/" + network + "/ips", token, "{}", 201).get("ip").asString());
    }

    private void remember(String network, String address) {
        if (!handedOut.add(network + " " + address)) {
            twice.incrementAndGet();
        }
    }

    /** A fresh token of a project owner for each cell: tokens of the development sign-in live five minutes. */
    private static String token(PortalProcess portal) {
        return PkceLogin.accessToken(portal.issuer(), "bob", "bob");
    }

    private void measure(String name, java.util.function.IntFunction<java.util.function.IntFunction<Load.Call>> calls) {
        for (int clients : clientCounts) {
            Load.Result result = Load.run(clients, Duration.ofSeconds(warmup), Duration.ofSeconds(seconds), calls.apply(clients));
            results.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(clients, result);
            System.out.printf(Locale.ROOT, "BENCH %-40s clients=%2d %s%n", name, clients, result);
            assertThat(result.errors()).as(name + " at " + clients + " clients: " + result.firstError()).isZero();
        }
    }

    /**
     * The cost of one allocation at one client in an empty /16 and in one 90 % full (every tenth address free, so
     * 5,900 free runs), alternating twice (empty, full, full, empty); answers the mean milliseconds of each.
     */
    private double[] fillLevel(Http http, PortalProcess portal, Database db, Path out) throws Exception {
        String token = token(portal);
        String empty = createNetwork(http, token, "fill-empty", 16);
        String full = createNetwork(http, token, "fill-full", 16);
        db.fillTo90Percent(full);
        double emptyMs = 0;
        double fullMs = 0;
        // empty, full, full, empty: whatever slowly changes during the measurement (autovacuum, the JIT, other
        // work on the machine) weighs on both alike
        List<String> order = List.of(empty, full, full, empty);
        for (int run = 0; run < order.size(); run++) {
            String network = order.get(run);
            if (profile) {
                db.execute("postgres", "SELECT pg_stat_statements_reset()");
            }
            Load.Result r = Load.run(1, Duration.ofSeconds(1), Duration.ofSeconds(seconds), i -> () -> allocate(http, token, network));
            assertThat(r.errors()).as(r.firstError()).isZero();
            if (profile) {
                // the database's share of each run, apart: statements inside ip_reserve included
                db.topStatements(out.resolve("fill-" + (run + 1) + "-" + (network.equals(empty) ? "empty" : "full") + ".txt"));
            }
            if (network.equals(empty)) {
                emptyMs += r.meanMillis() / 2;
            } else {
                fullMs += r.meanMillis() / 2;
            }
        }
        System.out.printf(Locale.ROOT, "BENCH fill level: ms per allocation, empty /16 %.2f, 90 %% full /16 %.2f (%.2fx)%n",
                emptyMs, fullMs, fullMs / emptyMs);
        return new double[] {emptyMs, fullMs};
    }

    private void report(double[] fill, long rssKb) {
        System.out.println();
        System.out.println("BENCH | request | clients | per second | p50 ms | p99 ms |");
        System.out.println("BENCH |---|---|---|---|---|");
        results.forEach((name, byClients) -> byClients.forEach((clients, r) -> System.out.printf(Locale.ROOT,
                "BENCH | %s | %d | %,.0f | %.2f | %.2f |%n", name, clients, r.perSecond(), r.p50Millis(), r.p99Millis())));
        System.out.println();
        Map<Integer, Load.Result> live = results.get("GET /actuator/health/liveness");
        Map<Integer, Load.Result> me = results.get("GET /api/v1/me");
        Map<Integer, Load.Result> one = results.get("POST /networks/{id}/ips, one network");
        Map<Integer, Load.Result> spread = results.get("POST /networks/{id}/ips, 32 networks");
        Map<Integer, Load.Result> pg = results.get("pgbench INSERT (physical limit)");
        System.out.println("BENCH | aim | measured | aim met |");
        System.out.println("BENCH |---|---|---|");
        for (int c : new int[] {8, 32}) {
            if (me.containsKey(c)) {
                double ratio = me.get(c).perSecond() / live.get(c).perSecond();
                aim("/me throughput ≥ 60 % of liveness at " + c + " clients", percent(ratio), ratio >= 0.6);
            }
        }
        if (me.containsKey(1)) {
            double ratio = me.get(1).p50Millis() / live.get(1).p50Millis();
            aim("/me p50 ≤ 1.5× liveness at 1 client", String.format(Locale.ROOT, "%.2f×", ratio), ratio <= 1.5);
        }
        int most = clientCounts[clientCounts.length - 1];
        double spreadRatio = spread.get(most).perSecond() / pg.get(most).perSecond();
        aim("allocations over 32 networks ≥ 15 % of pgbench at " + most + " clients", percent(spreadRatio), spreadRatio >= 0.15);
        double oneRatio = one.get(most).perSecond() / pg.get(most).perSecond();
        aim("allocations in one network ≥ 5 % of pgbench at " + most + " clients", percent(oneRatio), oneRatio >= 0.05);
        aim("allocations never slower with more clients (one network)", rates(one), rising(one));
        aim("allocations never slower with more clients (32 networks)", rates(spread), rising(spread));
        double fillRatio = fill[1] / fill[0];
        aim("90 %-full /16 ≤ 1.2× empty (1 client)", String.format(Locale.ROOT, "%.2f×", fillRatio), fillRatio <= 1.2);
        aim("resident memory after the benchmark ≤ 768 MB", rssKb / 1024 + " MB", rssKb <= 768 * 1024);
        aim("no address handed out twice", handedOut.size() + " addresses, " + twice.get() + " twice", twice.get() == 0);
    }

    private static void aim(String what, String measured, boolean met) {
        System.out.printf("BENCH | %s | %s | %s |%n", what, measured, met ? "yes" : "NO");
    }

    private static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.0f %%", ratio * 100);
    }

    private static String rates(Map<Integer, Load.Result> byClients) {
        return String.join(" → ", byClients.values().stream().map(r -> String.format(Locale.ROOT, "%.0f/s", r.perSecond())).toList());
    }

    /** Throughput at every client count at least 95 % of the one before (one run's noise). */
    private static boolean rising(Map<Integer, Load.Result> byClients) {
        double before = 0;
        for (Load.Result r : byClients.values()) {
            if (r.perSecond() < before * 0.95) {
                return false;
            }
            before = r.perSecond();
        }
        return true;
    }

    /** The API over kept-alive HTTP/1.1 connections. */
    record Http(String base, HttpClient client) {

        Http(String base) {
            this(base, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build());
        }

        JsonNode expect(String method, String path, String token, String body, int status) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            try {
                HttpResponse<String> answer = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != status) {
                    throw new IllegalStateException(method + " " + path + " answered " + answer.statusCode() + ": " + answer.body());
                }
                return answer.body().isEmpty() ? null : JSON.readTree(answer.body());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The portal's embedded PostgreSQL, reached with the port and password its data directory holds. */
    record Database(int port, String password) {

        static Database of(Path data) throws Exception {
            String port = Files.readAllLines(data.resolve("postmaster.pid")).get(3).strip();
            return new Database(Integer.parseInt(port), Files.readString(data.resolve("netportal-password")).strip());
        }

        Connection connect(String database) throws Exception {
            return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/" + database, "postgres", password);
        }

        void execute(String database, String... statements) throws Exception {
            try (Connection c = connect(database); Statement s = c.createStatement()) {
                for (String sql : statements) {
                    s.execute(sql);
                }
            }
        }

        long queryLong(String database, String sql) throws Exception {
            try (Connection c = connect(database); Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
                rows.next();
                return rows.getLong(1);
            }
        }

        /** 90 % of the network's /16 taken, every tenth address left free, as if allocated one by one, then vacuumed. */
        void fillTo90Percent(String network) throws Exception {
            execute("postgres",
                    "DELETE FROM ip_free_range WHERE network_id = '" + network + "'",
                    "INSERT INTO ip (network_id, prefix, address, project_id, kind) SELECT p.network_id, p.prefix, "
                            + "host(network(p.prefix))::inet + i, '" + PROJECT + "', 'STATIC' FROM network_prefix p, "
                            + "generate_series(2, 65534) i WHERE p.network_id = '" + network + "' AND i % 10 <> 0",
                    "INSERT INTO ip_free_range (network_id, prefix, first, last) SELECT p.network_id, p.prefix, "
                            + "host(network(p.prefix))::inet + i, host(network(p.prefix))::inet + i FROM network_prefix p, "
                            + "generate_series(2, 65534) i WHERE p.network_id = '" + network + "' AND i % 10 = 0",
                    "UPDATE network_prefix SET allocated = (SELECT count(*) FROM ip WHERE network_id = '" + network
                            + "') WHERE network_id = '" + network + "'",
                    // a network filled over weeks has been vacuumed by autovacuum on the way; one filled in a second
                    // has not, and autovacuum would then work on it during the measurement
                    "VACUUM (ANALYZE) ip", "VACUUM (ANALYZE) ip_free_range");
        }

        /** The statements that took the most time in total, from {@code pg_stat_statements}. */
        void topStatements(Path file) throws Exception {
            StringBuilder text = new StringBuilder();
            try (Connection c = connect("postgres"); Statement s = c.createStatement(); ResultSet rows = s.executeQuery(
                    "SELECT calls, round(total_exec_time::numeric, 1) AS total_ms, round(mean_exec_time::numeric, 3) AS mean_ms, "
                            + "round(max_exec_time::numeric, 1) AS max_ms, rows, wal_fpi, "
                            + "left(regexp_replace(query, '\\s+', ' ', 'g'), 300) AS query "
                            + "FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 40")) {
                while (rows.next()) {
                    text.append(String.format(Locale.ROOT, "%8d calls %10s ms total %8s ms mean %8s ms max %8d rows %6d fpi  %s%n",
                            rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4), rows.getLong(5),
                            rows.getLong(6), rows.getString(7)));
                }
            }
            Files.writeString(file, text);
            System.out.println("BENCH statements by total time: " + file);
        }
    }

    /** {@code pgbench}: single-row INSERTs into a table like the portal's {@code ip}, same server. */
    static final class Pgbench {

        private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

        static Load.Result run(Database db, int clients, int seconds, Path out) throws Exception {
            db.execute("postgres", "DROP DATABASE IF EXISTS bench_insert", "CREATE DATABASE bench_insert");
            db.execute("bench_insert",
                    "CREATE TABLE ip (network_id uuid NOT NULL, address inet NOT NULL, kind text NOT NULL, "
                            + "name text NOT NULL DEFAULT '', created_at timestamptz NOT NULL DEFAULT now(), "
                            + "PRIMARY KEY (network_id, address))",
                    "CREATE SEQUENCE ip_seq");
            Path script = out.resolve("pgbench-insert.sql");
            Files.writeString(script, "INSERT INTO ip (network_id, address, kind) VALUES "
                    + "('00000000-0000-0000-0000-000000000001', '0.0.0.0'::inet + nextval('ip_seq'), 'STATIC');\n");
            Path logs = Files.createTempDirectory(out, "pgbench-log");
            ProcessBuilder builder = new ProcessBuilder("pgbench", "-n", "-M", "prepared", "-f", script.toString(),
                    "-c", String.valueOf(clients), "-j", String.valueOf(Math.min(clients, 2)), "-T", String.valueOf(seconds),
                    "-l", "--log-prefix=" + logs.resolve("tx"), "-h", "localhost", "-p", String.valueOf(db.port()),
                    "-U", "postgres", "bench_insert").redirectErrorStream(true);
            builder.environment().put("PGPASSWORD", db.password());
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor()).as(output).isZero();
            Matcher tps = TPS.matcher(output);
            assertThat(tps.find()).as(output).isTrue();
            List<Long> micros = new ArrayList<>();
            try (var files = Files.list(logs)) {
                for (Path log : files.toList()) {
                    for (String line : Files.readAllLines(log)) {
                        micros.add(Long.parseLong(line.split(" ")[2]));
                    }
                }
            }
            long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
            return new Load.Result(Double.parseDouble(tps.group(1)), sorted.length,
                    Load.percentile(sorted, 0.5) / 1000.0, Load.percentile(sorted, 0.99) / 1000.0,
                    Arrays.stream(sorted).average().orElse(0) / 1000.0, 0, null);
        }
    }
}
