package dev.netportal.firewall.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netportal.firewall.protocol.SigningKeys;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * An agent's settings as an operator gives them (NETPORTAL_AGENT_*, README): files for the credential and the
 * portal's keys, several portal URLs, and plain http refused for anything but this host.
 */
class AgentSettingsTest {

    @TempDir
    Path directory;

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return env;
    }

    @Test
    void theSettingsOfTheReadmeAreRead() throws Exception {
        UUID firewall = UUID.randomUUID();
        Path credential = Files.writeString(directory.resolve("credential"), "the-credential\n");
        Path keys = Files.writeString(directory.resolve("portal-public.pem"),
                SigningKeys.pem(SigningKeys.generate().getPublic()) + SigningKeys.pem(SigningKeys.generate().getPublic()));
        AgentSettings settings = AgentSettings.from(environment(Map.of(
                "netportal.agent.portal-url", "https://a.example, https://b.example:8443",
                "netportal.agent.firewall-id", firewall.toString(),
                "netportal.agent.credential-file", credential.toString(),
                "netportal.agent.portal-keys-file", keys.toString(),
                "netportal.agent.mode", "apply",
                "netportal.agent.directory", directory.resolve("state").toString(),
                "netportal.agent.heartbeat", "5s")));
        assertThat(settings.portalUrls()).containsExactly(URI.create("https://a.example"), URI.create("https://b.example:8443"));
        assertThat(settings.firewall()).isEqualTo(firewall);
        assertThat(settings.credential()).isEqualTo("the-credential");
        assertThat(settings.portalKeys()).as("two keys while the portal's key is rotated").hasSize(2);
        assertThat(settings.mode()).isEqualTo(FirewallAgent.Mode.APPLY);
        assertThat(settings.heartbeat()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.silence()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.caFile()).isNull();
    }

    @Test
    void plainHttpOnlyToThisHostAndTheKeysAreRequired() {
        List<String> fine = List.of("http://localhost:8081", "http://127.0.0.1:8081", "http://[::1]:8081", "https://10.0.0.1");
        fine.forEach(url -> AgentSettings.checkUrl(URI.create(url)));
        for (String url : List.of("http://10.0.0.1:8081", "http://portal.example", "ftp://localhost", "http://127.0.0.1.example.com")) {
            assertThatThrownBy(() -> AgentSettings.checkUrl(URI.create(url))).as(url).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> AgentSettings.from(environment(Map.of(
                "netportal.agent.portal-url", "https://a.example",
                "netportal.agent.firewall-id", UUID.randomUUID().toString(),
                "netportal.agent.credential", "c"))))
                .hasMessageContaining("NETPORTAL_AGENT_PORTAL_KEYS_FILE");
        assertThat(AgentSettings.duration(environment(Map.of("d", "PT2M")), "d", Duration.ZERO)).isEqualTo(Duration.ofMinutes(2));
        assertThat(AgentSettings.duration(environment(Map.of("d", "500ms")), "d", Duration.ZERO)).isEqualTo(Duration.ofMillis(500));
        assertThatThrownBy(() -> AgentSettings.duration(environment(Map.of("d", "soon")), "d", Duration.ZERO))
                .hasMessageContaining("d is 'soon'");
    }
}
