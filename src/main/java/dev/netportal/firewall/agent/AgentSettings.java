package dev.netportal.firewall.agent;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.springframework.core.env.Environment;

/**
 * How an agent is set up ({@code NETPORTAL_AGENT_*}, or {@code --netportal.agent.*} arguments).
 *
 * @param portalUrl     the portal's API, where the agent says hello (e.g. {@code https://netportal.example})
 * @param firewall      the firewall this agent serves
 * @param credential    the firewall's agent credential, shown once when the firewall was allocated
 * @param port          where the agent listens for the portal's pushes
 * @param advertisedUrl how the portal reaches this agent (default {@code http://<host name>:<port>}; null: where
 *                      it listens, which suits tests on a loopback address and port 0)
 * @param directory     where the files of every revision and the applied revision are kept
 * @param mode          record (validate and keep) or apply
 * @param helloEvery    how often the agent says hello again once it was welcomed
 */
public record AgentSettings(URI portalUrl, UUID firewall, String credential, String host, int port, URI advertisedUrl,
                            Path directory, FirewallAgent.Mode mode, String frrReload, Duration helloEvery) {

    static AgentSettings from(Environment env) {
        int port = env.getProperty("netportal.agent.port", Integer.class, 7901);
        String credential = env.getProperty("netportal.agent.credential");
        String credentialFile = env.getProperty("netportal.agent.credential-file");
        if ((credential == null || credential.isBlank()) && credentialFile != null) {
            try {
                credential = java.nio.file.Files.readString(Path.of(credentialFile)).strip();
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot read the agent credential from " + credentialFile + ": " + e.getMessage(), e);
            }
        }
        String hostName;
        try {
            hostName = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            hostName = "localhost";
        }
        return new AgentSettings(
                URI.create(required(env, "netportal.agent.portal-url")),
                UUID.fromString(required(env, "netportal.agent.firewall-id")),
                credential == null || credential.isBlank() ? fail("netportal.agent.credential (or netportal.agent.credential-file)") : credential,
                env.getProperty("netportal.agent.host", "0.0.0.0"),
                port,
                URI.create(env.getProperty("netportal.agent.url", "http://" + hostName + ":" + port)),
                Path.of(env.getProperty("netportal.agent.directory", "/var/lib/netportal-agent")),
                FirewallAgent.Mode.valueOf(env.getProperty("netportal.agent.mode", "record").toUpperCase(java.util.Locale.ROOT)),
                env.getProperty("netportal.agent.frr-reload", "/usr/lib/frr/frr-reload.py"),
                env.getProperty("netportal.agent.hello-every", Duration.class, Duration.ofSeconds(30)));
    }

    private static String required(Environment env, String name) {
        String value = env.getProperty(name);
        return value == null || value.isBlank() ? fail(name) : value.strip();
    }

    private static String fail(String name) {
        throw new IllegalStateException("the agent needs " + name + " (environment variable "
                + name.split(" ")[0].toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_') + ")");
    }
}
