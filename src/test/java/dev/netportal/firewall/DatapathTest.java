package dev.netportal.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.netportal.firewall.render.FirewallInput;
import dev.netportal.firewall.render.FirewallRenderer;
import dev.netportal.firewall.render.Rendered;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
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
 * connections over IPv4 and IPv6. Every network is dual stack: tenant A's 10.1.0.0/24 and fd00:a::/64, tenant B's
 * 10.2.0.0/24 and fd00:b::/64; tenant A's firewall (fw1) and tenant B's (fw2) share network 10.9.0.0/24 and
 * fd00:9::/64, once with masquerading (NAT IPV4_MASQUERADE, which translates IPv4 only) and once without (NAT NONE).
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
    private static final String MACHINE_A6 = "fd00:a::10";
    private static final String SERVICE6 = "fd00:9::10";
    private static final String FW1_SHARED_IP = "10.9.0.2";
    private static final String FW1_SHARED_IP6 = "fd00:9::2";

    /** Each phase's probes between the machines and the service, over IPv4 and over IPv6 ("-v6"). */
    private static final String[] ALL_PROBES = {
        "a-to-service", "service-to-a", "b-to-a", "a-to-b", "b-to-service",
        "a-to-service-v6", "service-to-a-v6", "b-to-a-v6", "a-to-b-v6", "b-to-service-v6"};

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

            String serviceRoutes = FrrRoutes.sharedRouterRoutes(List.of(fw1, fw2), List.of(fw1Rendered.frr(), fw2Rendered.frr()));
            phase(arguments, nat.phase, fw1Rendered.nftables(), fw1Netconf, fw2Rendered.nftables(), fw2Netconf, serviceRoutes,
                    ALL_PROBES);

            // the shared network detached from fw1: its re-rendered configuration, and what the router then knows
            FirewallInput detached = tenantAFirewall(nat.masquerade, false);
            Rendered detachedRendered = FirewallRenderer.render(detached);
            phase(arguments, nat.phase + "-detached", detachedRendered.nftables(), FrrRoutes.netconf(detached, detachedRendered.frr()),
                    null, null,
                    FrrRoutes.sharedRouterRoutes(List.of(detached, fw2), List.of(detachedRendered.frr(), fw2Rendered.frr())),
                    "a-to-service", "b-to-service", "a-to-service-v6", "b-to-service-v6");

            if (nat.masquerade) {
                // broken rulesets, to show the assertions can fail; the routes are the intact rendering's
                phase(arguments, "masquerade-policy-accept", mutate(fw1Rendered.nftables(), "policy drop;", "policy accept;"),
                        fw1Netconf, null, null,
                        FrrRoutes.sharedRouterRoutes(List.of(fw1, fw2), List.of(fw1Rendered.frr(), fw2Rendered.frr())),
                        "service-to-a");
                phase(arguments, "masquerade-no-replies",
                        mutate(fw1Rendered.nftables(), "\t\tct state established,related counter accept comment \"replies\"\n", ""),
                        fw1Netconf, null, null, null, "a-to-service");
                // no IPv6 accept rule towards the shared network: IPv6 from the machine is dropped, IPv4 still passes
                phase(arguments, "masquerade-no-ip6-accept", withoutTheLine(fw1Rendered.nftables(), "oifname \"n109\" ip6 saddr"),
                        fw1Netconf, null, null, null, "a-to-service-v6", "a-to-service");
                // IPv6 translated like IPv4 (NAT66): the service sees the firewall instead of the machine
                String postrouting = "\t\ttype nat hook postrouting priority srcnat; policy accept;\n";
                phase(arguments, "masquerade-nat66", mutate(fw1Rendered.nftables(), postrouting,
                                postrouting + "\t\toifname \"n109\" ip6 saddr fd00:a::/64 counter snat ip6 to " + FW1_SHARED_IP6 + "\n"),
                        fw1Netconf, null, null, null, "a-to-service-v6");
                // no IPv6 address family in the FRR configuration: tenant A's VRF imports no IPv6 route to the service
                phase(arguments, "masquerade-no-ipv6-family", fw1Rendered.nftables(),
                        FrrRoutes.netconf(fw1, withoutIpv6AddressFamilies(fw1Rendered.frr())), null, null, null,
                        "a-to-service-v6", "a-to-service");
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

    @ParameterizedTest
    @EnumSource(Nat.class)
    void tenantAsMachineReachesTheSharedServiceOverIpv6WithItsOwnAddress(Nat nat) {
        // no NAT66: masquerading translates IPv4 only
        assertMachineReachesTheServiceOverIpv6(nat.phase, MACHINE_A6);
    }

    @Test
    void theServiceReachesTenantAsMachineOverIpv6OnlyWithoutNat() {
        assertThat(probe(Nat.IPV4_MASQUERADE.phase, "service-to-a-v6")).as(context(Nat.IPV4_MASQUERADE.phase, "service-to-a-v6"))
                .isEqualTo(Probe.BLOCKED);
        assertThat(probe(Nat.NONE.phase, "service-to-a-v6")).as(context(Nat.NONE.phase, "service-to-a-v6"))
                .isEqualTo(Probe.reachedAs(SERVICE6));
    }

    @ParameterizedTest
    @EnumSource(Nat.class)
    void tenantsNeverReachEachOtherOverIpv6(Nat nat) {
        assertThat(probe(nat.phase, "b-to-service-v6").reached()).as(context(nat.phase, "b-to-service-v6")).isTrue();
        assertThat(probe(nat.phase, "b-to-a-v6")).as(context(nat.phase, "b-to-a-v6")).isEqualTo(Probe.BLOCKED);
        assertThat(probe(nat.phase, "a-to-b-v6")).as(context(nat.phase, "a-to-b-v6")).isEqualTo(Probe.BLOCKED);
    }

    @ParameterizedTest
    @EnumSource(Nat.class)
    void afterDetachingTheSharedNetworkTheMachineNoLongerReachesTheServiceOverIpv6(Nat nat) {
        String phase = nat.phase + "-detached";
        assertThat(probe(phase, "a-to-service-v6")).as(context(phase, "a-to-service-v6")).isEqualTo(Probe.BLOCKED);
        assertThat(probe(phase, "b-to-service-v6").reached()).as(context(phase, "b-to-service-v6") + " (the service is still up)")
                .isTrue();
    }

    @Test
    void brokenRulesetsMakeTheseAssertionsFail() {
        // forward policy accept instead of drop: the service gets to the masqueraded machine
        assertThat(probe("masquerade-policy-accept", "service-to-a").reached()).as(context("masquerade-policy-accept", "service-to-a")).isTrue();
        assertThatThrownBy(() -> assertServiceCannotReachTheMachine("masquerade-policy-accept")).isInstanceOf(AssertionError.class);

        // no rule for replies: the service's answers to the masqueraded machine are dropped
        assertThat(probe("masquerade-no-replies", "a-to-service")).as(context("masquerade-no-replies", "a-to-service")).isEqualTo(Probe.BLOCKED);
        assertThatThrownBy(() -> assertMachineReachesTheService("masquerade-no-replies", FW1_SHARED_IP)).isInstanceOf(AssertionError.class);

        // no ip6 accept rule: IPv6 from the machine is dropped, while IPv4 still passes
        assertThat(probe("masquerade-no-ip6-accept", "a-to-service-v6")).as(context("masquerade-no-ip6-accept", "a-to-service-v6"))
                .isEqualTo(Probe.BLOCKED);
        assertMachineReachesTheService("masquerade-no-ip6-accept", FW1_SHARED_IP);
        assertThatThrownBy(() -> assertMachineReachesTheServiceOverIpv6("masquerade-no-ip6-accept", MACHINE_A6))
                .isInstanceOf(AssertionError.class);

        // NAT66: the service sees the firewall's IPv6 address, not the machine's own
        assertThat(probe("masquerade-nat66", "a-to-service-v6")).as(context("masquerade-nat66", "a-to-service-v6"))
                .isEqualTo(Probe.reachedAs(FW1_SHARED_IP6));
        assertThatThrownBy(() -> assertMachineReachesTheServiceOverIpv6("masquerade-nat66", MACHINE_A6)).isInstanceOf(AssertionError.class);
    }

    @Test
    void theIpv6RoutesComeFromTheRenderedIpv6AddressFamily() {
        // the same ruleset, with routes worked out from an FRR configuration without its IPv6 address families
        assertThat(probe("masquerade-no-ipv6-family", "a-to-service-v6")).as(context("masquerade-no-ipv6-family", "a-to-service-v6"))
                .isEqualTo(Probe.BLOCKED);
        assertMachineReachesTheService("masquerade-no-ipv6-family", FW1_SHARED_IP);
        assertThatThrownBy(() -> assertMachineReachesTheServiceOverIpv6("masquerade-no-ipv6-family", MACHINE_A6))
                .isInstanceOf(AssertionError.class);
    }

    private static void assertMachineReachesTheService(String phase, String seenAs) {
        assertThat(probe(phase, "a-to-service")).as(context(phase, "a-to-service")).isEqualTo(Probe.reachedAs(seenAs));
    }

    private static void assertMachineReachesTheServiceOverIpv6(String phase, String seenAs) {
        assertThat(probe(phase, "a-to-service-v6")).as(context(phase, "a-to-service-v6")).isEqualTo(Probe.reachedAs(seenAs));
    }

    private static void assertServiceCannotReachTheMachine(String phase) {
        assertThat(probe(phase, "service-to-a")).as(context(phase, "service-to-a")).isEqualTo(Probe.BLOCKED);
    }

    // ---------------------------------------------------------------- inputs

    private static FirewallInput tenantAFirewall(boolean masquerade, boolean attached) {
        FirewallInput.Leg primary = leg(FirewallInput.Role.PRIMARY, "tenant-a", VRF_A,
                List.of("10.1.0.0/24", "fd00:a::/64"), List.of("10.1.0.1", "fd00:a::1"), false);
        FirewallInput.Leg shared = leg(FirewallInput.Role.SHARED, "shared", VRF_SHARED,
                List.of("10.9.0.0/24", "fd00:9::/64"), List.of(FW1_SHARED_IP, FW1_SHARED_IP6), masquerade);
        return new FirewallInput("fw1", 4_200_000_001L, FirewallInput.Fabric.DEFAULTS, attached ? List.of(primary, shared) : List.of(primary));
    }

    private static FirewallInput tenantBFirewall(boolean masquerade) {
        return new FirewallInput("fw2", 4_200_000_002L, FirewallInput.Fabric.DEFAULTS, List.of(
                leg(FirewallInput.Role.PRIMARY, "tenant-b", VRF_B,
                        List.of("10.2.0.0/24", "fd00:b::/64"), List.of("10.2.0.1", "fd00:b::1"), false),
                leg(FirewallInput.Role.SHARED, "shared", VRF_SHARED,
                        List.of("10.9.0.0/24", "fd00:9::/64"), List.of("10.9.0.3", "fd00:9::3"), masquerade)));
    }

    private static FirewallInput.Leg leg(FirewallInput.Role role, String network, int vrf, List<String> prefixes, List<String> ips,
                                         boolean masquerade) {
        return new FirewallInput.Leg(role, network, vrf, prefixes, ips, masquerade, List.of(), List.of());
    }

    private static String mutate(String text, String from, String to) {
        assertThat(text).as("the rendered text has what the mutation changes").contains(from);
        return text.replace(from, to);
    }

    /** The text without its one line that contains the fragment. */
    private static String withoutTheLine(String text, String fragment) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        assertThat(lines.stream().filter(line -> line.contains(fragment))).as("one line with %s in\n%s", fragment, text).hasSize(1);
        lines.removeIf(line -> line.contains(fragment));
        return String.join("\n", lines);
    }

    /** An FRR configuration without its IPv6 address families (from " address-family ipv6 unicast" to its exit). */
    private static String withoutIpv6AddressFamilies(String frr) {
        String stripped = frr.replaceAll("(?m)^ address-family ipv6 unicast\n(?:  .*\n)* exit-address-family\n", "");
        assertThat(stripped).as("the rendered FRR configuration has IPv6 address families").isNotEqualTo(frr).doesNotContain("ipv6 unicast");
        return stripped;
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
     * The kernel routes a firewall's rendered FRR configuration leads to, worked out from its text, per family: each
     * VRF's connected prefixes and static routes ({@code ip route}, {@code ipv6 route}), and what {@code import vrf}
     * in each address family ({@code ipv4 unicast}, {@code ipv6 unicast}) brings in from the same family of the other
     * VRFs as the {@code import vrf route-map} lets through (source VRF and prefix-list, first matching entry
     * decides, no match denies; {@code match ip address} matches IPv4 routes only, {@code match ipv6 address} IPv6
     * ones). The connected prefixes come from the input, as FRR learns them from the interfaces: the prefix holding
     * each of the firewall's addresses in a network.
     */
    static final class FrrRoutes {

        private static final Pattern VRF = Pattern.compile("^vrf vrf-(\\d+)$");
        private static final Pattern STATIC = Pattern.compile("^ (ip|ipv6) route (\\S+) (\\S+)$");
        private static final Pattern PREFIX_LIST = Pattern.compile(
                "^(ip|ipv6) prefix-list (\\S+) seq (\\d+) (permit|deny) (\\S+)(?: ge (\\d+))?(?: le (\\d+))?$");
        private static final Pattern ROUTE_MAP = Pattern.compile("^route-map (\\S+) (permit|deny) (\\d+)$");
        private static final Pattern MATCH_SOURCE_VRF = Pattern.compile("^ match source-vrf vrf-(\\d+)$");
        private static final Pattern MATCH_PREFIX_LIST = Pattern.compile("^ match (ip|ipv6) address prefix-list (\\S+)$");
        private static final Pattern ROUTER_BGP = Pattern.compile("^router bgp \\d+ vrf vrf-(\\d+)$");
        private static final Pattern ADDRESS_FAMILY = Pattern.compile("^ address-family (ipv4|ipv6) unicast$");
        private static final Pattern IMPORT_VRF = Pattern.compile("^ {2}import vrf vrf-(\\d+)$");
        private static final Pattern IMPORT_MAP = Pattern.compile("^ {2}import vrf route-map (\\S+)$");
        /** An IPv4 or IPv6 literal, which InetAddress reads without looking anything up. */
        private static final Pattern LITERAL = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+|[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*");

        /** An address family: its bits, and how FRR's commands name it. */
        enum Family {
            IPV4(32, "ip", "ipv4"),
            IPV6(128, "ipv6", "ipv6");

            final int bits;
            final String command;
            final String addressFamily;

            Family(int bits, String command, String addressFamily) {
                this.bits = bits;
                this.command = command;
                this.addressFamily = addressFamily;
            }

            /** The family of an address or prefix. */
            static Family of(String text) {
                return text.indexOf(':') >= 0 ? IPV6 : IPV4;
            }

            static Family ofCommand(String command) {
                return command.equals(IPV6.command) ? IPV6 : IPV4;
            }

            static Family ofAddressFamily(String addressFamily) {
                return addressFamily.equals(IPV6.addressFamily) ? IPV6 : IPV4;
            }
        }

        record Route(String prefix, String nexthop) {

            Family family() {
                return Family.of(prefix);
            }
        }

        private record PrefixListEntry(int seq, boolean permit, String prefix, Integer ge, Integer le) {
        }

        private static final class RouteMapEntry {
            int seq;
            boolean permit;
            Integer sourceVrf;
            Family prefixListFamily;
            String prefixList;
        }

        private static final class Bgp {
            boolean redistributeConnected;
            boolean redistributeStatic;
            final List<Integer> imports = new ArrayList<>();
            String importMap;
        }

        private final Map<Integer, List<Route>> statics = new LinkedHashMap<>();
        /** By family, then name: FRR's IPv4 and IPv6 prefix-lists are apart. */
        private final Map<Family, Map<String, List<PrefixListEntry>>> prefixLists = new LinkedHashMap<>();
        private final Map<String, List<RouteMapEntry>> routeMaps = new LinkedHashMap<>();
        /** By VRF, then address family. */
        private final Map<Integer, Map<Family, Bgp>> bgp = new LinkedHashMap<>();
        private final Map<Integer, String> devices = new LinkedHashMap<>();
        /** By VRF: the connected prefix of each family the firewall has an address in. */
        private final Map<Integer, List<String>> connected = new LinkedHashMap<>();

        private FrrRoutes(FirewallInput input, String frr) {
            for (FirewallInput.Leg leg : input.legs()) {
                if (leg.role() == FirewallInput.Role.EXTERNAL) {
                    throw new IllegalArgumentException("the bench has no external networks");
                }
                devices.put(leg.vrf(), FirewallRenderer.device(leg));
                connected.put(leg.vrf(), leg.ips().stream().map(ip -> connectedPrefix(leg, ip)).toList());
            }
            parse(frr);
        }

        private static String connectedPrefix(FirewallInput.Leg leg, String ip) {
            return leg.prefixes().stream().filter(p -> contains(p, ip + "/" + Family.of(ip).bits)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(ip + " is in none of " + leg.prefixes()));
        }

        /**
         * The bench's netconf for a firewall: its legs with their addresses (one per family, on the leg's line), and
         * the routes of each VRF, of both families.
         */
        static String netconf(FirewallInput input, String frr) {
            FrrRoutes routes = new FrrRoutes(input, frr);
            StringBuilder out = new StringBuilder("# ").append(input.firewall()).append(": routes from the rendered FRR configuration\n");
            for (FirewallInput.Leg leg : input.legs()) {
                String segment = leg.role() == FirewallInput.Role.PRIMARY ? "tenant" : "shared";
                out.append("link ").append(segment).append(' ').append(FirewallRenderer.device(leg)).append(' ').append(leg.vrf());
                List<String> prefixes = routes.connected.get(leg.vrf());
                for (int i = 0; i < leg.ips().size(); i++) {
                    out.append(' ').append(leg.ips().get(i)).append('/').append(length(prefixes.get(i)));
                }
                out.append('\n');
            }
            routes.tables().forEach((vrf, table) -> table.forEach(route ->
                    out.append("route ").append(vrf).append(' ').append(route.prefix()).append(' ').append(route.nexthop()).append('\n')));
            return out.toString();
        }

        /**
         * The service's routes, as the shared network's router would learn them over BGP from each firewall's
         * shared VRF: everything there but the shared network itself, via the firewall's address in it of the
         * route's family.
         */
        static String sharedRouterRoutes(List<FirewallInput> firewalls, List<String> frrs) {
            StringBuilder out = new StringBuilder("# the shared network's router: what the firewalls' shared VRFs advertise\n");
            for (int i = 0; i < firewalls.size(); i++) {
                FirewallInput firewall = firewalls.get(i);
                FrrRoutes routes = new FrrRoutes(firewall, frrs.get(i));
                for (FirewallInput.Leg leg : firewall.legs()) {
                    if (leg.role() != FirewallInput.Role.SHARED) {
                        continue;
                    }
                    for (Route route : routes.tables().getOrDefault(leg.vrf(), List.of())) {
                        if (leg.prefixes().contains(route.prefix())) {
                            continue;
                        }
                        String via = leg.ips().stream().filter(ip -> Family.of(ip) == route.family()).findFirst()
                                .orElseThrow(() -> new IllegalArgumentException(
                                        firewall.firewall() + " has no " + route.family() + " address to reach " + route.prefix() + " by"));
                        out.append("route main ").append(route.prefix()).append(" via ").append(via).append('\n');
                    }
                }
            }
            return out.toString();
        }

        private void parse(String frr) {
            Integer vrfBlock = null;
            RouteMapEntry routeMapBlock = null;
            Integer bgpVrf = null;
            Bgp bgpBlock = null;
            for (String line : frr.split("\n")) {
                Matcher m;
                if (line.equals("exit-vrf") || line.equals("exit")) {
                    vrfBlock = null;
                    routeMapBlock = null;
                    bgpVrf = null;
                    bgpBlock = null;
                } else if ((m = VRF.matcher(line)).matches()) {
                    vrfBlock = Integer.valueOf(m.group(1));
                } else if (vrfBlock != null && (m = STATIC.matcher(line)).matches()) {
                    if (Family.of(m.group(2)) != Family.ofCommand(m.group(1)) || Family.of(m.group(3)) != Family.ofCommand(m.group(1))) {
                        throw new IllegalArgumentException("static route of the wrong family: " + line);
                    }
                    statics.computeIfAbsent(vrfBlock, v -> new ArrayList<>())
                            .add(new Route(m.group(2), "via " + m.group(3) + " dev " + device(vrfBlock) + " onlink"));
                } else if ((m = PREFIX_LIST.matcher(line)).matches()) {
                    Family family = Family.ofCommand(m.group(1));
                    if (Family.of(m.group(5)) != family) {
                        throw new IllegalArgumentException("prefix-list entry of the wrong family: " + line);
                    }
                    prefixLists.computeIfAbsent(family, f -> new LinkedHashMap<>()).computeIfAbsent(m.group(2), n -> new ArrayList<>())
                            .add(new PrefixListEntry(Integer.parseInt(m.group(3)), m.group(4).equals("permit"), m.group(5),
                                    m.group(6) == null ? null : Integer.valueOf(m.group(6)),
                                    m.group(7) == null ? null : Integer.valueOf(m.group(7))));
                } else if ((m = ROUTE_MAP.matcher(line)).matches()) {
                    routeMapBlock = new RouteMapEntry();
                    routeMapBlock.permit = m.group(2).equals("permit");
                    routeMapBlock.seq = Integer.parseInt(m.group(3));
                    routeMaps.computeIfAbsent(m.group(1), n -> new ArrayList<>()).add(routeMapBlock);
                } else if (routeMapBlock != null && (m = MATCH_SOURCE_VRF.matcher(line)).matches()) {
                    routeMapBlock.sourceVrf = Integer.valueOf(m.group(1));
                } else if (routeMapBlock != null && (m = MATCH_PREFIX_LIST.matcher(line)).matches()) {
                    if (routeMapBlock.prefixList != null) {
                        throw new IllegalArgumentException("a second prefix-list match in one route-map entry: " + line);
                    }
                    routeMapBlock.prefixListFamily = Family.ofCommand(m.group(1));
                    routeMapBlock.prefixList = m.group(2);
                } else if (routeMapBlock != null && line.startsWith(" match ")) {
                    // a condition this reading ignored would make the derived routes wrong without a word
                    throw new IllegalArgumentException("route-map condition not understood: " + line);
                } else if ((m = ROUTER_BGP.matcher(line)).matches()) {
                    bgpVrf = Integer.valueOf(m.group(1));
                    bgpBlock = null;
                } else if (bgpVrf != null && (m = ADDRESS_FAMILY.matcher(line)).matches()) {
                    bgpBlock = bgp.computeIfAbsent(bgpVrf, v -> new LinkedHashMap<>())
                            .computeIfAbsent(Family.ofAddressFamily(m.group(1)), f -> new Bgp());
                } else if (bgpVrf != null && line.equals(" exit-address-family")) {
                    bgpBlock = null;
                } else if (bgpVrf != null && bgpBlock == null && line.startsWith("  ")) {
                    throw new IllegalArgumentException("outside any address family: " + line);
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

        /** Each VRF's table: per family, its connected prefix, its statics, then what it imports. */
        private Map<Integer, List<Route>> tables() {
            Map<Integer, List<Route>> tables = new LinkedHashMap<>();
            for (Integer vrf : devices.keySet()) {
                Set<Route> table = new LinkedHashSet<>();
                for (Family family : Family.values()) {
                    table.addAll(own(vrf, family));
                    Bgp instance = bgp(vrf, family);
                    if (instance != null) {
                        for (Integer source : instance.imports) {
                            for (Route route : exported(source, family)) {
                                if (instance.importMap == null || permits(instance.importMap, source, route.prefix())) {
                                    table.add(route);
                                }
                            }
                        }
                    }
                }
                tables.put(vrf, List.copyOf(table));
            }
            return tables;
        }

        private Bgp bgp(int vrf, Family family) {
            return bgp.getOrDefault(vrf, Map.of()).get(family);
        }

        private List<Route> own(int vrf, Family family) {
            List<Route> own = new ArrayList<>(connectedRoutes(vrf, family));
            own.addAll(statics(vrf, family));
            return own;
        }

        private List<Route> connectedRoutes(int vrf, Family family) {
            return connected.get(vrf).stream().filter(p -> Family.of(p) == family).map(p -> new Route(p, "dev " + device(vrf))).toList();
        }

        private List<Route> statics(int vrf, Family family) {
            return statics.getOrDefault(vrf, List.of()).stream().filter(r -> r.family() == family).toList();
        }

        /**
         * What a VRF's BGP instance offers for import in a family: what it redistributes there (imported routes are
         * not passed on).
         */
        private List<Route> exported(int vrf, Family family) {
            Bgp instance = bgp(vrf, family);
            List<Route> exported = new ArrayList<>();
            if (instance == null || !devices.containsKey(vrf)) {
                return exported;
            }
            if (instance.redistributeConnected) {
                exported.addAll(connectedRoutes(vrf, family));
            }
            if (instance.redistributeStatic) {
                exported.addAll(statics(vrf, family));
            }
            return exported;
        }

        private boolean permits(String routeMap, int sourceVrf, String prefix) {
            for (RouteMapEntry entry : routeMaps.getOrDefault(routeMap, List.of()).stream()
                    .sorted(Comparator.comparingInt(e -> e.seq)).toList()) {
                boolean matches = (entry.sourceVrf == null || entry.sourceVrf == sourceVrf)
                        && (entry.prefixList == null || prefixListPermits(entry.prefixListFamily, entry.prefixList, prefix));
                if (matches) {
                    return entry.permit;
                }
            }
            return false;
        }

        /** Whether a prefix-list of a family lets a prefix through: never one of the other family. */
        private boolean prefixListPermits(Family family, String name, String prefix) {
            if (Family.of(prefix) != family) {
                return false;
            }
            int length = length(prefix);
            for (PrefixListEntry entry : prefixLists.getOrDefault(family, Map.of()).getOrDefault(name, List.of()).stream()
                    .sorted(Comparator.comparingInt(PrefixListEntry::seq)).toList()) {
                int entryLength = length(entry.prefix());
                boolean lengthMatches = entry.ge() == null && entry.le() == null
                        ? length == entryLength
                        : length >= (entry.ge() == null ? entryLength : entry.ge())
                                && length <= (entry.le() == null ? family.bits : entry.le());
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

        /** Whether a prefix holds another (same or longer) one of the same family. */
        static boolean contains(String outer, String inner) {
            byte[] outerAddress = address(outer);
            byte[] innerAddress = address(inner);
            int outerLength = length(outer);
            if (outerAddress.length != innerAddress.length || length(inner) < outerLength) {
                return false;
            }
            for (int bit = 0; bit < outerLength; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((outerAddress[bit / 8] & mask) != (innerAddress[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        private static int length(String prefix) {
            return Integer.parseInt(prefix.substring(prefix.indexOf('/') + 1));
        }

        /** A prefix's address, as bytes (4 for IPv4, 16 for IPv6); a literal only, never a name to look up. */
        private static byte[] address(String prefix) {
            String address = prefix.substring(0, prefix.indexOf('/'));
            if (!LITERAL.matcher(address).matches()) {
                throw new IllegalArgumentException("not an address: " + prefix);
            }
            try {
                return InetAddress.getByName(address).getAddress();
            } catch (UnknownHostException notAnAddress) {
                throw new IllegalArgumentException("not an address: " + prefix, notAnAddress);
            }
        }
    }
}
