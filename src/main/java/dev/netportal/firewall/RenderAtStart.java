package dev.netportal.firewall;

import dev.netportal.firewall.internal.ConfigRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;

/**
 * At start, every allocated firewall is rendered again and gets a new revision where its text changed since its
 * newest one (a migration gave its networks' machines new addresses, or the renderer changed): what a firewall is
 * to run is always what its networks render now (R4). Unchanged firewalls get nothing new; several instances
 * starting at once queue on each firewall's row.
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

    @Override
    public void run(ApplicationArguments args) {
        Long checked = repository.allocatedFirewalls().collectList().flatMapMany(Flux::fromIterable)
                .concatMap(firewall -> tx.transactional(configs.update(new FirewallId(firewall), CAUSE, "Netportal")))
                .count().block();
        log.info("Firewall configurations checked at start: {}", checked);
    }
}
