package dev.netportal.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.firewall.protocol.Agent;
import dev.netportal.firewall.protocol.Credentials;
import dev.netportal.firewall.protocol.RevisionCheck;
import dev.netportal.firewall.protocol.SignedRevision;
import dev.netportal.firewall.protocol.SigningKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What signing a revision costs the portal (Ed25519, once per delivery) and what checking it costs the agent
 * (the texts' SHA-256 and the signature), for a firewall with two shared networks. Not part of the test run; run it
 * with {@code ./mvnw test -Dtest=SigningBenchmark -Dsurefire.failIfNoSpecifiedTests=false} and read the "BENCH" lines.
 */
class SigningBenchmark {

    @Test
    void measure() throws Exception {
        KeyPair keys = SigningKeys.generate();
        String frr = Files.readString(Path.of("src/test/resources/render/two-shared.frr"));
        String nftables = Files.readString(Path.of("src/test/resources/render/two-shared.nft"));
        UUID firewall = UUID.randomUUID();
        String allocation = Credentials.allocation("credential");
        String keyId = SigningKeys.keyId(keys.getPublic());
        RevisionCheck check = new RevisionCheck(firewall, allocation, List.of(keys.getPublic()), Clock.systemUTC());
        int n = 20_000;
        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            SignedRevision signed = null;
            for (int i = 0; i < n; i++) {
                signed = SignedRevision.sign(new Agent.Delivery(firewall, i + 1, "hash", frr, nftables), allocation,
                        Instant.now().plusSeconds(600), keyId, keys.getPrivate());
            }
            long signedAt = System.nanoTime();
            for (int i = 0; i < n; i++) {
                assertThat(check.refusal(signed)).isNull();
            }
            long checkedAt = System.nanoTime();
            System.out.printf("BENCH texts=%d+%d chars sign_us=%.0f check_us=%.0f%n", frr.length(), nftables.length(),
                    (signedAt - start) / 1e3 / n, (checkedAt - signedAt) / 1e3 / n);
        }
    }
}
