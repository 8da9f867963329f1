package dev.netportal.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which address a client is counted by: never one it chose itself unless a trusted proxy vouches for it. */
class ClientAddressTest {

    private final ClientAddress behindIngress = new ClientAddress(List.of("10.1.0.0/16", "fd00:1::/64"));
    private final ClientAddress direct = new ClientAddress(List.of());

    @Test
    void withoutTrustedProxiesTheForwardedHeaderIsIgnored() throws Exception {
        assertThat(direct.keyOf(InetAddress.getByName("192.0.2.7"), List.of("198.51.100.1")))
                .isEqualTo("192.0.2.7");
    }

    @Test
    void anUntrustedPeerCannotChooseItsAddress() throws Exception {
        assertThat(behindIngress.keyOf(InetAddress.getByName("192.0.2.7"), List.of("198.51.100.1")))
                .isEqualTo("192.0.2.7");
    }

    @Test
    void behindATrustedProxyTheRightMostUntrustedHopIsTheClient() throws Exception {
        // the client may prepend anything; only what the trusted proxies appended counts
        assertThat(behindIngress.keyOf(InetAddress.getByName("10.1.2.3"),
                List.of("203.0.113.66, 198.51.100.1", "10.1.9.9"))).isEqualTo("198.51.100.1");
    }

    @Test
    void aHopWithAPortCountsByItsAddress() throws Exception {
        assertThat(behindIngress.keyOf(InetAddress.getByName("10.1.2.3"), List.of("198.51.100.1:5060")))
                .isEqualTo("198.51.100.1");
        assertThat(behindIngress.keyOf(InetAddress.getByName("10.1.2.3"), List.of("[2001:db8:5::7]:443")))
                .isEqualTo("2001:db8:5::/64");
    }

    @Test
    void aMalformedHopStopsTheWalkAtTheLastTrustedOne() throws Exception {
        assertThat(behindIngress.keyOf(InetAddress.getByName("10.1.2.3"), List.of("not-an-address")))
                .isEqualTo("10.1.2.3");
    }

    @Test
    void anIpv6ClientCountsByItsSlash64AndAMappedIpv4ByItsAddress() throws Exception {
        assertThat(direct.keyOf(InetAddress.getByName("2001:db8:1:2:aaaa::1"), List.of()))
                .isEqualTo(direct.keyOf(InetAddress.getByName("2001:db8:1:2:bbbb::9"), List.of()))
                .isEqualTo("2001:db8:1:2::/64");
        assertThat(direct.keyOf(InetAddress.getByName("2001:db8:1:3::1"), List.of())).isEqualTo("2001:db8:1:3::/64");
        assertThat(behindIngress.keyOf(InetAddress.getByName("fd00:1::5"), List.of("::ffff:192.0.2.9")))
                .isEqualTo("192.0.2.9");
    }

    @Test
    void aTrustedProxyThatIsNoAddressIsRefusedAtStart() {
        assertThatThrownBy(() -> new ClientAddress(List.of("ingress.local")))
                .hasMessageContaining("ingress.local");
    }
}
