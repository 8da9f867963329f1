package dev.netportal.firewall.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rendered configuration of the typical firewall shapes, against golden files, and every output checked for
 * real: {@code vtysh -C -f} (FRR's syntax check) and {@code nft -c -f} in a user and network namespace. Run with
 * {@code -Drender.update=true} to rewrite the golden files after an intended change, and read the diff.
 */
class FirewallRendererTest {

    private static final Path GOLDEN = Paths.get("src", "test", "resources", "render");

    private static final FirewallInput.Leg PRIVATE = new FirewallInput.Leg(FirewallInput.Role.PRIMARY, "web", 101,
            List.of("10.0.4.0/22"), "10.0.4.2", false, List.of(), null);
    private static final FirewallInput.Leg INTERNET = new FirewallInput.Leg(FirewallInput.Role.EXTERNAL, "internet", 100,
            List.of("185.1.2.0/24"), "185.1.2.7", true, List.of("0.0.0.0/0"), "185.1.2.1");
    private static final FirewallInput.Leg STORAGE_NAT = new FirewallInput.Leg(FirewallInput.Role.SHARED, "storage", 102,
            List.of("10.0.8.0/22"), "10.0.8.9", true, List.of(), null);
    private static final FirewallInput.Leg BACKUP_NO_NAT = new FirewallInput.Leg(FirewallInput.Role.SHARED, "backup", 103,
            List.of("10.0.12.0/24"), "10.0.12.5", false, List.of(), null);
    private static final FirewallInput.Leg OWN_SHARED = new FirewallInput.Leg(FirewallInput.Role.PRIMARY, "storage", 102,
            List.of("10.0.8.0/22"), "10.0.8.2", false, List.of(), null);

    private static final FirewallInput.Leg PRIVATE_DUAL = new FirewallInput.Leg(FirewallInput.Role.PRIMARY, "web", 101,
            List.of("10.0.4.0/22", "fd00:1::/64"), List.of("10.0.4.2", "fd00:1::2"), false, List.of(), List.of());
    private static final FirewallInput.Leg INTERNET_DUAL = new FirewallInput.Leg(FirewallInput.Role.EXTERNAL, "internet", 100,
            List.of("185.1.2.0/24", "2001:db8:1::/64"), List.of("185.1.2.7", "2001:db8:1::7"), true,
            List.of("0.0.0.0/0", "::/0"), List.of("185.1.2.1", "2001:db8:1::1"));
    private static final FirewallInput.Leg STORAGE_DUAL_NAT = new FirewallInput.Leg(FirewallInput.Role.SHARED, "storage", 102,
            List.of("10.0.8.0/22", "fd00:2::/64"), List.of("10.0.8.9", "fd00:2::9"), true, List.of(), List.of());
    private static final FirewallInput.Leg BACKUP_DUAL_NO_NAT = new FirewallInput.Leg(FirewallInput.Role.SHARED, "backup", 103,
            List.of("10.0.12.0/24", "fd00:3::/64"), List.of("10.0.12.5", "fd00:3::5"), false, List.of(), List.of());

    /** An MPLS uplink without NAT: the tenant's own addresses leave the partition. */
    private static final FirewallInput.Leg UPLINK_DUAL_NO_NAT = new FirewallInput.Leg(FirewallInput.Role.EXTERNAL, "uplink", 104,
            List.of("100.64.0.0/24", "2001:db8:2::/64"), List.of("100.64.0.9", "2001:db8:2::9"), false,
            List.of("10.128.0.0/9", "2001:db8:ff00::/40"), List.of("100.64.0.1", "2001:db8:2::1"));

    private static final long ASN = 4_200_000_017L;
    private static final FirewallInput.Fabric FABRIC = FirewallInput.Fabric.DEFAULTS;

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of("private-internet", input(FABRIC, PRIVATE, INTERNET)),
                Arguments.of("shared-with-nat", input(FABRIC, PRIVATE, INTERNET, STORAGE_NAT)),
                Arguments.of("shared-without-nat", input(FABRIC, PRIVATE, INTERNET, BACKUP_NO_NAT)),
                Arguments.of("two-shared", input(FABRIC, PRIVATE, BACKUP_NO_NAT, INTERNET, STORAGE_NAT)),
                Arguments.of("primary-shared-owner", input(FABRIC, OWN_SHARED, INTERNET)),
                Arguments.of("dual-stack", input(FABRIC, PRIVATE_DUAL, INTERNET_DUAL, STORAGE_DUAL_NAT, BACKUP_DUAL_NO_NAT)),
                Arguments.of("dual-stack-private-ipv4-shared", input(FABRIC, PRIVATE_DUAL, INTERNET, BACKUP_NO_NAT)),
                // an external network without NAT: the tenant's IPv4 prefix is announced there too, marked no-export
                Arguments.of("external-without-nat", input(FABRIC, PRIVATE_DUAL, INTERNET_DUAL, UPLINK_DUAL_NO_NAT)),
                // a partition whose external routers may pass tenant prefixes on; FRR's own timers (no timers line)
                Arguments.of("no-export-off", input(new FirewallInput.Fabric(60, 180, false), PRIVATE_DUAL, UPLINK_DUAL_NO_NAT,
                        BACKUP_DUAL_NO_NAT)));
    }

    private static FirewallInput input(FirewallInput.Fabric fabric, FirewallInput.Leg... legs) {
        return new FirewallInput("edge", ASN, fabric, List.of(legs));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void rendersTheGoldenConfiguration(String shape, FirewallInput input) throws IOException {
        Rendered rendered = FirewallRenderer.render(input);

        if (Boolean.getBoolean("render.update")) {
            Files.writeString(GOLDEN.resolve(shape + ".frr"), rendered.frr());
            Files.writeString(GOLDEN.resolve(shape + ".nft"), rendered.nftables());
        }
        assertThat(rendered.frr()).isEqualTo(Files.readString(GOLDEN.resolve(shape + ".frr")));
        assertThat(rendered.nftables()).isEqualTo(Files.readString(GOLDEN.resolve(shape + ".nft")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void everyRenderingPassesFrrAndTheKernelsChecks(String shape, FirewallInput input) throws Exception {
        Rendered rendered = FirewallRenderer.render(input);

        assertThat(check(rendered.frr(), ".conf", "vtysh", "-C", "-f")).as("vtysh -C").isEmpty();
        assertThat(check(rendered.nftables(), ".nft", "unshare", "-rn", "nft", "-c", "-f")).as("nft -c").isEmpty();
    }

    @Test
    void theChecksCatchABrokenRuleset() throws Exception {
        Rendered rendered = FirewallRenderer.render(new FirewallInput("edge", List.of(PRIVATE, INTERNET)));

        assertThat(check(rendered.nftables().replace("snat ip to", "snat ip toward"), ".nft", "unshare", "-rn", "nft", "-c", "-f"))
                .isNotEmpty();
        assertThat(check(rendered.frr().replace("import vrf route-map", "import vrf route-mapp"), ".conf", "vtysh", "-C", "-f"))
                .isNotEmpty();
    }

    @Test
    void namesCannotAddLinesOrRulesToTheConfiguration() throws Exception {
        FirewallInput.Leg hostile = new FirewallInput.Leg(FirewallInput.Role.SHARED, "x\" accept\n\t\tip saddr 0.0.0.0/0 accept #",
                104, List.of("10.0.16.0/24"), "10.0.16.3", false, List.of(), null);

        Rendered rendered = FirewallRenderer.render(new FirewallInput("edge\nhostname evil", List.of(PRIVATE, INTERNET, hostile)));

        assertThat(rendered.nftables()).doesNotContain("ip saddr 0.0.0.0/0 accept").doesNotContain("\" accept\n");
        assertThat(rendered.frr()).doesNotContain("hostname evil").doesNotContain("\nip saddr");
        assertThat(check(rendered.nftables(), ".nft", "unshare", "-rn", "nft", "-c", "-f")).isEmpty();
        assertThat(check(rendered.frr(), ".conf", "vtysh", "-C", "-f")).isEmpty();
    }

    @Test
    void theSameInputsGiveTheSameTextAndHashWhateverTheirOrder() {
        Rendered one = FirewallRenderer.render(new FirewallInput("edge", List.of(PRIVATE, INTERNET, STORAGE_NAT, BACKUP_NO_NAT)));
        Rendered other = FirewallRenderer.render(new FirewallInput("edge", List.of(BACKUP_NO_NAT, STORAGE_NAT, INTERNET, PRIVATE)));
        Rendered changed = FirewallRenderer.render(new FirewallInput("edge", List.of(PRIVATE, INTERNET, STORAGE_NAT)));

        assertThat(other).isEqualTo(one);
        assertThat(one.hash()).hasSize(64).isNotEqualTo(changed.hash());
    }

    @Test
    void sharedNetworksReachThePrivateNetworkOnlyWithoutNat() {
        String nft = FirewallRenderer.render(new FirewallInput("edge", List.of(PRIVATE, INTERNET, STORAGE_NAT, BACKUP_NO_NAT)))
                .nftables();

        assertThat(nft).contains("iifname { \"n103\", \"vrf-103\" } oifname \"n101\"")
                .doesNotContain("iifname { \"n102\", \"vrf-102\" } oifname \"n101\"");
        assertThat(nft).contains("oifname \"n102\" ip saddr 10.0.4.0/22 counter snat ip to 10.0.8.9")
                .contains("oifname \"n100\" ip saddr 10.0.4.0/22 counter snat ip to 185.1.2.7")
                .doesNotContain("oifname \"n103\" ip saddr 10.0.4.0/22 counter snat");
        assertThat(nft).contains("policy drop;");
    }

    @Test
    void dualStackRoutesAndFiltersBothFamiliesAndTranslatesOnlyIpv4() {
        Rendered rendered = FirewallRenderer.render(new FirewallInput("edge",
                List.of(PRIVATE_DUAL, INTERNET_DUAL, STORAGE_DUAL_NAT, BACKUP_DUAL_NO_NAT)));

        assertThat(rendered.frr()).contains(" ipv6 route ::/0 2001:db8:1::1", " ip route 0.0.0.0/0 185.1.2.1",
                "ipv6 prefix-list pl6-101 seq 5 permit fd00:1::/64 le 128", "ipv6 prefix-list pl6-100 seq 5 permit ::/0\n",
                " match ipv6 address prefix-list pl6-102");
        assertThat(rendered.frr().split(" address-family ipv6 unicast", -1)).as("one IPv6 family per VRF").hasSize(5);
        assertThat(rendered.frr()).as("IPv6 forwarding is off on a Linux host until zebra turns it on").contains("\nipv6 forwarding\n");
        assertThat(rendered.nftables())
                .contains("oifname \"n100\" ip6 saddr fd00:1::/64 counter accept",
                        "iifname { \"n103\", \"vrf-103\" } oifname \"n101\" ip6 saddr fd00:3::/64 ip6 daddr fd00:1::/64 counter accept",
                        "oifname \"n100\" ip saddr 10.0.4.0/22 counter snat ip to 185.1.2.7")
                .as("a shared network with NAT reaches the private network by IPv6 only as replies")
                .doesNotContain("iifname { \"n102\", \"vrf-102\" } oifname \"n101\"")
                .as("no NAT66").doesNotContain("snat ip6", "masquerade");
        assertThat(FirewallRenderer.render(new FirewallInput("edge", List.of(PRIVATE, INTERNET))).frr())
                .as("an IPv4-only firewall has no IPv6 family").doesNotContain("ipv6 unicast", "ipv6 prefix-list", "ipv6 route");
    }

    @Test
    void everyRenderingHasTheDefaultInstanceForwardingAndImmediateRouteMaps() {
        for (FirewallInput input : shapes().map(arguments -> (FirewallInput) arguments.get()[1]).toList()) {
            String frr = FirewallRenderer.render(input).frr();

            // without the default instance a reload tries to delete the one bgpd made for "import vrf", and fails
            assertThat(frr).contains("\nrouter bgp 4200000017\n bgp router-id ").contains("\nip forwarding\nipv6 forwarding\n")
                    .contains("\nbgp route-map delay-timer 1\n");
            assertThat(frr.lines().filter(line -> line.startsWith("router bgp ")))
                    .as("one AS number, the firewall's, in every instance").allMatch(line -> line.startsWith("router bgp 4200000017"));
            assertThat(frr.indexOf("\nrouter bgp 4200000017\n")).as("the default instance before the VRFs' ones")
                    .isLessThan(frr.indexOf("\nrouter bgp 4200000017 vrf "));
        }
    }

    @Test
    void eachFirewallRunsItsOwnAsNumber() {
        Rendered one = FirewallRenderer.render(new FirewallInput("edge", 4_200_000_001L, FABRIC, List.of(PRIVATE, INTERNET)));
        Rendered other = FirewallRenderer.render(new FirewallInput("edge", 4_200_000_002L, FABRIC, List.of(PRIVATE, INTERNET)));

        assertThat(one.frr()).contains("router bgp 4200000001 vrf vrf-101").doesNotContain("4200000002");
        assertThat(other.frr()).contains("router bgp 4200000002 vrf vrf-100");
        assertThat(one.hash()).isNotEqualTo(other.hash());
        assertThat(one.nftables()).isEqualTo(other.nftables());
    }

    @Test
    void sharedAndExternalVrfsPeerWithTheFabricUnnumberedThePrimaryDoesNot() {
        String frr = FirewallRenderer.render(input(FABRIC, PRIVATE_DUAL, INTERNET_DUAL, STORAGE_DUAL_NAT, BACKUP_NO_NAT)).frr();

        assertThat(instance(frr, 101)).doesNotContain("neighbor", "timers");
        for (int vrf : new int[] {100, 102, 103}) {
            assertThat(instance(frr, vrf)).contains(" timers bgp 3 9\n", " neighbor n" + vrf + " interface remote-as external\n",
                    "  neighbor n" + vrf + " route-map rm-fabric-in-" + vrf + " in\n",
                    "  neighbor n" + vrf + " route-map rm-fabric-out-" + vrf + " out\n");
        }
        assertThat(instance(frr, 102)).contains("  neighbor n102 activate\n");
        assertThat(instance(frr, 103)).as("an IPv4-only network: no IPv6 session").doesNotContain("neighbor n103 activate");
        assertThat(frr).as("IPv4 unicast is on for every neighbour by default, and FRR does not show it")
                .doesNotContain(" address-family ipv4 unicast\n  redistribute connected\n  neighbor n102 activate");
    }

    @Test
    void masqueradingKeepsThePrivateIpv4PrefixOutOfTheNetworkButNotTheIpv6One() {
        String frr = FirewallRenderer.render(input(FABRIC, PRIVATE_DUAL, INTERNET_DUAL, STORAGE_DUAL_NAT, BACKUP_DUAL_NO_NAT)).frr();

        assertThat(routeMap(frr, "rm-fabric-out-102")).contains("match ipv6 address prefix-list pl6-101")
                .doesNotContain("prefix-list pl-101");
        assertThat(routeMap(frr, "rm-fabric-out-103")).contains("match ip address prefix-list pl-101",
                "match ipv6 address prefix-list pl6-101");
        assertThat(routeMap(frr, "rm-fabric-out-100")).contains("match ipv6 address prefix-list pl6-101")
                .doesNotContain("prefix-list pl-101");
    }

    @Test
    void tenantPrefixesGoToExternalNetworksMarkedNoExportWhereThePartitionSaysSo() {
        String on = FirewallRenderer.render(input(FABRIC, PRIVATE_DUAL, UPLINK_DUAL_NO_NAT, BACKUP_DUAL_NO_NAT)).frr();
        String off = FirewallRenderer.render(input(new FirewallInput.Fabric(3, 9, false), PRIVATE_DUAL, UPLINK_DUAL_NO_NAT,
                BACKUP_DUAL_NO_NAT)).frr();

        assertThat(routeMap(on, "rm-fabric-out-104")).contains(" match ip address prefix-list pl-101\n set community no-export additive\n",
                " match ipv6 address prefix-list pl6-101\n set community no-export additive\n")
;
        // a network's own prefix is announced by nobody's firewall: each would draw the others' traffic to itself
        for (String shape : new String[] {on, off}) {
            assertThat(shape).doesNotContain("pl-net-", "pl6-net-");
            for (int vrf : new int[] {103, 104}) {
                assertThat(routeMap(shape, "rm-fabric-out-" + vrf)).doesNotContain("pl-" + vrf + "\n", "pl6-" + vrf + "\n",
                        "pl-fabric-" + vrf, "pl6-fabric-" + vrf);
            }
        }
        assertThat(routeMap(on, "rm-fabric-out-103")).as("a shared network stays in the partition anyway").doesNotContain("community");
        assertThat(off).doesNotContain("community");
        // marked on import, the firewall itself would keep the prefix from its eBGP peer: the session marks it instead
        assertThat(routeMap(on, "rm-into-104")).doesNotContain("community");
    }

    @Test
    void theFabricCannotLeakAnotherTenantsPrefixIntoThePrimaryVrf() {
        String frr = FirewallRenderer.render(input(FABRIC, PRIVATE_DUAL, INTERNET_DUAL, BACKUP_DUAL_NO_NAT)).frr();

        // from the fabric a shared VRF takes the shared network's prefixes only, an external one its destinations
        // only, and exactly: no more specific route, which a speaker on the shared network could use to draw every
        // consumer's traffic for one address to itself
        assertThat(routeMap(frr, "rm-fabric-in-103")).contains(" match ip address prefix-list pl-fabric-103\n",
                " match ipv6 address prefix-list pl6-fabric-103\n", "route-map rm-fabric-in-103 deny 30\n");
        assertThat(routeMap(frr, "rm-fabric-in-100")).contains(" match ip address prefix-list pl-fabric-100\n",
                " match ipv6 address prefix-list pl6-fabric-100\n", "route-map rm-fabric-in-100 deny 30\n");
        assertThat(frr).contains("ip prefix-list pl-fabric-103 seq 5 permit 10.0.12.0/24\n",
                "ip prefix-list pl-fabric-100 seq 5 permit 0.0.0.0/0\n")
                .doesNotContain("pl-fabric-103 seq 5 permit 10.0.12.0/24 le", "pl6-fabric-103 seq 5 permit fd00:3::/64 le");
        // and the primary imports from them only what the same prefix-lists let through
        assertThat(routeMap(frr, "rm-into-101")).contains(" match source-vrf vrf-103\n match ip address prefix-list pl-103\n");
    }

    @Test
    void timersAreCheckedWhereTheyAreMade() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> new FirewallInput.Fabric(3, 8, true));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> new FirewallInput.Fabric(0, 9, true));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new FirewallInput("edge", 0, FABRIC, List.of(PRIVATE)));
    }

    /** One VRF's BGP instance, from its first line to its exit. */
    private static String instance(String frr, int vrf) {
        int start = frr.indexOf("router bgp 4200000017 vrf vrf-" + vrf + "\n");
        assertThat(start).as("instance of vrf-%s in%n%s", vrf, frr).isNotNegative();
        return frr.substring(start, frr.indexOf("\nexit\n", start));
    }

    /** All entries of one route-map. */
    private static String routeMap(String frr, String name) {
        StringBuilder entries = new StringBuilder();
        int at = 0;
        while ((at = frr.indexOf("route-map " + name + " ", at)) >= 0) {
            if (at == 0 || frr.charAt(at - 1) == '\n') {
                int end = frr.indexOf("\nexit\n", at);
                entries.append(frr, at, end + 6);
            }
            at++;
        }
        assertThat(entries).as("route-map %s in%n%s", name, frr).isNotEmpty();
        return entries.toString();
    }

    /** Runs a validator on the text; answers its complaint, empty when it accepts. */
    private static String check(String text, String suffix, String... command) throws Exception {
        Path file = Files.createTempFile("netportal-render", suffix);
        try {
            Files.writeString(file, text);
            List<String> line = new ArrayList<>(List.of(command));
            line.add(file.toString());
            Process process;
            try {
                process = new ProcessBuilder(line).redirectErrorStream(true).start();
            } catch (IOException missing) {
                throw new AssertionError(command[0] + " is needed for this test (apt-get install -y nftables frr)", missing);
            }
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as(String.join(" ", command) + " finished").isTrue();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return process.exitValue() == 0 ? "" : output.isBlank() ? "exit " + process.exitValue() : output;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
