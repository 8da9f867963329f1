package dev.netportal.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.netportal.firewall.agent.DatapathBench;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The rendered firewall configuration on a real Linux datapath with FRR running it: {@code src/test/datapath/datapath.sh}
 * builds two tenants' machines behind two firewalls, a shared network with a service and a leaf router (FRR), and an
 * internet behind an exit router (FRR), in network namespaces with VRF devices (in a small virtual machine where this
 * machine's kernel has none, decision 009). Each firewall runs zebra, bgpd and staticd; {@link DatapathBench} hands
 * every revision to a {@code FirewallAgent} in apply mode ({@code nft -f}, {@code frr-reload.py --reload} against that
 * FRR), waits until routing settles, and records what FRR installed, what the leaf and the exit router learnt, the
 * kernel's VRF tables and TCP probes over IPv4 and IPv6. No route FRR is meant to install is installed by hand: on a
 * firewall FRR installs every route from the rendered configuration (connected, leaked by {@code import vrf}, static),
 * and the leaf and the exit router learn every route towards a tenant from a firewall over BGP. The script sets only
 * network configuration outside FRR: each VRF table's closing {@code unreachable default} (a firewall's VRF set-up
 * must have it too, or a miss falls through to the main table), the hosts' default gateways, the leaf's blackhole
 * for the prefix it announces.
 *
 * <p>Tenant A's firewall (fw1) masquerades (NAT IPV4_MASQUERADE, IPv4 only), tenant B's (fw2) does not translate
 * (NAT NONE), towards the shared network 10.9.0.0/24 + fd00:9::/64 and towards the internet alike; their private
 * networks are 10.1.0.0/24 + fd00:a::/64 and 10.2.0.0/24 + fd00:b::/64. Phases: both attach the shared network,
 * detach it, attach it again; then fw1 gets a revision FRR cannot read, and rulesets broken on purpose show that the
 * assertions can fail.
 *
 * <p>The bench runs once for all cases (about five minutes in the virtual machine), in a JVM of its own after the
 * other tests (the Maven execution {@code datapath}), so that their portals and browsers do not share the cores with
 * the emulated machine; its files and report stay in
 * {@code target/datapath/}. A machine without what it needs skips the test, unless
 * {@code NETPORTAL_REQUIRE_DATAPATH=1} (CI), where that is a failure.
 */
@Tag("datapath")
class DatapathTest {

    private static final Path SCRIPT = Paths.get("src", "test", "datapath", "datapath.sh");
    private static final long BENCH_TIMEOUT_SECONDS = 900;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final int VRF_SHARED = 109;
    private static final int VRF_INTERNET = 100;
    private static final String SHARED = "vrf-" + VRF_SHARED;
    private static final String SERVICE = "10.9.0.10";
    private static final String SERVICE6 = "fd00:9::10";

    // the phases: both firewalls attach the shared network, detach it, attach it again; then fw1 alone gets a
    // broken revision, and rulesets broken on purpose
    private static final String ATTACHED = "attached";
    private static final String DETACHED = "detached";
    private static final String REATTACHED = "reattached";
    private static final String BROKEN = "broken-revision";
    /** The partition's fabric settings with tenant prefixes announced to external networks without no-export. */
    private static final FirewallInput.Fabric EXPORT = new FirewallInput.Fabric(3, 9, false);

    /** Each phase's probes between the machines, the service and the internet, over IPv4 and over IPv6 ("-v6"). */
    private static final String[] ALL_PROBES = {
        "a-to-service", "service-to-a", "b-to-service", "service-to-b", "a-to-b", "b-to-a",
        "a-to-internet", "b-to-internet", "internet-to-a", "internet-to-b",
        "a-to-service-v6", "service-to-a-v6", "b-to-service-v6", "service-to-b-v6", "a-to-b-v6", "b-to-a-v6",
        "a-to-internet-v6", "b-to-internet-v6", "internet-to-a-v6", "internet-to-b-v6"};

    /**
     * The two NAT types, each on one tenant's firewall for both its shared network and the internet: tenant A (fw1)
     * masquerades (IPv4 only), tenant B (fw2) does not translate.
     */
    enum Nat {
        IPV4_MASQUERADE(true, "fw1", "a", "b", 101, "10.1.0", "fd00:a::", "10.9.0.2", "fd00:9::2", "203.0.113.2", "2001:db8:e::2"),
        NONE(false, "fw2", "b", "a", 102, "10.2.0", "fd00:b::", "10.9.0.3", "fd00:9::3", "203.0.113.3", "2001:db8:e::3");

        final boolean masquerade;
        final String firewall;
        /** The tenant's machine, and the other tenant's, as the bench's probes name them. */
        final String host;
        final String other;
        final int vrf;
        final String prefix;
        final String prefix6;
        final String machine;
        final String machine6;
        final String gateway;
        final String gateway6;
        final String sharedIp;
        final String sharedIp6;
        final String internetIp;
        final String internetIp6;

        Nat(boolean masquerade, String firewall, String host, String other, int vrf, String net, String net6, String sharedIp,
            String sharedIp6, String internetIp, String internetIp6) {
            this.masquerade = masquerade;
            this.firewall = firewall;
            this.host = host;
            this.other = other;
            this.vrf = vrf;
            this.prefix = net + ".0/24";
            this.prefix6 = net6 + "/64";
            this.machine = net + ".10";
            this.machine6 = net6 + "10";
            this.gateway = net + ".1";
            this.gateway6 = net6 + "1";
            this.sharedIp = sharedIp;
            this.sharedIp6 = sharedIp6;
            this.internetIp = internetIp;
            this.internetIp6 = internetIp6;
        }

        String primary() {
            return "vrf-" + vrf;
        }

        String device() {
            return "n" + vrf;
        }

        /** The address the service sees the tenant's machine as. */
        String machineAsSeenByTheService() {
            return masquerade ? sharedIp : machine;
        }

        String machineAsSeenOnTheInternet() {
            return masquerade ? internetIp : machine;
        }

        String probe(String to) {
            return host + "-to-" + to;
        }

        String probeFrom(String from) {
            return from + "-to-" + host;
        }

        FirewallInput input(boolean attached) {
            return input(attached, FirewallInput.Fabric.DEFAULTS);
        }

        FirewallInput input(boolean attached, FirewallInput.Fabric fabric) {
            FirewallInput.Leg primary = leg(FirewallInput.Role.PRIMARY, "tenant-" + host, vrf, List.of(prefix, prefix6),
                    List.of(gateway, gateway6), false, List.of(), List.of());
            FirewallInput.Leg shared = leg(FirewallInput.Role.SHARED, "shared", VRF_SHARED, List.of("10.9.0.0/24", "fd00:9::/64"),
                    List.of(sharedIp, sharedIp6), masquerade, List.of(), List.of());
            FirewallInput.Leg internet = leg(FirewallInput.Role.EXTERNAL, "internet", VRF_INTERNET,
                    List.of("203.0.113.0/24", "2001:db8:e::/64"), List.of(internetIp, internetIp6), masquerade,
                    List.of("0.0.0.0/0", "::/0"), List.of("203.0.113.1", "2001:db8:e::1"));
            return new FirewallInput(firewall, 4_200_000_000L + vrf, fabric,
                    attached ? List.of(primary, shared, internet) : List.of(primary, internet));
        }
    }

    /** The bench's files: the plan, each revision's files, the report, the guest's console (kept for a look). */
    private static final Path work = Paths.get("target", "datapath").toAbsolutePath();

    /** The bench's report, and its output and error for every failure message. */
    private static JsonNode report;
    private static String transcript;
    private static final Map<String, JsonNode> PHASES = new LinkedHashMap<>();

    /** Why the bench cannot run here; null when it can. */
    private static String cannotRun;

    @BeforeAll
    static void runTheBench() throws Exception {
        cannotRun = requireTheBench();
        if (cannotRun != null) {
            return;
        }
        if (Files.exists(work)) {
            try (var old = Files.walk(work)) {
                old.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        Files.createDirectories(work);
        StringBuilder plan = new StringBuilder();
        plan.append("links ").append(write("links", links(Nat.IPV4_MASQUERADE.input(true), Nat.NONE.input(true)))).append('\n');
        int[] revision = {0, 0};
        Rendered fw1 = FirewallRenderer.render(Nat.IPV4_MASQUERADE.input(true));
        Rendered fw2 = FirewallRenderer.render(Nat.NONE.input(true));
        phase(plan, ATTACHED, revision, fw1, fw2, ALL_PROBES);
        phase(plan, DETACHED, revision, FirewallRenderer.render(Nat.IPV4_MASQUERADE.input(false)),
                FirewallRenderer.render(Nat.NONE.input(false)), ALL_PROBES);
        // fw2 comes back with its partition's no-export switched off: its session to the exit router, up all along,
        // must carry the change (route-maps changed in place by the reload)
        phase(plan, REATTACHED, revision, fw1, FirewallRenderer.render(Nat.NONE.input(true, EXPORT)), ALL_PROBES);
        // a revision FRR cannot read: refused before anything is applied, the running one keeps forwarding
        phase(plan, BROKEN, revision, revision(mutate(fw1.frr(), "  import vrf route-map", "  import vrf route-mapp"), fw1.nftables()),
                null, ALL_PROBES);
        // broken on purpose, to show the assertions can fail: rulesets loaded behind the agent's back
        String nft = fw1.nftables();
        tamper(plan, "policy-accept", mutate(nft, "policy drop;", "policy accept;"), "service-to-a-v6");
        tamper(plan, "no-replies", mutate(nft, "\t\tct state established,related counter accept comment \"replies\"\n", ""),
                "a-to-service");
        tamper(plan, "no-ip6-accept", withoutTheLine(nft, "oifname \"n109\" ip6 saddr"), "a-to-service-v6", "a-to-service");
        String postrouting = "\t\ttype nat hook postrouting priority srcnat; policy accept;\n";
        tamper(plan, "nat66", mutate(nft, postrouting,
                postrouting + "\t\toifname \"n109\" ip6 saddr fd00:a::/64 counter snat ip6 to " + Nat.IPV4_MASQUERADE.sharedIp6 + "\n"),
                "a-to-service-v6");
        run(write("plan", plan.toString()));
    }

    // ---------------------------------------------------------------- reachability

    @ParameterizedTest
    @EnumSource(Nat.class)
    void theMachineReachesTheSharedServiceAsTheNatTypeSays(Nat nat) {
        for (String phase : List.of(ATTACHED, REATTACHED)) {
            assertReaches(phase, nat.probe("service"), nat.machineAsSeenByTheService());
            assertReaches(phase, nat.probe("service-v6"), nat.machine6);   // no NAT66: masquerading translates IPv4 only
        }
    }

    @ParameterizedTest
    @EnumSource(Nat.class)
    void theServiceReachesTheMachineOnlyWithoutNat(Nat nat) {
        for (String family : List.of("", "-v6")) {
            String probe = nat.probeFrom("service") + family;
            if (nat.masquerade) {
                assertThat(probe(ATTACHED, probe)).as(context(ATTACHED, probe)).isEqualTo(Probe.BLOCKED);
            } else {
                assertReaches(ATTACHED, probe, family.isEmpty() ? SERVICE : SERVICE6);
            }
        }
    }

    @Test
    void tenantsNeverReachEachOther() {
        for (String phase : List.of(ATTACHED, DETACHED, REATTACHED)) {
            for (String probe : List.of("a-to-b", "b-to-a", "a-to-b-v6", "b-to-a-v6")) {
                assertThat(probe(phase, probe)).as(context(phase, probe)).isEqualTo(Probe.BLOCKED);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Nat.class)
    void theMachineReachesTheInternetAsTheNatTypeSaysAndNothingComesIn(Nat nat) {
        for (String phase : List.of(ATTACHED, DETACHED, REATTACHED)) {
            assertReaches(phase, nat.probe("internet"), nat.machineAsSeenOnTheInternet());
            assertReaches(phase, nat.probe("internet-v6"), nat.machine6);
            // nothing from the internet gets in, whatever the routes say (the exit router has IPv6 ones, and without
            // NAT IPv4 ones too)
            for (String family : List.of("", "-v6")) {
                String probe = nat.probeFrom("internet") + family;
                assertThat(probe(phase, probe)).as(context(phase, probe)).isEqualTo(Probe.BLOCKED);
            }
            assertLearntFromAFirewall(phase, "exit", "ipv6", nat.prefix6, true);
        }
    }

    @ParameterizedTest
    @EnumSource(Nat.class)
    void detachingTheSharedNetworkCutsTheMachineOffTheServiceAndAttachingItAgainRestoresIt(Nat nat) {
        for (String family : List.of("", "-v6")) {
            assertThat(probe(DETACHED, nat.probe("service") + family)).as(context(DETACHED, nat.probe("service") + family))
                    .isEqualTo(Probe.BLOCKED);
            assertThat(probe(DETACHED, nat.probeFrom("service") + family)).as(context(DETACHED, nat.probeFrom("service") + family))
                    .isEqualTo(Probe.BLOCKED);
        }
        assertReaches(REATTACHED, nat.probe("service"), nat.machineAsSeenByTheService());
        assertReaches(REATTACHED, nat.probe("service-v6"), nat.machine6);
    }

    // ---------------------------------------------------------------- what FRR installed and what the routers learnt

    @ParameterizedTest
    @EnumSource(Nat.class)
    void theTenantsVrfHasTheSharedNetworkAndTheInternetFromFrrAndNothingOfTheOtherTenant(Nat nat) {
        Nat other = nat == Nat.NONE ? Nat.IPV4_MASQUERADE : Nat.NONE;
        for (String phase : List.of(ATTACHED, REATTACHED)) {
            // leaked from the shared VRF (its connected routes) and from the internet's (its static default routes)
            assertInstalled(phase, nat.firewall, nat.primary(), "ipv4", "10.9.0.0/24", "n109");
            assertInstalled(phase, nat.firewall, nat.primary(), "ipv6", "fd00:9::/64", "n109");
            assertInstalled(phase, nat.firewall, nat.primary(), "ipv4", "0.0.0.0/0", "n100");
            assertInstalled(phase, nat.firewall, nat.primary(), "ipv6", "::/0", "n100");
            assertThat(routes(phase, nat.firewall, nat.primary(), "ipv4").has(other.prefix)).as(frrContext(phase, nat.firewall)).isFalse();
            assertThat(routes(phase, nat.firewall, nat.primary(), "ipv6").has(other.prefix6)).as(frrContext(phase, nat.firewall)).isFalse();
            // the way back: the shared and the internet's VRF have the tenant's prefixes
            for (String vrf : List.of(SHARED, "vrf-" + VRF_INTERNET)) {
                assertInstalled(phase, nat.firewall, vrf, "ipv4", nat.prefix, nat.device());
                assertInstalled(phase, nat.firewall, vrf, "ipv6", nat.prefix6, nat.device());
            }
            // and the kernel has what FRR installed, in the VRF's own table
            assertThat(kernel(phase, nat.firewall, nat.vrf)).as(frrContext(phase, nat.firewall))
                    .contains("ipv4 10.9.0.0/24 dev n109", "ipv6 fd00:9::/64 dev n109", "ipv4 default dev n100", "ipv6 default dev n100");
        }
    }

    @ParameterizedTest
    @EnumSource(Nat.class)
    void theLeafAndTheExitRouterLearnTheTenantsPrefixesAsTheNatTypeSays(Nat nat) {
        for (String router : List.of("leaf", "exit")) {
            // without NAT both families; with masquerading IPv6 only (IPv4 hides behind the firewall's address)
            assertLearntFromAFirewall(ATTACHED, router, "ipv4", nat.prefix, !nat.masquerade);
            assertLearntFromAFirewall(ATTACHED, router, "ipv6", nat.prefix6, true);
            // no firewall announces the networks it is in
            assertLearntFromAFirewall(ATTACHED, router, "ipv4", "10.9.0.0/24", false);
            assertLearntFromAFirewall(ATTACHED, router, "ipv6", "fd00:9::/64", false);
            assertLearntFromAFirewall(ATTACHED, router, "ipv4", "203.0.113.0/24", false);
        }
        // towards the internet marked no-export (the partition's default), towards the shared network not
        assertThat(noExport(ATTACHED, "exit")).as(frrContext(ATTACHED, "exit")).contains(nat.prefix6);
        assertThat(noExport(ATTACHED, "exit").contains(nat.prefix)).as(frrContext(ATTACHED, "exit")).isEqualTo(!nat.masquerade);
        assertThat(noExport(ATTACHED, "leaf")).as(frrContext(ATTACHED, "leaf")).isEmpty();
    }

    @Test
    void aChangeOfThePartitionsExportSettingReachesTheExitRouter() {
        // fw2's reattaching revision has no-export off; fw1's keeps it on
        assertThat(noExport(REATTACHED, "exit")).as(frrContext(REATTACHED, "exit"))
                .contains(Nat.IPV4_MASQUERADE.prefix6).doesNotContain(Nat.NONE.prefix, Nat.NONE.prefix6);
        assertLearntFromAFirewall(REATTACHED, "exit", "ipv4", Nat.NONE.prefix, true);
        assertLearntFromAFirewall(REATTACHED, "exit", "ipv6", Nat.NONE.prefix6, true);
    }

    @ParameterizedTest
    @EnumSource(Nat.class)
    void theFirewallsTakeNothingFromTheFabricButWhatEachNetworkOffers(Nat nat) {
        Nat other = nat == Nat.NONE ? Nat.IPV4_MASQUERADE : Nat.NONE;
        for (String vrf : List.of(SHARED, nat.primary())) {
            // the leaf's more specific prefix inside the shared network would draw consumers' traffic to it
            assertThat(routes(ATTACHED, nat.firewall, vrf, "ipv4").has("10.9.0.128/25")).as(frrContext(ATTACHED, nat.firewall)).isFalse();
            assertThat(routes(ATTACHED, nat.firewall, vrf, "ipv6").has("fd00:9:0:0:8000::/65")).as(frrContext(ATTACHED, nat.firewall))
                    .isFalse();
            // the routers pass the other tenant's prefixes on: they stay out
            assertThat(routes(ATTACHED, nat.firewall, vrf, "ipv6").has(other.prefix6)).as(frrContext(ATTACHED, nat.firewall)).isFalse();
        }
        assertThat(routes(ATTACHED, "leaf", null, "ipv4").has("10.9.0.128/25")).as(frrContext(ATTACHED, "leaf")).isTrue();
        assertLearntFromAFirewall(ATTACHED, "leaf", "ipv6", other.prefix6, true);
        // the exit router's own prefixes stay out of the tenant's VRF too: it takes only the default routes there
        assertThat(routes(ATTACHED, nat.firewall, nat.primary(), "ipv4").has("198.51.100.0/24")).as(frrContext(ATTACHED, nat.firewall))
                .isFalse();
        assertThat(routes(ATTACHED, nat.firewall, "vrf-" + VRF_INTERNET, "ipv4").path("198.51.100.0/24").isMissingNode())
                .as(frrContext(ATTACHED, nat.firewall)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Nat.class)
    void aDetachWithdrawsTheRoutesAndAReattachBringsThemBack(Nat nat) {
        assertThat(routes(DETACHED, nat.firewall, nat.primary(), "ipv4").has("10.9.0.0/24")).as(frrContext(DETACHED, nat.firewall)).isFalse();
        assertThat(routes(DETACHED, nat.firewall, nat.primary(), "ipv6").has("fd00:9::/64")).as(frrContext(DETACHED, nat.firewall)).isFalse();
        assertThat(kernel(DETACHED, nat.firewall, nat.vrf)).as(frrContext(DETACHED, nat.firewall))
                .doesNotContain("ipv4 10.9.0.0/24 dev n109", "ipv6 fd00:9::/64 dev n109");
        assertLearntFromAFirewall(DETACHED, "leaf", "ipv6", nat.prefix6, false);
        // the internet stays, with its routes both ways
        assertInstalled(DETACHED, nat.firewall, nat.primary(), "ipv4", "0.0.0.0/0", "n100");
        assertLearntFromAFirewall(DETACHED, "exit", "ipv6", nat.prefix6, true);
        assertLearntFromAFirewall(REATTACHED, "leaf", "ipv6", nat.prefix6, true);
        assertThat(frr(REATTACHED, nat.firewall)).as("FRR on %s after attach, detach, attach is as after the first attach", nat.firewall)
                .isEqualTo(frr(ATTACHED, nat.firewall));
    }

    @Test
    void aBrokenRevisionIsRejectedAndTheRunningOneKeepsForwarding() {
        JsonNode answer = phase(BROKEN).path("answers").path("fw1");
        assertThat(answer.path("outcome").asString()).as(transcript).isEqualTo("rejected");
        assertThat(answer.path("message").asString()).as(transcript).contains("vtysh -C");
        assertThat(frr(BROKEN, "fw1")).isEqualTo(frr(REATTACHED, "fw1"));
        for (String probe : ALL_PROBES) {
            assertThat(probe(BROKEN, probe)).as(context(BROKEN, probe)).isEqualTo(probe(REATTACHED, probe));
        }
        assertReaches(BROKEN, "a-to-service", Nat.IPV4_MASQUERADE.sharedIp);
    }

    @Test
    void everyOtherRevisionWasAppliedAndEveryPhaseSettled() {
        for (Map.Entry<String, JsonNode> phase : PHASES.entrySet()) {
            assertThat(phase.getValue().path("settled").asBoolean()).as("phase %s settled\n%s", phase.getKey(), transcript).isTrue();
            for (JsonNode answer : phase.getValue().path("answers")) {
                if (!phase.getKey().equals(BROKEN)) {
                    assertThat(answer.path("outcome").asString()).as("phase %s: %s", phase.getKey(), answer).isEqualTo("applied");
                    // no note: a note would say what was not applied (FRR not running, a validator missing)
                    assertThat(answer.path("message").isNull()).as("phase %s: %s", phase.getKey(), answer).isTrue();
                }
            }
        }
    }

    // ---------------------------------------------------------------- broken on purpose: the assertions can fail

    @Test
    void brokenRulesetsMakeTheseAssertionsFail() {
        // forward policy accept instead of drop: the service gets to the masqueraded machine over IPv6 (which the leaf
        // routes to the firewall; IPv4 it does not, as the tenant's IPv4 prefix hides behind the firewall)
        assertThat(probe("policy-accept", "service-to-a-v6").reached()).as(context("policy-accept", "service-to-a-v6")).isTrue();
        assertThat(probe(ATTACHED, "service-to-a-v6")).as(context(ATTACHED, "service-to-a-v6")).isEqualTo(Probe.BLOCKED);

        // no rule for replies: the service's answers to the masqueraded machine are dropped
        assertThat(probe("no-replies", "a-to-service")).as(context("no-replies", "a-to-service")).isEqualTo(Probe.BLOCKED);
        assertThatThrownBy(() -> assertReaches("no-replies", "a-to-service", Nat.IPV4_MASQUERADE.sharedIp)).isInstanceOf(AssertionError.class);

        // no ip6 accept rule: IPv6 from the machine is dropped, while IPv4 still passes
        assertThat(probe("no-ip6-accept", "a-to-service-v6")).as(context("no-ip6-accept", "a-to-service-v6")).isEqualTo(Probe.BLOCKED);
        assertReaches("no-ip6-accept", "a-to-service", Nat.IPV4_MASQUERADE.sharedIp);
        assertThatThrownBy(() -> assertReaches("no-ip6-accept", "a-to-service-v6", Nat.IPV4_MASQUERADE.machine6))
                .isInstanceOf(AssertionError.class);

        // NAT66: the service sees the firewall's IPv6 address, not the machine's own
        assertThat(probe("nat66", "a-to-service-v6")).as(context("nat66", "a-to-service-v6"))
                .isEqualTo(Probe.reachedAs(Nat.IPV4_MASQUERADE.sharedIp6));
        assertThatThrownBy(() -> assertReaches("nat66", "a-to-service-v6", Nat.IPV4_MASQUERADE.machine6)).isInstanceOf(AssertionError.class);
    }

    private static void assertReaches(String phase, String probe, String seenAs) {
        assertThat(probe(phase, probe)).as(context(phase, probe)).isEqualTo(Probe.reachedAs(seenAs));
    }

    /** FRR selected the route and installed it in the kernel, by the interface. */
    private static void assertInstalled(String phase, String node, String vrf, String family, String prefix, String device) {
        JsonNode entries = routes(phase, node, vrf, family).path(prefix);
        boolean found = false;
        for (JsonNode entry : entries) {
            if (entry.path("selected").asBoolean() && entry.path("installed").asBoolean()) {
                for (JsonNode hop : entry.path("nexthops")) {
                    found |= hop.path("interfaceName").asString().equals(device);
                }
            }
        }
        assertThat(found).as("%s: FRR on %s installed %s in %s by %s\n%s", phase, node, prefix, vrf, device, frrContext(phase, node))
                .isTrue();
    }

    /** Whether a router has a BGP route for the prefix (learnt from a firewall: nothing else speaks BGP to it). */
    private static void assertLearntFromAFirewall(String phase, String router, String family, String prefix, boolean learnt) {
        // learnt: a BGP route that won; not learnt: no BGP route at all (a connected one would win over it and hide it)
        boolean found = false;
        for (JsonNode entry : routes(phase, router, null, family).path(prefix)) {
            found |= entry.path("protocol").asString().equals("bgp") && (entry.path("selected").asBoolean() || !learnt);
        }
        assertThat(found).as("%s: %s learnt %s over BGP\n%s", phase, router, prefix, frrContext(phase, router)).isEqualTo(learnt);
    }

    // ---------------------------------------------------------------- inputs

    private static FirewallInput.Leg leg(FirewallInput.Role role, String network, int vrf, List<String> prefixes, List<String> ips,
                                         boolean masquerade, List<String> destinations, List<String> gateways) {
        return new FirewallInput.Leg(role, network, vrf, prefixes, ips, masquerade, destinations, gateways);
    }

    /** The bench's cabling: each leg of each firewall, its interface in its VRF with the firewall's addresses. */
    private static String links(FirewallInput... firewalls) {
        StringBuilder links = new StringBuilder();
        for (FirewallInput firewall : firewalls) {
            for (FirewallInput.Leg leg : firewall.legs()) {
                String segment = switch (leg.role()) {
                    case PRIMARY -> "tenant";
                    case SHARED -> "shared";
                    case EXTERNAL -> "external";
                };
                links.append("link ").append(firewall.firewall()).append(' ').append(segment).append(' ')
                        .append(FirewallRenderer.device(leg)).append(' ').append(leg.vrf());
                for (String ip : leg.ips()) {
                    String prefix = leg.prefixes().stream().filter(p -> p.contains(":") == ip.contains(":")).findFirst().orElseThrow();
                    links.append(' ').append(ip).append(prefix.substring(prefix.indexOf('/')));
                }
                links.append('\n');
            }
        }
        return links.toString();
    }

    /** A revision's two files (the hash is the agent's business: the bench computes its own). */
    private static Rendered revision(String frr, String nftables) {
        return new Rendered(frr, nftables, "");
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
            if (!check.waitFor(60, TimeUnit.SECONDS)) {
                check.destroyForcibly();
                missing = "datapath.sh --check did not finish in 60 s";
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
        String message = "the datapath test cannot run here: " + missing + " (it needs root, unshare, iproute2, nftables, socat,"
                + " conntrack and FRR: apt-get install -y iproute2 nftables socat conntrack frr frr-pythontools; and a kernel with"
                + " VRF devices, or apt-get install -y qemu-system-x86 and .ci/install-datapath-guest)";
        if (required) {
            fail(message + "; NETPORTAL_REQUIRE_DATAPATH=1 makes that a failure");
        }
        return message;
    }

    /** Adds a phase: the revisions it delivers (null: none for that firewall) and the probes it runs. */
    private static void phase(StringBuilder plan, String name, int[] revision, Rendered fw1, Rendered fw2, String... probes)
            throws IOException {
        plan.append("phase ").append(name).append('\n');
        Rendered[] rendered = {fw1, fw2};
        for (int i = 0; i < 2; i++) {
            if (rendered[i] != null) {
                String firewall = "fw" + (i + 1);
                int next = ++revision[i];
                plan.append("deliver ").append(firewall).append(' ').append(next).append(' ')
                        .append(write(name + "-" + firewall + ".frr", rendered[i].frr())).append(' ')
                        .append(write(name + "-" + firewall + ".nft", rendered[i].nftables())).append('\n');
            }
        }
        plan.append("probes ").append(String.join(",", probes)).append('\n');
    }

    /** Adds a phase that loads a ruleset on fw1 with nft, not through the agent, and the probes it runs. */
    private static void tamper(StringBuilder plan, String name, String nftables, String... probes) throws IOException {
        plan.append("phase ").append(name).append('\n');
        plan.append("tamper fw1 ").append(write(name + "-fw1.nft", nftables)).append('\n');
        plan.append("probes ").append(String.join(",", probes)).append('\n');
    }

    private static String write(String name, String text) throws IOException {
        return Files.writeString(work.resolve(name), text).toString();
    }

    private static void run(String plan) throws Exception {
        Path reportFile = work.resolve("report.json");
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = List.of("bash", SCRIPT.toString(), "--run", work.toString(), "--",
                java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                DatapathBench.class.getName(), plan, reportFile.toString());
        Path out = work.resolve("bench.out");
        Path err = work.resolve("bench.err");
        long start = System.nanoTime();
        Process bench = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        boolean finished = bench.waitFor(BENCH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!finished) {
            // SIGKILL to the whole tree: unshare ignores SIGTERM while its child runs, and QEMU is the script's child
            bench.descendants().forEach(ProcessHandle::destroyForcibly);
            bench.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        Path console = work.resolve("guest.console");
        transcript = "datapath.sh --run (" + seconds + " s)\n--- stdout\n" + Files.readString(out) + "--- stderr\n" + Files.readString(err)
                + (Files.exists(console) ? "--- guest console (end)\n" + tail(Files.readString(console), 3000) : "");
        assertThat(finished).as("the datapath bench finished within %d s\n%s", BENCH_TIMEOUT_SECONDS, transcript).isTrue();
        assertThat(bench.exitValue()).as("the datapath bench ran\n%s", transcript).isZero();
        report = JSON.readTree(Files.readString(reportFile));
        for (JsonNode phase : report.path("phases")) {
            PHASES.put(phase.path("name").asString(), phase);
        }
        System.out.println("datapath bench: " + seconds + " s, setup " + report.path("setupSeconds").asDouble() + " s; report " + reportFile);
    }

    private static String tail(String text, int characters) {
        return text.length() <= characters ? text : text.substring(text.length() - characters);
    }

    private static JsonNode phase(String name) {
        JsonNode phase = PHASES.get(name);
        if (phase == null) {
            throw new AssertionError("no phase " + name + " in the report\n" + transcript);
        }
        return phase;
    }

    private static Probe probe(String phase, String probe) {
        JsonNode outcome = phase(phase).path("probes").get(probe);
        if (outcome == null) {
            throw new AssertionError("no outcome for probe " + probe + " in phase " + phase + "\n" + transcript);
        }
        return Probe.parse(outcome.asString());
    }

    private static JsonNode frr(String phase, String node) {
        return phase(phase).path("frr").path(node);
    }

    /** A node's routes of a family: of a firewall's VRF, or of a router (vrf null). */
    private static JsonNode routes(String phase, String node, String vrf, String family) {
        JsonNode routes = vrf == null ? frr(phase, node).path(family) : frr(phase, node).path(vrf).path(family);
        if (routes.isMissingNode()) {
            throw new AssertionError(phase + ": no " + family + " routes of " + node + (vrf == null ? "" : " " + vrf) + "\n" + frrContext(phase, node));
        }
        return routes;
    }

    private static List<String> noExport(String phase, String router) {
        List<String> prefixes = new ArrayList<>();
        frr(phase, router).path("noExport").forEach(p -> prefixes.add(p.asString()));
        return prefixes;
    }

    /** The kernel's routes in a firewall's VRF table, as "family prefix dev device" lines (family: ipv4, ipv6). */
    private static List<String> kernel(String phase, String firewall, int table) {
        List<String> routes = new ArrayList<>();
        for (JsonNode route : phase(phase).path("kernel").path(firewall).path(String.valueOf(table))) {
            routes.add(route.path("family").asString() + " " + route.path("dst").asString()
                    + (route.has("dev") ? " dev " + route.path("dev").asString() : ""));
        }
        return routes;
    }

    private static String context(String phase, String probe) {
        return "probe " + probe + " in phase " + phase + "\n" + transcript;
    }

    private static String frrContext(String phase, String node) {
        return "FRR on " + node + " in phase " + phase + ": " + frr(phase, node) + "\nanswers: " + phase(phase).path("answers");
    }

    /** A probe's outcome: whether the connection was made, and the client address the destination saw. */
    record Probe(boolean reached, String source) {

        static final Probe BLOCKED = new Probe(false, null);
        private static final Pattern OK = Pattern.compile("^OK source=(\\S+)$");

        static Probe reachedAs(String source) {
            return new Probe(true, source);
        }

        static Probe parse(String outcome) {
            Matcher ok = OK.matcher(outcome);
            return ok.matches() ? reachedAs(ok.group(1)) : BLOCKED;
        }

        @Override
        public String toString() {
            return reached ? "reached, seen as " + source : "blocked";
        }
    }
}
