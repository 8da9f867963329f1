package dev.netportal.firewall.dispatch;

import dev.netportal.firewall.protocol.Agent;
import dev.netportal.firewall.protocol.SignedRevision;
import dev.netportal.firewall.protocol.SigningKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * Signs every revision the portal sends to an agent (decision 007) with the portal's Ed25519 key
 * ({@code netportal.revisions.signing-key-file}: a PEM file with the private and the public key; every API
 * instance has the same). Without one, a key pair is made at start: fine for the local run, where its public
 * key is written next to the built-in agents' files, useless for real agents after a restart.
 */
@Component
@Lazy   // made by the dispatcher that needs it: a process that delivers nothing makes no key
public class RevisionSigner {

    private static final Logger log = LoggerFactory.getLogger(RevisionSigner.class);

    private final KeyPair key;
    private final String keyId;
    private final Duration lifetime;
    private final Clock clock;

    RevisionSigner(@Value("${netportal.revisions.signing-key-file:}") String keyFile,
            @Value("${netportal.revisions.signature-lifetime:10m}") Duration lifetime,
            @Value("${netportal.dispatcher.record-directory:${java.io.tmpdir}/netportal-agents}") Path records) {
        this.lifetime = lifetime;
        this.clock = Clock.systemUTC();
        if (keyFile.isBlank()) {
            this.key = SigningKeys.generate();
            Path published = records.resolve("portal-public-key.pem");
            try {
                Files.createDirectories(records);
                Files.writeString(published, SigningKeys.pem(key.getPublic()));
            } catch (IOException e) {
                log.warn("could not write the portal's public key to {}: {}", published, e.getMessage());
            }
            log.warn("no netportal.revisions.signing-key-file: revisions are signed with a key made at start (key {}, "
                    + "public key in {}); agents must be given it again after every restart", SigningKeys.keyId(key.getPublic()), published);
        } else {
            try {
                this.key = SigningKeys.keyPair(Files.readString(Path.of(keyFile)));
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalStateException("netportal.revisions.signing-key-file " + keyFile + ": " + e.getMessage(), e);
            }
        }
        this.keyId = SigningKeys.keyId(key.getPublic());
    }

    /** The name of the key revisions are signed with. */
    public String keyId() {
        return keyId;
    }

    /** The public key, in PEM, as agents are given it. */
    public String publicKeyPem() {
        return SigningKeys.pem(key.getPublic());
    }

    /** The revision for the firewall's allocation, signed, valid for the configured lifetime from now. */
    public SignedRevision sign(Agent.Delivery delivery, String allocation) {
        return SignedRevision.sign(delivery, allocation, clock.instant().plus(lifetime), keyId, key.getPrivate());
    }
}
