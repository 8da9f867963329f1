package dev.netportal.firewall.protocol;

import java.util.UUID;
import reactor.core.publisher.Mono;

/** Where a firewall's configuration is delivered (D3): answers what the agent did with it. */
public interface Agent {

    /** One configuration revision for one firewall, as the agent checks and applies it. */
    record Delivery(UUID firewall, int revision, String hash, String frr, String nftables) {
    }

    /** What the agent answered. */
    sealed interface Answer {
    }

    /** Validated and applied; {@code note} says what could not be validated, if anything. */
    record Applied(int revision, String note) implements Answer {
    }

    /** Refused by the validators, with their message. */
    record Rejected(int revision, String message) implements Answer {
    }

    /** The agent already runs a newer revision than the one sent. */
    record Newer(int appliedRevision) implements Answer {
    }

    /**
     * Refused before anyone looked at the text: unsigned, signed by a key the agent does not trust, for another
     * firewall or allocation, a text whose hash is not the signed one, or expired ({@link RevisionCheck}).
     */
    record Refused(int revision, String reason) implements Answer {
    }

    Mono<Answer> deliver(Delivery delivery);
}
