package dev.netportal.sharing;

import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * Which share requests changed, as their transactions commit, in every application instance: the database sends
 * a notification on channel {@code share_request} from a trigger (delivered only on commit), and this listens
 * on one connection, reconnecting with backoff if it drops. The UI follows it to update badges and statuses live.
 */
@Component
public class ShareEvents implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ShareEvents.class);

    private final Sinks.Many<UUID> changes = Sinks.many().multicast().directBestEffort();
    private final Disposable listening;

    ShareEvents(ConnectionFactory connections) {
        listening = Flux.usingWhen(Mono.from(connections.create()),
                        connection -> {
                            PostgresqlConnection postgres = postgres(connection);
                            return postgres.createStatement("LISTEN share_request").execute()
                                    .flatMap(result -> result.getRowsUpdated()).thenMany(postgres.getNotifications());
                        },
                        Connection::close)
                .doOnSubscribe(subscription -> log.debug("listening for share request changes"))
                .map(notification -> UUID.fromString(notification.getParameter()))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(10))
                        .doBeforeRetry(signal -> log.warn("share request notifications interrupted, reconnecting: {}",
                                signal.failure().toString())))
                .subscribe(changes::tryEmitNext);
    }

    /** The ids of share requests as they are filed, decided or withdrawn; hot, no replay. */
    public Flux<UUID> changes() {
        return changes.asFlux();
    }

    private static PostgresqlConnection postgres(Connection connection) {
        Object inner = connection;
        while (!(inner instanceof PostgresqlConnection) && inner instanceof Wrapped<?> wrapped) {
            inner = wrapped.unwrap();
        }
        if (inner instanceof PostgresqlConnection postgres) {
            return postgres;
        }
        throw new IllegalStateException("share request notifications need PostgreSQL's R2DBC driver, not " + connection.getClass());
    }

    @Override
    public void destroy() {
        listening.dispose();
    }
}
