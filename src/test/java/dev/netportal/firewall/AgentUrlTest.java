package dev.netportal.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netportal.common.DomainException;
import dev.netportal.ipam.Prefix;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What an agent may give as its URL: only where to reach it, and with agent networks set, only there. */
class AgentUrlTest {

    private static final List<Prefix> ANYWHERE = List.of();
    private static final List<Prefix> MANAGEMENT = List.of(Prefix.parse("192.168.50.0/24"), Prefix.parse("fd00:50::/64"));

    @ParameterizedTest
    @ValueSource(strings = {"http://10.0.0.5:7901", "https://fw-1.example:7901/", "http://[fd00::5]:7901"})
    void aHostAndPortIsAccepted(String url) {
        assertThat(AgentHellos.agentUrl(url, ANYWHERE).getHost()).isNotBlank();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://10.0.0.5", "http://internal-svc:9000/admin?x=", "http://10.0.0.5:7901/v1",
            "http://10.0.0.5:7901/#x", "http://user:pw@10.0.0.5:7901", "10.0.0.5:7901", "http:///nohost", " "})
    void anythingThatCouldSteerThePushElsewhereIsRefused(String url) {
        assertThatThrownBy(() -> AgentHellos.agentUrl(url, ANYWHERE)).isInstanceOf(DomainException.class)
                .hasMessageContaining("host and port only");
    }

    @Test
    void withAgentNetworksOnlyAddressesInsideThemAreAccepted() {
        assertThat(AgentHellos.agentUrl("http://192.168.50.7:7901", MANAGEMENT).getHost()).isEqualTo("192.168.50.7");
        assertThat(AgentHellos.agentUrl("http://[fd00:50::7]:7901", MANAGEMENT).getPort()).isEqualTo(7901);
        assertThatThrownBy(() -> AgentHellos.agentUrl("http://10.0.0.5:7901", MANAGEMENT))
                .isInstanceOf(DomainException.class).hasMessageContaining("192.168.50.0/24");
        assertThatThrownBy(() -> AgentHellos.agentUrl("http://fw-1.example:7901", MANAGEMENT))
                .as("a name could resolve anywhere").isInstanceOf(DomainException.class);
    }
}
