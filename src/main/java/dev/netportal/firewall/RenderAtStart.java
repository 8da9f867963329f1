package dev.netportal.firewall;

import dev.netportal.firewall.internal.ConfigRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * At start, every allocated firewall is rendered again and gets a new revision where its text changed since its
 * newest one (a migration gave its networks' machines new addresses, or the renderer changed): what a firewall is
 * to run is always what its networks render now (R4). Unchanged firewalls get nothing new; several instances
 * starting at once queue on the firewalls' rows (a hundred per transaction, locked in id order). It runs in the
 * background, so a fleet of firewalls does not delay the start; a change meanwhile renders its firewall as always,
 * and the check then finds it current.
 */
@Component
class RenderAtStart implements ApplicationRunner {

    static final String CAUSE = "rendered again at start (its inputs or the renderer changed)";

    private static final Logger log = LoggerFactory.getLogger(RenderAtStart.class);

    private final ConfigRepository repository;
    private final FirewallConfigs configs;
    private final TransactionalOperator tx;

    RenderAtStart(ConfigRepository repository, FirewallConfigs configs, TransactionalOperator tx) {
        this.repository = repository;
        this.configs = configs;
        this.tx = tx;
    }

    /** Starts the check in the background: the portal serves while it runs, and it logs when it is done. */
    @Override
    public void run(ApplicationArguments args) {
        renderAll().subscribeOn(Schedulers.boundedElastic()).subscribe(
                checked -> log.info("Firewall configurations checked at start: {}", checked),
                failure -> log.warn("Firewall configurations could not all be checked at start", failure));
    }

    /** How many firewalls one transaction renders again (their rows stay locked until it commits). */
    static final int PER_TRANSACTION = 100;

    /** Renders every allocated firewall again, {@link #PER_TRANSACTION} in each transaction; answers how many it checked. */
    Mono<Long> renderAll() {
        return repository.allocatedFirewalls().collectList()
                .flatMapMany(firewalls -> Flux.range(0, (firewalls.size() + PER_TRANSACTION - 1) / PER_TRANSACTION)
                        .map(i -> firewalls.subList(i * PER_TRANSACTION, Math.min(firewalls.size(), (i + 1) * PER_TRANSACTION))))
                .concatMap(some -> tx.transactional(configs.updateAll(some, CAUSE, "Netportal")).thenReturn((long) some.size()))
                .reduce(0L, Long::sum);
    }
}
