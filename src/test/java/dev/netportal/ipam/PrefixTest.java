package dev.netportal.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netportal.common.DomainException;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrefixTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # prefix         | size   | network        | gateway     | first allocatable | last allocatable
            10.0.0.0/22      | 1024   | 10.0.0.0       | 10.0.0.1    | 10.0.0.2          | 10.0.3.254
            10.0.0.0/30      | 4      | 10.0.0.0       | 10.0.0.1    | 10.0.0.2          | 10.0.0.2
            10.0.0.0/29      | 8      | 10.0.0.0       | 10.0.0.1    | 10.0.0.2          | 10.0.0.6
            10.0.0.0/31      | 2      | 10.0.0.0       |             |                   |
            10.0.0.7/32      | 1      | 10.0.0.7       |             |                   |
            0.0.0.0/0        | 4294967296 | 0.0.0.0    | 0.0.0.1     | 0.0.0.2           | 255.255.255.254
            2001:db8::/64    | 18446744073709551616 | 2001:db8:: | 2001:db8::1 | 2001:db8::2 | 2001:db8::ffff:ffff:ffff:ffff
            2001:db8::/126   | 4      | 2001:db8::     | 2001:db8::1 | 2001:db8::2       | 2001:db8::3
            2001:db8::/127   | 2      | 2001:db8::     |             |                   |
            2001:db8::1/128  | 1      | 2001:db8::1    |             |                   |
            """)
    void knowsItsReservedAndAllocatableAddresses(String text, String size, String network, String gateway,
            String firstAllocatable, String lastAllocatable) {
        Prefix prefix = Prefix.parse(text);

        assertThat(prefix.size()).isEqualTo(new BigInteger(size));
        assertThat(prefix.network()).hasToString(network);
        assertThat(prefix.gateway().map(Address::toString)).isEqualTo(java.util.Optional.ofNullable(gateway));
        if (firstAllocatable == null) {
            assertThat(prefix.allocatable()).isEmpty();
        } else {
            Range range = prefix.allocatable().orElseThrow();
            assertThat(range.first()).hasToString(firstAllocatable);
            assertThat(range.last()).hasToString(lastAllocatable);
        }
    }

    @Test
    void reservesNetworkGatewayAndIpv4BroadcastButNothingElse() {
        Prefix v4 = Prefix.parse("10.0.0.0/24");
        assertThat(v4.isReserved(Address.parse("10.0.0.0"))).as("network").isTrue();
        assertThat(v4.isReserved(Address.parse("10.0.0.1"))).as("gateway").isTrue();
        assertThat(v4.isReserved(Address.parse("10.0.0.255"))).as("broadcast").isTrue();
        assertThat(v4.isReserved(Address.parse("10.0.0.2"))).isFalse();
        assertThat(v4.isReserved(Address.parse("10.0.0.254"))).isFalse();
        assertThat(v4.isReserved(Address.parse("10.0.1.5"))).as("outside is not reserved, it is outside").isFalse();

        Prefix v6 = Prefix.parse("2001:db8::/64");
        assertThat(v6.isReserved(Address.parse("2001:db8::"))).isTrue();
        assertThat(v6.isReserved(Address.parse("2001:db8::1"))).isTrue();
        assertThat(v6.isReserved(Address.parse("2001:db8::ffff:ffff:ffff:ffff"))).as("no broadcast in IPv6").isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.1/22   | prefix-host-bits
            10.0.0.0      | prefix-malformed
            10.0.0.0/33   | prefix-malformed
            300.0.0.0/8   | prefix-malformed
            banana        | prefix-malformed
            2001:db8::1/64 | prefix-host-bits
            """)
    void refusesMalformedPrefixesNamingTheProblem(String text, String code) {
        assertThatThrownBy(() -> Prefix.parse(text))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DomainException.Kind.INVALID);
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.getMessage()).contains(text);
                });
    }

    @Test
    void hostBitsErrorNamesTheIntendedPrefix() {
        assertThatThrownBy(() -> Prefix.parse("10.0.0.1/22")).hasMessageContaining("10.0.0.0/22");
    }

    @Test
    void containsAndOverlaps() {
        Prefix supernet = Prefix.parse("10.0.0.0/16");
        assertThat(supernet.contains(Prefix.parse("10.0.4.0/22"))).isTrue();
        assertThat(supernet.contains(Prefix.parse("10.1.0.0/22"))).isFalse();
        assertThat(Prefix.parse("10.0.0.0/22").overlaps(Prefix.parse("10.0.3.0/24"))).isTrue();
        assertThat(Prefix.parse("10.0.0.0/22").overlaps(Prefix.parse("10.0.4.0/24"))).isFalse();
        assertThat(Prefix.parse("10.0.0.0/8").overlaps(Prefix.parse("2001:db8::/32"))).isFalse();
    }

    @Test
    void buddiesAndParents() {
        assertThat(Prefix.parse("10.0.0.0/23").buddy()).contains(Prefix.parse("10.0.2.0/23"));
        assertThat(Prefix.parse("10.0.2.0/23").buddy()).contains(Prefix.parse("10.0.0.0/23"));
        assertThat(Prefix.parse("10.0.2.0/23").parent()).contains(Prefix.parse("10.0.0.0/22"));
        assertThat(Prefix.parse("2001:db8:0:1::/64").buddy()).contains(Prefix.parse("2001:db8::/64"));
        assertThat(Prefix.parse("0.0.0.0/0").buddy()).isEmpty();
    }

    @Test
    void firstChildIsTheLowestPrefixOfThatLength() {
        assertThat(Prefix.parse("10.0.0.0/16").firstChild(22)).isEqualTo(Prefix.parse("10.0.0.0/22"));
        assertThat(Prefix.parse("10.0.4.0/22").firstChild(24)).isEqualTo(Prefix.parse("10.0.4.0/24"));
        assertThatThrownBy(() -> Prefix.parse("10.0.0.0/22").firstChild(16)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyTheUsualNotationsAreAddresses() {
        for (String odd : new String[] {"fe80::1%eth0", "10.0.0.010", "010.0.0.1", "10.1", "*", "", "10.0.0.5/24"}) {
            assertThatThrownBy(() -> Address.parse(odd)).as(odd).isInstanceOfSatisfying(DomainException.class,
                    e -> assertThat(e.code()).isEqualTo("ip-malformed"));
        }
        assertThatThrownBy(() -> Prefix.parse("fe80::%eth0/64")).isInstanceOf(DomainException.class);
        assertThat(Address.parse(" 10.0.0.10 ")).hasToString("10.0.0.10");
        assertThat(Address.parse("2001:DB8:0:0::7")).hasToString("2001:db8::7");
    }
}
