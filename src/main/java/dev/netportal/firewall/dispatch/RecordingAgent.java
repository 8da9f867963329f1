package dev.netportal.firewall.dispatch;

import dev.netportal.firewall.agent.BatchCheck;
import dev.netportal.firewall.agent.FirewallAgent;
import dev.netportal.firewall.protocol.Agent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * The agents of the local run, inside the portal: one record-mode {@link FirewallAgent} per firewall that has no
 * agent of its own. Each validates with {@code vtysh -C} and {@code nft -c} where they are installed (a missing
 * one is named in the answer), applies nothing, and keeps the files of every revision in a directory per firewall.
 * They start from nothing when the portal starts, as freshly installed firewalls would. Deliveries that arrive
 * together are checked together ({@link BatchCheck}): a change that touches many firewalls costs a few validator
 * runs, not two per firewall.
 */
public class RecordingAgent implements Agent {

    private record Waiting(Delivery delivery, MonoSink<Answer> answer) {
    }

    /**
     * The most revisions checked together: one vtysh run for all of them and one nft run per 32,000 characters of
     * rulesets (starting vtysh costs about 60 ms of CPU, each firewall's configuration a fraction of a millisecond).
     */
    static final int BATCH = 256;

    private final Path directory;
    private final Map<UUID, FirewallAgent> agents = new ConcurrentHashMap<>();
    private final Sinks.Many<Waiting> arrivals = Sinks.many().unicast().onBackpressureBuffer();

    public RecordingAgent(Path directory) {
        this.directory = directory;
        arrivals.asFlux()
                .bufferTimeout(BATCH, Duration.ofMillis(20))
                // batches wait here while two are being checked (bufferTimeout fails when nobody asks for its batch)
                .onBackpressureBuffer()
                // two batches at once: one in the validators while the next gathers its files
                .flatMap(batch -> Mono.fromRunnable(() -> check(batch)).subscribeOn(Schedulers.boundedElastic()), 2)
                .subscribe();
    }

    @Override
    public Mono<Answer> deliver(Delivery delivery) {
        return Mono.create(sink -> arrivals.emitNext(new Waiting(delivery, sink),
                Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1))));
    }

    private void check(List<Waiting> batch) {
        try {
            List<Answer> answers = BatchCheck.receive(batch.stream().map(waiting -> new BatchCheck.Item(agent(waiting.delivery()),
                    waiting.delivery())).toList(), directory.resolve("batches"));
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).answer().success(answers.get(i));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            batch.forEach(waiting -> waiting.answer().error(e));
        } catch (RuntimeException e) {
            batch.forEach(waiting -> waiting.answer().error(e));
        }
    }

    private FirewallAgent agent(Delivery delivery) {
        return agents.computeIfAbsent(delivery.firewall(), firewall -> new FirewallAgent(firewall,
                directory.resolve(firewall.toString()), FirewallAgent.Mode.RECORD, false, "frr-reload.py"));
    }
}
