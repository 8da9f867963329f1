package dev.netportal.firewall;

import dev.netportal.common.Refusal;
import dev.netportal.ipam.Address;
import dev.netportal.ipam.Prefix;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * The portal's side of an agent's hello (agent protocol, decision 004): the firewall's credential checked against
 * its stored hash, the agent's URL checked before the dispatcher ever pushes to it.
 */
@Service
public class AgentHellos {

    private final FirewallConfigs configs;
    /** Where agents may listen (empty: anywhere); the dispatcher pushes only there. */
    private final List<Prefix> agentNetworks;

    AgentHellos(FirewallConfigs configs, @Value("${netportal.agent-networks:}") String agentNetworks) {
        this.configs = configs;
        this.agentNetworks = Arrays.stream(agentNetworks.split(",")).map(String::strip).filter(text -> !text.isEmpty())
                .map(Prefix::parse).toList();
    }

    /**
     * An agent's hello (agent protocol): with the firewall's credential it tells where it listens and which
     * revision it runs, and learns the token that the portal's pushes carry. Empty when the credential is wrong
     * or the firewall is not allocated, so a caller cannot tell which.
     */
    public Mono<AgentWelcome> hello(FirewallId firewall, String credential, String agentUrl, int appliedRevision) {
        URI url = agentUrl(agentUrl, agentNetworks);
        return credential == null || credential.isBlank() ? Mono.empty()
                : configs.hello(firewall, hash(credential), url.toString(), appliedRevision);
    }

    /**
     * An agent's URL: absolute http or https, a host, nothing else (no user info, path, query or fragment: the
     * dispatcher appends {@code /v1/config} and nothing may steer it elsewhere), at most 500 characters; with
     * {@code netportal.agent-networks} set, an IP address inside one of those networks.
     */
    static URI agentUrl(String text, List<Prefix> agentNetworks) {
        URI url;
        try {
            url = text == null ? null : new URI(text.strip());
        } catch (URISyntaxException e) {
            url = null;
        }
        if (url == null || text.length() > 500 || url.getHost() == null || url.getUserInfo() != null
                || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
                || !(url.getRawPath() == null || url.getRawPath().isEmpty() || url.getRawPath().equals("/"))
                || url.getRawQuery() != null || url.getRawFragment() != null) {
            throw Refusal.AGENT_URL.with((text == null ? "(missing)" : "'" + text + "'"));
        }
        if (!agentNetworks.isEmpty() && !inAgentNetworks(url.getHost(), agentNetworks)) {
            throw Refusal.AGENT_URL_NETWORK.with(text, agentNetworks.stream().map(Prefix::toString).collect(Collectors.joining(", ")));
        }
        return url;
    }

    private static boolean inAgentNetworks(String host, List<Prefix> agentNetworks) {
        try {
            Address address = Address.parse(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
            return agentNetworks.stream().anyMatch(network -> network.contains(address));
        } catch (RuntimeException notAnAddress) {
            return false;
        }
    }

    /**
     * The stored form of a credential: its SHA-256. The credential is 256 random bits, so a slow password hash
     * would add cost (on the request's thread) and no protection.
     */
    static String hash(String credential) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(credential.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
