package dev.netportal.firewall.protocol;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Ed25519 keys that sign revisions, in PEM: the portal holds a key pair ({@code PRIVATE KEY} and
 * {@code PUBLIC KEY} blocks, as {@code openssl genpkey -algorithm ed25519} and {@code openssl pkey -pubout} write
 * them), an agent holds the portal's public keys (one, or two while the key is being rotated). A key is named by
 * the first 16 hexadecimal digits of the SHA-256 of its public key.
 */
public final class SigningKeys {

    public static final String ALGORITHM = "Ed25519";
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private SigningKeys() {
    }

    /** A fresh key pair (the local run, and tests). */
    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java has no " + ALGORITHM, e);
        }
    }

    /** The key's name: the first 16 hexadecimal digits of the SHA-256 of its encoding. */
    public static String keyId(PublicKey key) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(key.getEncoded())).substring(0, 16);
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** The public keys in a PEM text (every {@code PUBLIC KEY} block); refuses a text without one. */
    public static List<PublicKey> publicKeys(String pem) {
        List<PublicKey> keys = new ArrayList<>();
        for (byte[] der : blocks(pem, "PUBLIC KEY")) {
            try {
                keys.add(KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der)));
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("a PUBLIC KEY block is not an " + ALGORITHM + " key: " + e.getMessage(), e);
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no PUBLIC KEY block (-----BEGIN PUBLIC KEY-----) found");
        }
        return keys;
    }

    /**
     * The key pair in a PEM text with one {@code PRIVATE KEY} and one {@code PUBLIC KEY} block; refuses a pair
     * whose halves do not belong together (a signature by the private key must verify with the public one).
     */
    public static KeyPair keyPair(String pem) {
        List<byte[]> privates = blocks(pem, "PRIVATE KEY");
        List<PublicKey> publics = publicKeys(pem);
        if (privates.size() != 1 || publics.size() != 1) {
            throw new IllegalArgumentException("expected one PRIVATE KEY and one PUBLIC KEY block, found "
                    + privates.size() + " and " + publics.size());
        }
        PrivateKey privateKey;
        try {
            privateKey = KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(privates.getFirst()));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the PRIVATE KEY block is not an " + ALGORITHM + " key: " + e.getMessage(), e);
        }
        KeyPair pair = new KeyPair(publics.getFirst(), privateKey);
        byte[] probe = "netportal key pair check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        if (!verify(pair.getPublic(), probe, sign(pair.getPrivate(), probe))) {
            throw new IllegalArgumentException("the PUBLIC KEY does not belong to the PRIVATE KEY");
        }
        return pair;
    }

    /** PEM text of a public key. */
    public static String pem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    /** PEM text of a private key (PKCS#8). */
    public static String pem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    static byte[] sign(PrivateKey key, byte[] message) {
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initSign(key);
            signature.update(message);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing failed: " + e.getMessage(), e);
        }
    }

    static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static List<byte[]> blocks(String pem, String type) {
        List<byte[]> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(pem);
        while (matcher.find()) {
            if (matcher.group(1).equals(type)) {
                blocks.add(Base64.getMimeDecoder().decode(matcher.group(2)));
            }
        }
        return blocks;
    }
}
