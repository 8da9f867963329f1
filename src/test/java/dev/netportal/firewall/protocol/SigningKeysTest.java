package dev.netportal.firewall.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The portal's signing key as an operator makes it with openssl (README, decision 007): the key file with both
 * halves is read, a pair whose halves do not belong together is refused, and what it signs verifies with the
 * public key an agent is given, also after the trip as JSON, until it expires.
 */
class SigningKeysTest {

    @TempDir
    Path directory;

    private void openssl(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
    }

    @Test
    void aKeyMadeWithOpensslSignsWhatTheAgentVerifies() throws Exception {
        openssl("genpkey", "-algorithm", "ed25519", "-out", "portal-signing.pem");
        openssl("pkey", "-in", "portal-signing.pem", "-pubout", "-out", "portal-public.pem");
        String pair = Files.readString(directory.resolve("portal-signing.pem")) + Files.readString(directory.resolve("portal-public.pem"));
        KeyPair keys = SigningKeys.keyPair(pair);
        List<PublicKey> agentKeys = SigningKeys.publicKeys(Files.readString(directory.resolve("portal-public.pem")));
        assertThat(SigningKeys.keyId(agentKeys.getFirst())).isEqualTo(SigningKeys.keyId(keys.getPublic())).hasSize(16);

        UUID firewall = UUID.randomUUID();
        String allocation = Credentials.allocation("credential");
        SignedRevision signed = SignedRevision.sign(new Agent.Delivery(firewall, 4, "h", "frr text", "nft text"), allocation,
                Instant.parse("2030-01-01T00:00:00Z"), SigningKeys.keyId(keys.getPublic()), keys.getPrivate());
        RevisionCheck before = new RevisionCheck(firewall, allocation, agentKeys,
                Clock.fixed(Instant.parse("2029-12-31T23:00:00Z"), ZoneOffset.UTC));
        assertThat(before.refusal(signed)).isNull();
        StreamMessage travelled = StreamMessage.decode(StreamMessage.encode(new StreamMessage.Revision(signed, "d-1")));
        assertThat(travelled).isEqualTo(new StreamMessage.Revision(signed, "d-1"));
        RevisionCheck after = new RevisionCheck(firewall, allocation, agentKeys,
                Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC));
        assertThat(after.refusal(signed).reason()).contains("expired");
    }

    @Test
    void halvesThatDoNotBelongTogetherAreRefused() {
        KeyPair one = SigningKeys.generate();
        KeyPair other = SigningKeys.generate();
        assertThatThrownBy(() -> SigningKeys.keyPair(SigningKeys.pem(one.getPrivate()) + SigningKeys.pem(other.getPublic())))
                .hasMessageContaining("does not belong");
        assertThatThrownBy(() -> SigningKeys.keyPair(SigningKeys.pem(one.getPrivate()))).hasMessageContaining("PUBLIC KEY");
        assertThatThrownBy(() -> SigningKeys.publicKeys("not a key")).hasMessageContaining("no PUBLIC KEY");
        assertThat(SigningKeys.publicKeys(SigningKeys.pem(one.getPublic()) + SigningKeys.pem(other.getPublic())))
                .as("two keys while the portal's key is rotated").hasSize(2);
    }
}
