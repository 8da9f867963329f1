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

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of("private-internet", List.of(PRIVATE, INTERNET)),
                Arguments.of("shared-with-nat", List.of(PRIVATE, INTERNET, STORAGE_NAT)),
                Arguments.of("shared-without-nat", List.of(PRIVATE, INTERNET, BACKUP_NO_NAT)),
                Arguments.of("two-shared", List.of(PRIVATE, BACKUP_NO_NAT, INTERNET, STORAGE_NAT)),
                Arguments.of("primary-shared-owner", List.of(OWN_SHARED, INTERNET)),
                Arguments.of("dual-stack", List.of(PRIVATE_DUAL, INTERNET_DUAL, STORAGE_DUAL_NAT, BACKUP_DUAL_NO_NAT)),
                Arguments.of("dual-stack-private-ipv4-shared", List.of(PRIVATE_DUAL, INTERNET, BACKUP_NO_NAT)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void rendersTheGoldenConfiguration(String shape, List<FirewallInput.Leg> legs) throws IOException {
        Rendered rendered = FirewallRenderer.render(new FirewallInput("edge", legs));

        if (Boolean.getBoolean("render.update")) {
            Files.writeString(GOLDEN.resolve(shape + ".frr"), rendered.frr());
            Files.writeString(GOLDEN.resolve(shape + ".nft"), rendered.nftables());
        }
        assertThat(rendered.frr()).isEqualTo(Files.readString(GOLDEN.resolve(shape + ".frr")));
        assertThat(rendered.nftables()).isEqualTo(Files.readString(GOLDEN.resolve(shape + ".nft")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void everyRenderingPassesFrrAndTheKernelsChecks(String shape, List<FirewallInput.Leg> legs) throws Exception {
        Rendered rendered = FirewallRenderer.render(new FirewallInput("edge", legs));

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
                .as("an IPv4-only firewall renders as before: no IPv6 family").doesNotContain("ipv6");
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
