package dev.netportal.firewall.agent;

import dev.netportal.firewall.protocol.SigningKeys;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.core.env.Environment;

/**
 * How an agent is set up ({@code NETPORTAL_AGENT_*}, or {@code --netportal.agent.*} arguments).
 *
 * @param portalUrls the portal's API, where the agent connects (e.g. {@code https://netportal.example}); several,
 *                   comma-separated, are tried in turn (API instances without a load balancer in front). Plain
 *                   {@code http} only to a loopback address: on the network the stream goes over TLS
 * @param firewall   the firewall this agent serves
 * @param credential the firewall's agent credential, shown once when the firewall was allocated
 * @param portalKeys the portal's public keys (PEM): only revisions signed with one of them are taken; two while
 *                   the portal's key is being rotated
 * @param caFile     the certificate authorities that the portal's TLS certificate is checked against (PEM); null:
 *                   the system's
 * @param directory  where the files of every revision, the applied revision and the agent's status are kept
 * @param mode       record (validate and keep) or apply
 * @param heartbeat  how often the agent tells the portal its status on an open stream
 * @param silence    how long the agent waits without hearing from the portal before it connects again
 */
public record AgentSettings(List<URI> portalUrls, UUID firewall, String credential, List<PublicKey> portalKeys, Path caFile,
                            Path directory, FirewallAgent.Mode mode, String frrReload, Duration heartbeat, Duration silence) {

    public AgentSettings {
        portalUrls = List.copyOf(portalUrls);
        portalKeys = List.copyOf(portalKeys);
        if (portalUrls.isEmpty()) {
            throw new IllegalArgumentException("the agent needs the portal's URL");
        }
        for (URI url : portalUrls) {
            checkUrl(url);
        }
        if (portalKeys.isEmpty()) {
            throw new IllegalArgumentException("the agent needs the portal's public key");
        }
    }

    /** Settings for tests and tools: the default heartbeat (20 s) and silence (60 s). */
    public static AgentSettings of(List<URI> portalUrls, UUID firewall, String credential, List<PublicKey> portalKeys,
            Path caFile, Path directory, FirewallAgent.Mode mode) {
        return new AgentSettings(portalUrls, firewall, credential, portalKeys, caFile, directory, mode,
                "/usr/lib/frr/frr-reload.py", Duration.ofSeconds(20), Duration.ofSeconds(60));
    }

    static AgentSettings from(Environment env) {
        String credential = env.getProperty("netportal.agent.credential");
        String credentialFile = env.getProperty("netportal.agent.credential-file");
        if ((credential == null || credential.isBlank()) && credentialFile != null) {
            credential = read(credentialFile, "netportal.agent.credential-file").strip();
        }
        String keys = env.getProperty("netportal.agent.portal-keys");
        String keysFile = env.getProperty("netportal.agent.portal-keys-file");
        if ((keys == null || keys.isBlank()) && keysFile != null) {
            keys = read(keysFile, "netportal.agent.portal-keys-file");
        }
        if (keys == null || keys.isBlank()) {
            fail("netportal.agent.portal-keys-file (or netportal.agent.portal-keys)");
        }
        String ca = env.getProperty("netportal.agent.ca-file");
        return new AgentSettings(
                Arrays.stream(required(env, "netportal.agent.portal-url").split(",")).map(String::strip)
                        .filter(url -> !url.isEmpty()).map(URI::create).toList(),
                UUID.fromString(required(env, "netportal.agent.firewall-id")),
                credential == null || credential.isBlank() ? fail("netportal.agent.credential (or netportal.agent.credential-file)") : credential,
                SigningKeys.publicKeys(keys),
                ca == null || ca.isBlank() ? null : Path.of(ca),
                Path.of(env.getProperty("netportal.agent.directory", "/var/lib/netportal-agent")),
                FirewallAgent.Mode.valueOf(env.getProperty("netportal.agent.mode", "record").toUpperCase(Locale.ROOT)),
                env.getProperty("netportal.agent.frr-reload", "/usr/lib/frr/frr-reload.py"),
                duration(env, "netportal.agent.heartbeat", Duration.ofSeconds(20)),
                duration(env, "netportal.agent.silence", Duration.ofSeconds(60)));
    }

    /** A duration as {@code 500ms}, {@code 20s}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT20S}). */
    static Duration duration(Environment env, String name, Duration otherwise) {
        String text = env.getProperty(name);
        if (text == null || text.isBlank()) {
            return otherwise;
        }
        java.util.regex.Matcher simple = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m|h)").matcher(text.strip());
        try {
            Duration parsed = !simple.matches() ? Duration.parse(text.strip()) : switch (simple.group(2)) {
                case "ms" -> Duration.ofMillis(Long.parseLong(simple.group(1)));
                case "s" -> Duration.ofSeconds(Long.parseLong(simple.group(1)));
                case "m" -> Duration.ofMinutes(Long.parseLong(simple.group(1)));
                default -> Duration.ofHours(Long.parseLong(simple.group(1)));
            };
            if (parsed.isNegative() || parsed.isZero()) {
                throw new IllegalArgumentException("not positive");
            }
            return parsed;
        } catch (RuntimeException e) {
            throw new IllegalStateException(name + " is '" + text + "': give a positive duration such as 20s, 500ms or 2m");
        }
    }

    /** https anywhere; http only to this host (nothing on the network can read or change what travels). */
    static void checkUrl(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (url.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new IllegalArgumentException("the portal URL '" + url + "' is not an https URL");
        }
        if (scheme.equals("http") && !loopback(url.getHost())) {
            throw new IllegalArgumentException("the portal URL '" + url + "' is plain http to another host: the agent's "
                    + "stream goes over https (http only to a loopback address)");
        }
    }

    private static boolean loopback(String host) {
        try {
            String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
            // a literal address or localhost only: no name is resolved for the check
            return bare.equals("localhost") || (bare.matches("[0-9.]+|[0-9a-fA-F:]+") && InetAddress.getByName(bare).isLoopbackAddress());
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String read(String file, String property) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + property + " " + file + ": " + e.getMessage(), e);
        }
    }

    private static String required(Environment env, String name) {
        String value = env.getProperty(name);
        return value == null || value.isBlank() ? fail(name) : value.strip();
    }

    private static String fail(String name) {
        throw new IllegalStateException("the agent needs " + name + " (environment variable "
                + name.split(" ")[0].toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_') + ")");
    }
}
