package dev.netportal.firewall.protocol;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * A revision as it travels to the agent: the texts and, signed by the portal, what they are for. The signature
 * covers the firewall, its allocation, the revision number, the revision's hash, the SHA-256 of each text and an
 * expiry, so no one on the way can change a text, send it to another firewall or allocation, raise the revision
 * number, or keep it for later than the expiry.
 *
 * @param allocation     the firewall's allocation ({@link Credentials#allocation})
 * @param frrSha256      the SHA-256 of {@code frr} as signed
 * @param nftablesSha256 the SHA-256 of {@code nftables} as signed
 * @param expiresAt      the end of the signature's validity, in seconds since the epoch
 * @param keyId          the signing key ({@link SigningKeys#keyId})
 * @param signature      base64 of the Ed25519 signature of {@link #signedText()}
 */
public record SignedRevision(UUID firewall, String allocation, int revision, String hash, String frr, String nftables,
                             String frrSha256, String nftablesSha256, long expiresAt, String keyId, String signature) {

    /** Signs a revision for the firewall's allocation with the portal's key. */
    public static SignedRevision sign(Agent.Delivery delivery, String allocation, Instant expiresAt, String keyId, PrivateKey key) {
        SignedRevision unsigned = new SignedRevision(delivery.firewall(), allocation, delivery.revision(), delivery.hash(),
                delivery.frr(), delivery.nftables(), Credentials.sha256(delivery.frr()), Credentials.sha256(delivery.nftables()),
                expiresAt.getEpochSecond(), keyId, null);
        byte[] signature = SigningKeys.sign(key, unsigned.signedText().getBytes(StandardCharsets.UTF_8));
        return new SignedRevision(unsigned.firewall(), allocation, unsigned.revision(), unsigned.hash(), unsigned.frr(),
                unsigned.nftables(), unsigned.frrSha256(), unsigned.nftablesSha256(), unsigned.expiresAt(), keyId,
                Base64.getEncoder().encodeToString(signature));
    }

    /** Exactly what is signed: one field per line, the texts by their hashes. */
    public String signedText() {
        return "netportal revision v1\n"
                + "firewall " + firewall + "\n"
                + "allocation " + allocation + "\n"
                + "revision " + revision + "\n"
                + "hash " + hash + "\n"
                + "frr sha256 " + frrSha256 + "\n"
                + "nftables sha256 " + nftablesSha256 + "\n"
                + "expires " + expiresAt + "\n";
    }

    /** What the agent checks and applies once the signature has been checked. */
    public Agent.Delivery delivery() {
        return new Agent.Delivery(firewall, revision, hash, frr, nftables);
    }

    public Instant expires() {
        return Instant.ofEpochSecond(expiresAt);
    }
}
