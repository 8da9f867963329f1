package dev.netportal.firewall.protocol;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The agent's check of a signed revision before anything looks at its text: it must be for this firewall and
 * this allocation, signed by a key the agent trusts (the portal's public keys, given at install), its texts
 * must be the signed ones, and it must not have expired. What fails is refused with a reason the portal records;
 * a revision older than the one running is the agent's own business ({@link Agent.Newer}).
 */
public final class RevisionCheck {

    private final UUID firewall;
    private final String allocation;
    private final Map<String, PublicKey> trusted;
    private final Clock clock;

    public RevisionCheck(UUID firewall, String allocation, List<PublicKey> trusted, Clock clock) {
        this.firewall = firewall;
        this.allocation = allocation;
        this.trusted = new LinkedHashMap<>();
        trusted.forEach(key -> this.trusted.put(SigningKeys.keyId(key), key));
        this.clock = clock;
    }

    /** The names of the keys this agent trusts. */
    public List<String> trustedKeys() {
        return List.copyOf(trusted.keySet());
    }

    /** Null when the revision may be looked at; otherwise the refusal, with its reason. */
    public Agent.Refused refusal(SignedRevision revision) {
        int number = revision.revision();
        if (revision.signature() == null || revision.signature().isBlank() || revision.keyId() == null) {
            return new Agent.Refused(number, "revision " + number + " is not signed");
        }
        if (revision.hash() == null || !revision.hash().matches("[\\x21-\\x7e]{1,128}")
                || revision.allocation() == null || !revision.allocation().matches("[0-9a-f]{32}")) {
            return new Agent.Refused(number, "revision " + number + " has a malformed hash or allocation");
        }
        if (!firewall.equals(revision.firewall())) {
            return new Agent.Refused(number, "revision " + number + " is for firewall " + revision.firewall()
                    + ", and this agent serves firewall " + firewall);
        }
        if (!allocation.equals(revision.allocation())) {
            return new Agent.Refused(number, "revision " + number + " is for another allocation of this firewall (a "
                    + "firewall freed and allocated again has a new credential)");
        }
        PublicKey key = trusted.get(revision.keyId());
        if (key == null) {
            return new Agent.Refused(number, "revision " + number + " is signed with key " + revision.keyId()
                    + ", which this agent does not trust (it trusts " + String.join(", ", trusted.keySet()) + ")");
        }
        if (!Credentials.sha256(revision.frr()).equals(revision.frrSha256())
                || !Credentials.sha256(revision.nftables()).equals(revision.nftablesSha256())) {
            return new Agent.Refused(number, "the text of revision " + number + " is not the one signed (its SHA-256 "
                    + "does not match): changed on the way");
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(revision.signature());
        } catch (IllegalArgumentException e) {
            signature = new byte[0];
        }
        if (!SigningKeys.verify(key, revision.signedText().getBytes(StandardCharsets.UTF_8), signature)) {
            return new Agent.Refused(number, "the signature of revision " + number + " does not verify with key "
                    + revision.keyId() + ": its number, hash or expiry was changed on the way");
        }
        Instant now = clock.instant();
        if (!now.isBefore(revision.expires())) {
            return new Agent.Refused(number, "revision " + number + " expired at " + revision.expires()
                    + " (this agent's clock says " + now + "): an old message played again, or the clocks disagree");
        }
        return null;
    }
}
