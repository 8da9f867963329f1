package dev.netportal.firewall.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A firewall's agent credential (256 random bits, shown once at allocation) and what both sides derive from it:
 * the portal keeps only its hash, and a firewall's allocation is named by a digest of that hash, which the agent
 * computes from the credential it holds. A signed revision names the allocation, so a revision for an earlier
 * allocation of the same machine is refused.
 */
public final class Credentials {

    private Credentials() {
    }

    /**
     * The stored form of a credential: its SHA-256. The credential is 256 random bits, so a slow password hash
     * would add cost (on the request's thread) and no protection.
     */
    public static String hash(String credential) {
        return "sha256:" + sha256(credential);
    }

    /** The allocation a credential belongs to, from the credential's stored hash (no secret: a digest of a digest). */
    public static String allocationOfHash(String credentialHash) {
        return sha256("netportal allocation\n" + credentialHash).substring(0, 32);
    }

    /** The allocation a credential belongs to (the agent's side). */
    public static String allocation(String credential) {
        return allocationOfHash(hash(credential));
    }

    /** The SHA-256 of the text's UTF-8 bytes, in hexadecimal. */
    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
