package dev.netportal.database;

import io.r2dbc.spi.R2dbcTransientException;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * A transaction that the database broke up because of another one (a deadlock it detected, a serialization
 * failure) is run again from the start: it changed nothing, and the second run sees the other one's outcome. Only
 * for work that is safe to run again whole, such as one transaction.
 */
public final class Retries {

    private static final int ATTEMPTS = 3;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(20);

    private Retries() {
    }

    /** The work, run again (up to three times, with jittered backoff) when the database broke it up. */
    public static <T> Mono<T> whenBrokenUp(Mono<T> transaction) {
        return transaction.retryWhen(Retry.backoff(ATTEMPTS, FIRST_BACKOFF).jitter(0.5).filter(Retries::brokenUp)
                .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
    }

    /** Whether the failure is the database breaking the transaction up (a transient failure anywhere in its causes). */
    public static boolean brokenUp(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof R2dbcTransientException || cause instanceof org.springframework.dao.TransientDataAccessException) {
                return true;
            }
        }
        return false;
    }
}
