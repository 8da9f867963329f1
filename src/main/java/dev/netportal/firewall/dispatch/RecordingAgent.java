package dev.netportal.firewall.dispatch;

import dev.netportal.agent.FirewallAgent;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The agents of the local run, inside the portal: one record-mode {@link FirewallAgent} per firewall that has no
 * agent of its own. Each validates with {@code vtysh -C} and {@code nft -c} where they are installed (a missing
 * one is named in the answer), applies nothing, and keeps the files of every revision in a directory per firewall.
 * They start from nothing when the portal starts, as freshly installed firewalls would.
 */
public class RecordingAgent implements Agent {

    private final Path directory;
    private final Map<UUID, FirewallAgent> agents = new ConcurrentHashMap<>();

    public RecordingAgent(Path directory) {
        this.directory = directory;
    }

    @Override
    public Mono<Answer> deliver(Delivery delivery) {
        FirewallAgent agent = agents.computeIfAbsent(delivery.firewall(), firewall -> new FirewallAgent(firewall,
                directory.resolve(firewall.toString()), FirewallAgent.Mode.RECORD, false, "frr-reload.py"));
        return Mono.fromCallable(() -> agent.receive(delivery)).subscribeOn(Schedulers.boundedElastic());
    }
}
