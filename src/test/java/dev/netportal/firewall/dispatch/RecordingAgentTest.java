package dev.netportal.firewall.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.firewall.protocol.Agent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

/** The built-in agents under a burst: every delivery answered, each firewall's files kept. */
class RecordingAgentTest {

    @TempDir
    Path directory;

    @Test
    void aBurstOfDeliveriesIsAnsweredInFull() throws Exception {
        String frr = Files.readString(Path.of("src/test/resources/render/two-shared.frr"));
        String nftables = Files.readString(Path.of("src/test/resources/render/two-shared.nft"));
        RecordingAgent agent = new RecordingAgent(directory);
        List<Agent.Delivery> deliveries = Flux.range(0, 300)
                .map(i -> new Agent.Delivery(UUID.randomUUID(), 1, "h", frr, i == 150 ? nftables.replace("policy drop;", "policy maybe;") : nftables))
                .collectList().block();

        // all at once, more than a batch and more than the checks running at once
        List<Agent.Answer> answers = Flux.fromIterable(deliveries).flatMapSequential(agent::deliver, 300)
                .collectList().block(Duration.ofSeconds(60));

        assertThat(answers).hasSize(300);
        assertThat(answers.get(150)).isInstanceOf(Agent.Rejected.class);
        assertThat(answers.stream().filter(Agent.Applied.class::isInstance)).hasSize(299);
        assertThat(directory.resolve(deliveries.get(299).firewall() + "/1.nft")).exists();
    }
}
