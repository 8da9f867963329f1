package dev.netportal.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.netportal.firewall.render.FirewallInput;
import dev.netportal.firewall.render.FirewallRenderer;
import dev.netportal.firewall.render.Rendered;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The rendered firewall configuration on a real Linux datapath: {@code src/test/datapath/datapath.sh} builds two
 * tenants' machines behind two firewalls on a shared network with a service, in network namespaces, applies the
 * rendered nftables rulesets and the routes the rendered FRR configuration would install, and probes TCP
 * connections. Tenant A's firewall (fw1) and tenant B's (fw2) share network 10.9.0.0/24, once with masquerading
 * (NAT IPV4_MASQUERADE) and once without (NAT NONE).
 *
 * <p>The bench is run once for all cases (a phase per case, several minutes of work in a few seconds); a machine
 * without root, unshare, ip, nft or socat skips the test, unless {@code NETPORTAL_REQUIRE_DATAPATH=1} (CI), where
 * that is a failure.
 */
class DatapathTest {

    private static final Path SCRIPT = Paths.get("src", "test", "datapath", "datapath.sh");
    private static final long SCRIPT_TIMEOUT_SECONDS = 60;

    private static final int VRF_A = 101;
    private static final int VRF_B = 102;
    private static final int VRF_SHARED = 109;

    // the hosts' addresses are the bench's own (see the script's header); the firewalls' come from the inputs
    private static final String MACHINE_A = "10.1.0.10";
    private static final String FW1_SHARED_IP = "10.9.0.2";

    /** The two NAT types of a shared network, and the name of the bench phase that runs each. */
    enum Nat {
        IPV4_MASQUERADE(true, "masquerade"),
        NONE(false, "none");

        final boolean masquerade;
        final String phase;

        Nat(boolean masquerade, String phase) {
            this.masquerade = masquerade;
            this.phase = phase;
        }

        /** The address the service sees tenant A's machine as. */
        String machineAsSeenByTheService() {
            return masquerade ? FW1_SHARED_IP : MACHINE_A;
        }
    }

    @TempDir
    static Path work;

    /** The bench's output and error, for every failure message. */
    private static String transcript;
    /** Outcome of each probe, by "phase probe". */
    private static Map<String, Probe> probes;

    /** Why the bench cannot run here; null when it can. */
    private static String cannotRun;

    @BeforeAll
    static void runTheBench() throws Exception {
        cannotRun = requireTheBench();
        if (cannotRun != null) {
            return;
        }

        List<String> arguments = new ArrayList<>();
        for (Nat nat : Nat.values()) {
            FirewallInput fw1 = tenantAFirewall(nat.masquerade, true);
            FirewallInput fw2 = tenantBFirewall(nat.masquerade);
            Rendered fw1Rendered = FirewallRenderer.render(fw1);
            Rendered fw2Rendered = FirewallRenderer.render(fw2);
            String fw1Netconf = FrrRoutes.netconf(fw1, fw1Rendered.frr());
            String fw2Netconf = FrrRoutes.netconf(fw2, fw2Rendered.frr());

            phase(arguments, nat.phase, fw1Rendered.nftables(), fw1Netconf, fw2Rendered.nftables(), fw2Netconf,
                    FrrRoutes.sharedRouterRoutes(List.of(fw1, fw2), List.of(fw1Rendered.frr(), fw2Rendered.frr())),
                    "a-to-service", "service-to-a", "b-to-a", "a-to-b", "b-to-service");

            // the shared network detached from fw1: its re-rendered configuration, and what the router then knows
            FirewallInput detached = tenantAFirewall(nat.masquerade, false);
            Rendered detachedRendered = FirewallRenderer.render(detached);
            phase(arguments, nat.phase + "-detached", detachedRendered.nftables(), FrrRoutes.netconf(detached, detachedRendered.frr()),
                    null, null,
                    FrrRoutes.sharedRouterRoutes(List.of(detached, fw2), List.of(detachedRendered.frr(), fw2Rendered.frr())),
                    "a-to-service", "b-to-service");

            if (nat.masquerade) {
                // broken rulesets, to show the assertions can fail; the routes are the intact rendering's
                phase(arguments, "masquerade-policy-accept", mutate(fw1Rendered.nftables(), "policy drop;", "policy accept;"),
                        fw1Netconf, null, null,
                        FrrRoutes.sharedRouterRoutes(List.of(fw1, fw2), List.of(fw1Rendered.frr(), fw2Rendered.frr())),
                        "service-to-a");
                phase(arguments, "masquerade-no-replies",
                        mutate(fw1Rendered.nftables(), "\t\tct state established,related counter accept comment \"replies\"\n", ""),
                        fw1Netconf, null, null, null, "a-to-service");
            }
        }
        run(arguments);
    }

    @ParameterizedTest
    @EnumSource(Nat.class)
    void tenantAsMachineReachesTheSharedServiceAsTheNatTypeSays(Nat nat) {
        assertMachineReachesTheService(nat.phase, nat.machineAsSeenByTheService());
    }

    @Test
    void theServiceReachesTenantAsMachineOnlyWithoutNat() {
        assertServiceCannotReachTheMachine(Nat.IPV4_MASQUERADE.phase);
        assertThat(probe(Nat.NONE.phase, "service-to-a")).as(context(Nat.NONE.phase, "service-to-a"))
                .isEqualTo(Probe.reachedAs("10.9.0.10"));
    }

    @ParameterizedTest
    @EnumSource(Nat.class)
    void tenantsNeverReachEachOther(Nat nat) {
        // tenant B's path to the shared network works, so a blocked probe is the firewalls' doing
        assertThat(probe(nat.phase, "b-to-service").reached()).as(context(nat.phase, "b-to-service")).isTrue();
        assertThat(probe(nat.phase, "b-to-a")).as(context(nat.phase, "b-to-a")).isEqualTo(Probe.BLOCKED);
        assertThat(probe(nat.phase, "a-to-b")).as(context(nat.phase, "a-to-b")).isEqualTo(Probe.BLOCKED);
    }

    @ParameterizedTest
    @EnumSource(Nat.class)
    void afterDetachingTheSharedNetworkTheMachineNoLongerReachesTheService(Nat nat) {
        String phase = nat.phase + "-detached";
        assertThat(probe(phase, "a-to-service")).as(context(phase, "a-to-service")).isEqualTo(Probe.BLOCKED);
        assertThat(probe(phase, "b-to-service").reached()).as(context(phase, "b-to-service") + " (the service is still up)").isTrue();
    }

    @Test
    void brokenRulesetsMakeTheseAssertionsFail() {
        // forward policy accept instead of drop: the service gets to the masqueraded machine
        assertThat(probe("masquerade-policy-accept", "service-to-a").reached()).as(context("masquerade-policy-accept", "service-to-a")).isTrue();
        assertThatThrownBy(() -> assertServiceCannotReachTheMachine("masquerade-policy-accept")).isInstanceOf(AssertionError.class);

        // no rule for replies: the service's answers to the masqueraded machine are dropped
        assertThat(probe("masquerade-no-replies", "a-to-service")).as(context("masquerade-no-replies", "a-to-service")).isEqualTo(Probe.BLOCKED);
        assertThatThrownBy(() -> assertMachineReachesTheService("masquerade-no-replies", FW1_SHARED_IP)).isInstanceOf(AssertionError.class);
    }

    private static void assertMachineReachesTheService(String phase, String seenAs) {
        assertThat(probe(phase, "a-to-service")).as(context(phase, "a-to-service")).isEqualTo(Probe.reachedAs(seenAs));
    }

    private static void assertServiceCannotReachTheMachine(String phase) {
        assertThat(probe(phase, "service-to-a")).as(context(phase, "service-to-a")).isEqualTo(Probe.BLOCKED);
    }

    // ---------------------------------------------------------------- inputs

    private static FirewallInput tenantAFirewall(boolean masquerade, boolean attached) {
        FirewallInput.Leg primary = leg(FirewallInput.Role.PRIMARY, "tenant-a", VRF_A, "10.1.0.0/24", "10.1.0.1", false);
        FirewallInput.Leg shared = leg(FirewallInput.Role.SHARED, "shared", VRF_SHARED, "10.9.0.0/24", FW1_SHARED_IP, masquerade);
        return new FirewallInput("fw1", attached ? List.of(primary, shared) : List.of(primary));
    }

    private static FirewallInput tenantBFirewall(boolean masquerade) {
        return new FirewallInput("fw2", List.of(
                leg(FirewallInput.Role.PRIMARY, "tenant-b", VRF_B, "10.2.0.0/24", "10.2.0.1", false),
                leg(FirewallInput.Role.SHARED, "shared", VRF_SHARED, "10.9.0.0/24", "10.9.0.3", masquerade)));
    }

    private static FirewallInput.Leg leg(FirewallInput.Role role, String network, int vrf, String prefix, String ip, boolean masquerade) {
        return new FirewallInput.Leg(role, network, vrf, List.of(prefix), ip, masquerade, List.of(), null);
    }

    private static String mutate(String ruleset, String from, String to) {
        assertThat(ruleset).as("the rendered ruleset has what the mutation changes").contains(from);
        return ruleset.replace(from, to);
    }

    // ---------------------------------------------------------------- the bench

    /** Without the bench each test is reported as skipped (a skip in a @BeforeAll would not show in the counts). */
    @BeforeEach
    void needTheBench() {
        Assumptions.assumeTrue(cannotRun == null, cannotRun);
    }

    /**
     * Fails where the bench is required and this machine cannot run it; elsewhere answers why it cannot (null
     * when it can).
     */
    private static String requireTheBench() throws Exception {
        boolean required = "1".equals(System.getenv("NETPORTAL_REQUIRE_DATAPATH"));
        String missing;
        try {
            Process check = new ProcessBuilder("bash", SCRIPT.toString(), "--check").redirectErrorStream(true).start();
            if (!check.waitFor(30, TimeUnit.SECONDS)) {
                check.destroyForcibly();
                missing = "datapath.sh --check did not finish in 30 s";
            } else {
                String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                missing = check.exitValue() == 0 ? null : output.isEmpty() ? "datapath.sh --check: exit " + check.exitValue() : output;
            }
        } catch (IOException noBash) {
            missing = "MISSING: bash (" + noBash.getMessage() + ")";
        }
        if (missing == null) {
            return null;
        }
        String message = "the datapath test cannot run here: " + missing
                + " (it needs root, unshare, iproute2, nftables and socat; apt-get install -y iproute2 nftables socat conntrack)";
        if (required) {
            fail(message + "; NETPORTAL_REQUIRE_DATAPATH=1 makes that a failure");
        }
        return message;
    }

    /** Adds a phase: what it applies (null: unchanged) and the probes it runs. */
    private static void phase(List<String> arguments, String name, String fw1Nft, String fw1Netconf, String fw2Nft, String fw2Netconf,
                              String serviceNetconf, String... probesToRun) throws IOException {
        arguments.addAll(List.of("--phase", name));
        if (fw1Nft != null) {
            arguments.addAll(List.of("--fw1", write(name + "-fw1.nft", fw1Nft), write(name + "-fw1.net", fw1Netconf)));
        }
        if (fw2Nft != null) {
            arguments.addAll(List.of("--fw2", write(name + "-fw2.nft", fw2Nft), write(name + "-fw2.net", fw2Netconf)));
        }
        if (serviceNetconf != null) {
            arguments.addAll(List.of("--service", write(name + "-service.net", serviceNetconf)));
        }
        arguments.addAll(List.of("--probes", String.join(",", probesToRun)));
    }

    private static String write(String name, String text) throws IOException {
        return Files.writeString(work.resolve(name), text).toString();
    }

    private static void run(List<String> arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(arguments);
        Path out = work.resolve("datapath.out");
        Path err = work.resolve("datapath.err");
        Process bench = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        boolean finished = bench.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!finished) {
            // SIGKILL: unshare ignores SIGTERM while its child runs; killing it takes the whole bench down with it
            bench.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        transcript = "datapath.sh " + String.join(" ", arguments) + "\n--- stdout\n" + Files.readString(out)
                + "--- stderr\n" + Files.readString(err);
        assertThat(finished).as("datapath.sh finished within %d s\n%s", SCRIPT_TIMEOUT_SECONDS, transcript).isTrue();
        assertThat(bench.exitValue()).as("datapath.sh set up its bench\n%s", transcript).isZero();
        probes = Probe.parse(Files.readString(out));
    }

    private static Probe probe(String phase, String probe) {
        Probe outcome = probes.get(phase + " " + probe);
        if (outcome == null) {
            throw new AssertionError("no outcome for probe " + probe + " in phase " + phase + "\n" + transcript);
        }
        return outcome;
    }

    private static String context(String phase, String probe) {
        return "probe " + probe + " in phase " + phase + "\n" + transcript;
    }

    /** A probe's outcome: whether the connection was made, and the client address the destination saw. */
    record Probe(boolean reached, String source) {

        static final Probe BLOCKED = new Probe(false, null);
        private static final Pattern LINE = Pattern.compile("^PROBE (\\S+) (\\S+) (?:OK source=(\\S+)|BLOCKED)$", Pattern.MULTILINE);

        static Probe reachedAs(String source) {
            return new Probe(true, source);
        }

        static Map<String, Probe> parse(String output) {
            Map<String, Probe> outcomes = new LinkedHashMap<>();
            Matcher line = LINE.matcher(output);
            while (line.find()) {
                outcomes.put(line.group(1) + " " + line.group(2), line.group(3) == null ? BLOCKED : reachedAs(line.group(3)));
            }
            return outcomes;
        }

        @Override
        public String toString() {
            return reached ? "reached, seen as " + source : "blocked";
        }
    }

    // ---------------------------------------------------------------- routes, from the rendered FRR configuration

    /**
     * The kernel routes a firewall's rendered FRR configuration leads to, worked out from its text: each VRF's
     * connected prefix and static routes, and what {@code import vrf} brings in from the other VRFs as the
     * {@code import vrf route-map} lets through (source VRF and prefix-list, first matching entry decides, no match
     * denies). The connected prefixes come from the input, as FRR learns them from the interfaces.
     */
    static final class FrrRoutes {

        private static final Pattern VRF = Pattern.compile("^vrf vrf-(\\d+)$");
        private static final Pattern STATIC = Pattern.compile("^ ip route (\\S+) (\\S+)$");
        private static final Pattern PREFIX_LIST = Pattern.compile(
                "^ip prefix-list (\\S+) seq (\\d+) (permit|deny) (\\S+)(?: ge (\\d+))?(?: le (\\d+))?$");
        private static final Pattern ROUTE_MAP = Pattern.compile("^route-map (\\S+) (permit|deny) (\\d+)$");
        private static final Pattern MATCH_SOURCE_VRF = Pattern.compile("^ match source-vrf vrf-(\\d+)$");
        private static final Pattern MATCH_PREFIX_LIST = Pattern.compile("^ match ip address prefix-list (\\S+)$");
        private static final Pattern ROUTER_BGP = Pattern.compile("^router bgp \\d+ vrf vrf-(\\d+)$");
        private static final Pattern IMPORT_VRF = Pattern.compile("^ {2}import vrf vrf-(\\d+)$");
        private static final Pattern IMPORT_MAP = Pattern.compile("^ {2}import vrf route-map (\\S+)$");

        record Route(String prefix, String nexthop) {
        }

        private record PrefixListEntry(int seq, boolean permit, String prefix, Integer ge, Integer le) {
        }

        private static final class RouteMapEntry {
            int seq;
            boolean permit;
            Integer sourceVrf;
            String prefixList;
        }

        private static final class Bgp {
            boolean redistributeConnected;
            boolean redistributeStatic;
            final List<Integer> imports = new ArrayList<>();
            String importMap;
        }

        private final Map<Integer, List<Route>> statics = new LinkedHashMap<>();
        private final Map<String, List<PrefixListEntry>> prefixLists = new LinkedHashMap<>();
        private final Map<String, List<RouteMapEntry>> routeMaps = new LinkedHashMap<>();
        private final Map<Integer, Bgp> bgp = new LinkedHashMap<>();
        private final Map<Integer, String> devices = new LinkedHashMap<>();
        private final Map<Integer, String> connected = new LinkedHashMap<>();

        private FrrRoutes(FirewallInput input, String frr) {
            for (FirewallInput.Leg leg : input.legs()) {
                if (leg.role() == FirewallInput.Role.EXTERNAL) {
                    throw new IllegalArgumentException("the bench has no external networks");
                }
                devices.put(leg.vrf(), FirewallRenderer.device(leg));
                connected.put(leg.vrf(), leg.prefixes().stream().filter(p -> contains(p, leg.ip() + "/32")).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(leg.ip() + " is in none of " + leg.prefixes())));
            }
            parse(frr);
        }

        /** The bench's netconf for a firewall: its legs with their addresses, and the routes of each VRF. */
        static String netconf(FirewallInput input, String frr) {
            FrrRoutes routes = new FrrRoutes(input, frr);
            StringBuilder out = new StringBuilder("# ").append(input.firewall()).append(": routes from the rendered FRR configuration\n");
            for (FirewallInput.Leg leg : input.legs()) {
                String segment = leg.role() == FirewallInput.Role.PRIMARY ? "tenant" : "shared";
                String length = routes.connected.get(leg.vrf()).split("/")[1];
                out.append("link ").append(segment).append(' ').append(FirewallRenderer.device(leg)).append(' ').append(leg.vrf())
                        .append(' ').append(leg.ip()).append('/').append(length).append('\n');
            }
            routes.tables().forEach((vrf, table) -> table.forEach(route ->
                    out.append("route ").append(vrf).append(' ').append(route.prefix()).append(' ').append(route.nexthop()).append('\n')));
            return out.toString();
        }

        /**
         * The service's routes, as the shared network's router would learn them over BGP from each firewall's
         * shared VRF: everything there but the shared network itself, via the firewall's address in it.
         */
        static String sharedRouterRoutes(List<FirewallInput> firewalls, List<String> frrs) {
            StringBuilder out = new StringBuilder("# the shared network's router: what the firewalls' shared VRFs advertise\n");
            for (int i = 0; i < firewalls.size(); i++) {
                FrrRoutes routes = new FrrRoutes(firewalls.get(i), frrs.get(i));
                for (FirewallInput.Leg leg : firewalls.get(i).legs()) {
                    if (leg.role() != FirewallInput.Role.SHARED) {
                        continue;
                    }
                    for (Route route : routes.tables().getOrDefault(leg.vrf(), List.of())) {
                        if (!leg.prefixes().contains(route.prefix())) {
                            out.append("route main ").append(route.prefix()).append(" via ").append(leg.ip()).append('\n');
                        }
                    }
                }
            }
            return out.toString();
        }

        private void parse(String frr) {
            Integer vrfBlock = null;
            RouteMapEntry routeMapBlock = null;
            Bgp bgpBlock = null;
            for (String line : frr.split("\n")) {
                Matcher m;
                if (line.equals("exit-vrf") || line.equals("exit")) {
                    vrfBlock = null;
                    routeMapBlock = null;
                    bgpBlock = null;
                } else if ((m = VRF.matcher(line)).matches()) {
                    vrfBlock = Integer.valueOf(m.group(1));
                } else if (vrfBlock != null && (m = STATIC.matcher(line)).matches()) {
                    statics.computeIfAbsent(vrfBlock, v -> new ArrayList<>())
                            .add(new Route(m.group(1), "via " + m.group(2) + " dev " + device(vrfBlock) + " onlink"));
                } else if ((m = PREFIX_LIST.matcher(line)).matches()) {
                    prefixLists.computeIfAbsent(m.group(1), n -> new ArrayList<>()).add(new PrefixListEntry(Integer.parseInt(m.group(2)),
                            m.group(3).equals("permit"), m.group(4), m.group(5) == null ? null : Integer.valueOf(m.group(5)),
                            m.group(6) == null ? null : Integer.valueOf(m.group(6))));
                } else if ((m = ROUTE_MAP.matcher(line)).matches()) {
                    routeMapBlock = new RouteMapEntry();
                    routeMapBlock.permit = m.group(2).equals("permit");
                    routeMapBlock.seq = Integer.parseInt(m.group(3));
                    routeMaps.computeIfAbsent(m.group(1), n -> new ArrayList<>()).add(routeMapBlock);
                } else if (routeMapBlock != null && (m = MATCH_SOURCE_VRF.matcher(line)).matches()) {
                    routeMapBlock.sourceVrf = Integer.valueOf(m.group(1));
                } else if (routeMapBlock != null && (m = MATCH_PREFIX_LIST.matcher(line)).matches()) {
                    routeMapBlock.prefixList = m.group(1);
                } else if (routeMapBlock != null && line.startsWith(" match ")) {
                    // a condition this reading ignored would make the derived routes wrong without a word
                    throw new IllegalArgumentException("route-map condition not understood: " + line);
                } else if ((m = ROUTER_BGP.matcher(line)).matches()) {
                    bgpBlock = bgp.computeIfAbsent(Integer.valueOf(m.group(1)), v -> new Bgp());
                } else if (bgpBlock != null && line.equals("  redistribute connected")) {
                    bgpBlock.redistributeConnected = true;
                } else if (bgpBlock != null && line.equals("  redistribute static")) {
                    bgpBlock.redistributeStatic = true;
                } else if (bgpBlock != null && (m = IMPORT_MAP.matcher(line)).matches()) {
                    bgpBlock.importMap = m.group(1);
                } else if (bgpBlock != null && (m = IMPORT_VRF.matcher(line)).matches()) {
                    bgpBlock.imports.add(Integer.valueOf(m.group(1)));
                }
            }
        }

        /** Each VRF's table: its connected prefix, its statics, then what it imports. */
        private Map<Integer, List<Route>> tables() {
            Map<Integer, List<Route>> tables = new LinkedHashMap<>();
            for (Integer vrf : devices.keySet()) {
                Set<Route> table = new LinkedHashSet<>(own(vrf));
                Bgp instance = bgp.get(vrf);
                if (instance != null) {
                    for (Integer source : instance.imports) {
                        for (Route route : exported(source)) {
                            if (instance.importMap == null || permits(instance.importMap, source, route.prefix())) {
                                table.add(route);
                            }
                        }
                    }
                }
                tables.put(vrf, List.copyOf(table));
            }
            return tables;
        }

        private List<Route> own(int vrf) {
            List<Route> own = new ArrayList<>();
            own.add(new Route(connected.get(vrf), "dev " + device(vrf)));
            own.addAll(statics.getOrDefault(vrf, List.of()));
            return own;
        }

        /** What a VRF's BGP instance offers for import: what it redistributes (imported routes are not passed on). */
        private List<Route> exported(int vrf) {
            Bgp instance = bgp.get(vrf);
            List<Route> exported = new ArrayList<>();
            if (instance == null || !devices.containsKey(vrf)) {
                return exported;
            }
            if (instance.redistributeConnected) {
                exported.add(new Route(connected.get(vrf), "dev " + device(vrf)));
            }
            if (instance.redistributeStatic) {
                exported.addAll(statics.getOrDefault(vrf, List.of()));
            }
            return exported;
        }

        private boolean permits(String routeMap, int sourceVrf, String prefix) {
            for (RouteMapEntry entry : routeMaps.getOrDefault(routeMap, List.of()).stream()
                    .sorted(Comparator.comparingInt(e -> e.seq)).toList()) {
                boolean matches = (entry.sourceVrf == null || entry.sourceVrf == sourceVrf)
                        && (entry.prefixList == null || prefixListPermits(entry.prefixList, prefix));
                if (matches) {
                    return entry.permit;
                }
            }
            return false;
        }

        private boolean prefixListPermits(String name, String prefix) {
            int length = length(prefix);
            for (PrefixListEntry entry : prefixLists.getOrDefault(name, List.of()).stream()
                    .sorted(Comparator.comparingInt(PrefixListEntry::seq)).toList()) {
                int entryLength = length(entry.prefix());
                boolean lengthMatches = entry.ge() == null && entry.le() == null
                        ? length == entryLength
                        : length >= (entry.ge() == null ? entryLength : entry.ge()) && length <= (entry.le() == null ? 32 : entry.le());
                if (lengthMatches && contains(entry.prefix(), prefix)) {
                    return entry.permit();
                }
            }
            return false;
        }

        private String device(int vrf) {
            String device = devices.get(vrf);
            if (device == null) {
                throw new IllegalArgumentException("vrf-" + vrf + " has no network in the input");
            }
            return device;
        }

        /** Whether an IPv4 prefix holds another (same or longer) one. */
        static boolean contains(String outer, String inner) {
            int outerLength = length(outer);
            if (length(inner) < outerLength) {
                return false;
            }
            int mask = outerLength == 0 ? 0 : -1 << (32 - outerLength);
            return (address(outer) & mask) == (address(inner) & mask);
        }

        private static int length(String prefix) {
            return Integer.parseInt(prefix.substring(prefix.indexOf('/') + 1));
        }

        private static int address(String prefix) {
            String[] octets = prefix.substring(0, prefix.indexOf('/')).split("\\.");
            int address = 0;
            for (String octet : octets) {
                address = address << 8 | Integer.parseInt(octet);
            }
            return address;
        }
    }
}
