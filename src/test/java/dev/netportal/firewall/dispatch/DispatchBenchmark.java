package dev.netportal.firewall.dispatch;

import dev.netportal.firewall.FirewallConfigs;
import dev.netportal.firewall.FirewallService;
import dev.netportal.firewall.agent.PortalLink;
import dev.netportal.firewall.agent.AgentSettings;
import dev.netportal.firewall.agent.FirewallAgent;
import dev.netportal.firewall.protocol.SigningKeys;
import dev.netportal.identity.Actor;
import dev.netportal.identity.ProjectId;
import dev.netportal.identity.ProjectRole;
import dev.netportal.ipam.Prefix;
import dev.netportal.machine.NetworkRequest;
import dev.netportal.network.Network;
import dev.netportal.network.NetworkId;
import dev.netportal.network.NetworkService;
import dev.netportal.network.NewNetwork;
import dev.netportal.partition.PartitionId;
import dev.netportal.partition.PartitionService;
import dev.netportal.partition.PartitionSpec;
import dev.netportal.project.ProjectService;
import dev.netportal.sharing.ShareService;
import dev.netportal.testing.TestPortal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;

/**
 * From one change that alters N firewalls' configurations (all N use one shared network whose NAT changes; the
 * change and the N new revisions commit in one transaction, as a share approval's do) until every agent has
 * acknowledged: with the portal's built-in record-mode agents, and with N agents of their own on streams
 * ({@link PortalLink}, record mode, each checking its own revision). Not part of the test run; run it with
 * {@code ./mvnw test -Dtest=DispatchBenchmark -Dsurefire.failIfNoSpecifiedTests=false} and read the "BENCH" lines.
 * Options: {@code -Dbench.sizes=10,100} the sizes, {@code -Dbench.http=false} without the agents of their own,
 * {@code -Dbench.rounds=2} changes measured one after the other on the same portal (the NAT back and forth; the
 * first is the first after the set-up), {@code -Dbench.jfr=/tmp/dispatch-%n.jfr} a flight recording of each
 * measured change ({@code %n}: size and round), {@code -Dbench.statements=true} the database's statements of each
 * measured change (the server must load pg_stat_statements). Each change also reports the CPU seconds the portal,
 * the processes it started (validators) and the database used, and the whole machine's.
 */
class DispatchBenchmark {

    private static final ProjectId PROJECT = new ProjectId("dispatch-bench");
    private static final ProjectId SHARER = new ProjectId("dispatch-bench-shares");
    private static final Actor OWNER = new Actor("b", "B", false, Map.of(PROJECT, ProjectRole.OWNER, SHARER, ProjectRole.OWNER));
    private static final Actor ADMIN = new Actor("a", "A", true, Map.of());

    @Test
    void measure() throws Exception {
        List<Integer> sizes = java.util.Arrays.stream(System.getProperty("bench.sizes", "10,100,500").split(","))
                .map(String::strip).map(Integer::parseInt).toList();
        boolean http = Boolean.parseBoolean(System.getProperty("bench.http", "true"));
        for (int n : sizes) {
            run(n, false);
            if (http) {
                run(n, true);
            }
        }
    }

    private void run(int n, boolean http) throws Exception {
        Path recordDirectory = Files.createTempDirectory("bench-records");
        Path agentDirectory = Files.createTempDirectory("bench-agents");
        try {
            run(n, http, recordDirectory, agentDirectory);
        } finally {
            // thousands of recorded revisions per run: not left behind in the temporary folder
            for (Path directory : List.of(recordDirectory, agentDirectory)) {
                try (var files = Files.walk(directory)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
                }
            }
        }
    }

    private void run(int n, boolean http, Path recordDirectory, Path agentDirectory) throws Exception {
        try (TestPortal portal = TestPortal.start("--netportal.dispatcher.local-agents=" + !http,
                "--netportal.dispatcher.record-directory=" + recordDirectory)) {
            var core = portal.portal().core();
            long setUp = System.nanoTime();
            core.getBean(ProjectService.class).createIfAbsent(Actor.system(), PROJECT, "Bench", "").block();
            core.getBean(ProjectService.class).createIfAbsent(Actor.system(), SHARER, "Bench shares", "").block();
            core.getBean(PartitionService.class).create(Actor.system(), new PartitionSpec("bench-fw", "Bench", "",
                    Prefix.parse("10.64.0.0/12"), Optional.empty(), 28, 12, Map.of("fw", Math.max(700, n)),
                    List.of(new PartitionSpec.ExternalNetworkSpec("internet", List.of(Prefix.parse("100.64.0.0/16")),
                            List.of(Prefix.parse("0.0.0.0/0")), dev.netportal.common.NatType.IPV4_MASQUERADE)), Optional.empty())).block();
            UUID internet = core.getBean(PartitionService.class).get(new PartitionId("bench-fw")).block().externalNetworks().getFirst().id();
            NetworkService networks = core.getBean(NetworkService.class);
            ShareService shares = core.getBean(ShareService.class);
            Network shared = networks.create(OWNER, SHARER, new NewNetwork("shared", "bench-fw", Optional.of(20), "")).block();
            shares.approve(ADMIN, shares.file(OWNER, shared.id(), "bench", "IPV4_MASQUERADE").block().id(), null).block();
            // no deliveries while the firewalls are allocated: their first revisions then go out in full batches,
            // instead of one validator run per allocation
            Dispatcher dispatcher = core.getBean(Dispatcher.class);
            dispatcher.stop();
            List<FirewallService.Allocated> firewalls = Flux.range(0, n).concatMap(i -> networks
                            .create(OWNER, PROJECT, new NewNetwork("n" + i, "bench-fw", Optional.empty(), ""))
                            .flatMap(own -> core.getBean(FirewallService.class).allocate(OWNER, PROJECT, "fw" + i, new PartitionId("bench-fw"), "fw",
                                    List.of(new NetworkRequest(own.id(), Optional.empty()), new NetworkRequest(new NetworkId(internet), Optional.empty()),
                                            new NetworkRequest(shared.id(), Optional.empty())))))
                    .collectList().block();
            dispatcher.start();
            DatabaseClient db = core.getBean(DatabaseClient.class);
            List<PortalLink> agents = new ArrayList<>();
            try {
                if (http) {
                    Path records = agentDirectory;
                    for (FirewallService.Allocated fw : firewalls) {
                        agents.add(PortalLink.start(AgentSettings.of(List.of(URI.create(portal.apiUrl())), fw.firewall().id().value(),
                                fw.agentCredential(), SigningKeys.publicKeys(core.getBean(RevisionSigner.class).publicKeyPem()), null,
                                records.resolve(fw.firewall().id().toString()), FirewallAgent.Mode.RECORD)));
                    }
                }
                waitInSync(db, Duration.ofMinutes(3));
                System.out.printf("BENCH set-up firewalls=%d allocated_and_in_sync_s=%.1f%n", n, (System.nanoTime() - setUp) / 1e9);

                int rounds = Integer.getInteger("bench.rounds", 2);
                for (int round = 1; round <= rounds; round++) {
                    // the NAT goes back and forth: every round changes all N rendered configurations
                    String nat = round % 2 == 1 ? "NONE" : "IPV4_MASQUERADE";
                    boolean statements = Boolean.getBoolean("bench.statements");
                    if (statements) {
                        db.sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements").then()
                                .then(db.sql("SELECT pg_stat_statements_reset()").then()).block();
                    }
                    String jfr = System.getProperty("bench.jfr", "");
                    Recording recording = jfr.isBlank() ? null : new Recording(Configuration.getConfiguration("profile"));
                    if (recording != null) {
                        recording.start();
                    }

                    CpuUse cpuBefore = CpuUse.now(db);
                    long start = System.nanoTime();
                    core.getBean(TransactionalOperator.class).transactional(
                            db.sql("UPDATE network SET nat_type = CAST(:nat AS nat_type) WHERE id = :id").bind("nat", nat)
                                    .bind("id", shared.id().value()).then()
                                    .then(core.getBean(FirewallConfigs.class).updateUsing(shared.id(), "bench", "bench"))).block();
                    double committed = (System.nanoTime() - start) / 1e9;
                    waitInSync(db, Duration.ofMinutes(3));
                    double seconds = (System.nanoTime() - start) / 1e9;
                    CpuUse cpu = CpuUse.now(db).minus(cpuBefore);
                    if (recording != null) {
                        recording.stop();
                        recording.dump(Path.of(jfr.replace("%n", n + "-" + round)));
                        recording.close();
                    }
                    if (statements) {
                        printStatements(db);
                    }
                    System.out.printf("BENCH agents=%s firewalls=%d round=%d revisions_committed_s=%.2f all_acknowledged_s=%.2f%n",
                            http ? "own (streams)" : "built-in", n, round, committed, seconds);
                    System.out.printf("BENCH cpu_s portal=%.2f its_child_processes=%.2f database=%.2f whole_machine=%.2f of %.2f%n",
                            cpu.portal(), cpu.children(), cpu.database(), cpu.machine(),
                            seconds * Runtime.getRuntime().availableProcessors());
                }
            } finally {
                agents.forEach(PortalLink::close);
            }
        }
    }

    /**
     * CPU seconds used so far (Linux, database on this machine): by the portal's JVM, by the processes it started
     * and waited for (validators), by the database's processes, and by the whole machine (everything else on it
     * included); zero where /proc cannot be read.
     */
    private record CpuUse(double portal, double children, double database, double machine) {

        static CpuUse now(DatabaseClient db) {
            List<Long> pids = db.sql("SELECT pid FROM pg_stat_activity").map((row, meta) -> row.get("pid", Integer.class).longValue())
                    .all().collectList().block();
            long[] self = ticks(ProcessHandle.current().pid());
            long database = 0;
            java.util.Set<Long> parents = new java.util.HashSet<>();
            for (long pid : pids) {
                long[] backend = ticks(pid);
                database += backend[0] + backend[1];
                parents.add(backend[4]);
            }
            for (long postmaster : parents) {
                long[] server = ticks(postmaster);
                database += server[2] + server[3];   // backends that ended, and its own work
                database += server[0] + server[1];
            }
            return new CpuUse((self[0] + self[1]) / 100.0, (self[2] + self[3]) / 100.0, database / 100.0, machineBusy() / 100.0);
        }

        CpuUse minus(CpuUse before) {
            return new CpuUse(portal - before.portal, children - before.children, database - before.database, machine - before.machine);
        }

        /** utime, stime, cutime, cstime, ppid of a process, in clock ticks (100 per second). */
        private static long[] ticks(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12]), Long.parseLong(fields[13]),
                        Long.parseLong(fields[14]), Long.parseLong(fields[1])};
            } catch (java.io.IOException | RuntimeException e) {
                return new long[5];
            }
        }

        private static long machineBusy() {
            try {
                String[] cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
                long busy = 0;
                for (int i = 1; i < cpu.length && i <= 8; i++) {
                    busy += i == 4 || i == 5 ? 0 : Long.parseLong(cpu[i]);   // all but idle and iowait
                }
                return busy;
            } catch (java.io.IOException | RuntimeException e) {
                return 0;
            }
        }
    }

    /**
     * The statements of the measured window by total time (needs a server that loads pg_stat_statements, e.g.
     * {@code TEST_DATABASE_URL} pointing at one started with {@code shared_preload_libraries = 'pg_stat_statements'}).
     */
    private static void printStatements(DatabaseClient db) {
        db.sql("""
                        SELECT calls, round(total_exec_time::numeric, 1) AS ms, rows,
                               round((100 * total_exec_time / sum(total_exec_time) OVER ())::numeric, 1) AS share,
                               left(regexp_replace(query, '\\s+', ' ', 'g'), 160) AS query
                        FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                        ORDER BY total_exec_time DESC LIMIT 15""")
                .map((row, meta) -> String.format("BENCH statement calls=%d total_ms=%s rows=%d share=%s%% %s",
                        row.get("calls", Long.class), row.get("ms", java.math.BigDecimal.class), row.get("rows", Long.class),
                        row.get("share", java.math.BigDecimal.class), row.get("query", String.class)))
                .all().doOnNext(System.out::println).blockLast();
    }

    private static void waitInSync(DatabaseClient db, Duration limit) throws InterruptedException {
        long until = System.nanoTime() + limit.toNanos();
        while (db.sql("SELECT count(*) AS n FROM firewall_sync WHERE state <> 'IN_SYNC'")
                .map((row, meta) -> row.get("n", Long.class)).one().block() > 0) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("not in sync after " + limit + ": " + db.sql("""
                                SELECT state::text || ' ' || coalesce(last_error, '') AS e, count(*) AS n FROM firewall_sync
                                WHERE state <> 'IN_SYNC' GROUP BY 1 ORDER BY 2 DESC LIMIT 5""")
                        .map((row, meta) -> row.get("n", Long.class) + "x " + row.get("e", String.class)).all().collectList().block());
            }
            Thread.sleep(20);   // a count every 5 ms cost the database and the portal about 0.5 s of CPU per 1,000
        }
    }
}
