package dev.netportal.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r2dbc.spi.R2dbcRollbackException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.UncategorizedR2dbcException;
import reactor.core.publisher.Mono;

/** A transaction the database broke up runs again; any other failure, and the fourth break-up, stay failures. */
class RetriesTest {

    @Test
    void aTransactionBrokenUpByTheDatabaseRunsAgainFromTheStart() {
        AtomicInteger runs = new AtomicInteger();
        Mono<String> transaction = Mono.defer(() -> runs.incrementAndGet() < 3
                ? Mono.error(new UncategorizedR2dbcException("update", "UPDATE network", new R2dbcRollbackException("deadlock detected")))
                : Mono.just("done"));

        assertThat(Retries.whenBrokenUp(transaction).block()).isEqualTo("done");
        assertThat(runs).hasValue(3);
    }

    @Test
    void otherFailuresAndTheFourthBreakUpAreNotHidden() {
        AtomicInteger runs = new AtomicInteger();
        Mono<String> refused = Mono.defer(() -> {
            runs.incrementAndGet();
            return Mono.error(new IllegalStateException("a rule"));
        });
        assertThatThrownBy(() -> Retries.whenBrokenUp(refused).block()).hasMessage("a rule");
        assertThat(runs).hasValue(1);

        AtomicInteger broken = new AtomicInteger();
        Mono<String> always = Mono.defer(() -> {
            broken.incrementAndGet();
            return Mono.error(new R2dbcTransientResourceException("serialization failure"));
        });
        assertThatThrownBy(() -> Retries.whenBrokenUp(always).block()).hasMessageContaining("serialization failure");
        assertThat(broken).as("the first run and three more").hasValue(4);
    }
}
