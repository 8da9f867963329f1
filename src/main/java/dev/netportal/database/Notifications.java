package dev.netportal.database;

import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import java.time.Duration;
import java.util.List;
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
 * PostgreSQL notifications, as the transactions that send them commit, in every application instance: triggers
 * call {@code pg_notify} and this listens on one connection for all channels, reconnecting with backoff when it
 * drops. Modules follow their channel to update the UI live (decision 003).
 */
@Component
public class Notifications implements DisposableBean {

    /** The channels triggers notify on. */
    static final List<String> CHANNELS = List.of("share_request", "firewall_sync");

    private static final Logger log = LoggerFactory.getLogger(Notifications.class);

    /** One notification: its channel and payload. */
    public record Notification(String channel, String payload) {
    }

    private final Sinks.Many<Notification> received = Sinks.many().multicast().directBestEffort();
    private final Disposable listening;

    Notifications(ConnectionFactory connections) {
        listening = Flux.usingWhen(Mono.from(connections.create()),
                        connection -> {
                            PostgresqlConnection postgres = postgres(connection);
                            return Flux.fromIterable(CHANNELS)
                                    .concatMap(channel -> postgres.createStatement("LISTEN " + channel).execute()
                                            .flatMap(result -> result.getRowsUpdated()))
                                    .thenMany(postgres.getNotifications());
                        },
                        Connection::close)
                .doOnSubscribe(subscription -> log.debug("listening for notifications on {}", CHANNELS))
                .map(notification -> new Notification(notification.getName(), notification.getParameter()))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(10))
                        .doBeforeRetry(signal -> log.warn("database notifications interrupted, reconnecting: {}",
                                signal.failure().toString())))
                .subscribe(received::tryEmitNext);
    }

    /** The payloads sent on a channel from now on; hot, no replay. */
    public Flux<String> on(String channel) {
        return received.asFlux().filter(notification -> notification.channel().equals(channel)).map(Notification::payload);
    }

    private static PostgresqlConnection postgres(Connection connection) {
        Object inner = connection;
        while (!(inner instanceof PostgresqlConnection) && inner instanceof Wrapped<?> wrapped) {
            inner = wrapped.unwrap();
        }
        if (inner instanceof PostgresqlConnection postgres) {
            return postgres;
        }
        throw new IllegalStateException("notifications need PostgreSQL's R2DBC driver, not " + connection.getClass());
    }

    @Override
    public void destroy() {
        listening.dispose();
    }
}
