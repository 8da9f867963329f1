package dev.netportal.api;

import dev.netportal.common.Hashes;
import dev.netportal.common.Refusal;
import dev.netportal.identity.Actor;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.result.method.HandlerMethodArgumentResolver;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Idempotency keys on writes (api.md): the first successful answer to a key is stored in the same transaction as
 * the write, and a replay of the key by the same caller answers it again without doing the write twice.
 *
 * <p>The key's row is inserted first; a concurrent request with the same key waits on that insert until the first
 * commits (and then replays its answer) or rolls back (and then does the write itself). A refused or failed write
 * leaves no row, since it changed nothing: sending it again runs it again. Reusing a key for another method, path
 * or body is refused. Keys are kept for 24 hours, and at most {@code netportal.idempotency.keys-per-caller} of
 * each caller (the newest; trimmed every {@code netportal.idempotency.trim-every}). An answer larger than
 * {@link #MAX_ANSWER_BYTES} is not stored: its replay answers the status and location without a body.
 */
@Component
class Idempotency implements HandlerMethodArgumentResolver {

    static final String HEADER = "Idempotency-Key";
    /** The largest answer kept for replays (the schema checks it too). */
    static final int MAX_ANSWER_BYTES = 65_536;

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final JsonMapper json;
    private final int keysPerCaller;

    Idempotency(DatabaseClient db, TransactionalOperator tx, JsonMapper json,
            @Value("${netportal.idempotency.keys-per-caller:10000}") int keysPerCaller) {
        this.db = db;
        this.tx = tx;
        this.json = json;
        this.keysPerCaller = keysPerCaller;
    }

    /**
     * Runs {@code write} once per key: with no key it simply runs; with a key it runs and remembers the answer, or
     * answers what the first request with this key got.
     */
    <T> Mono<ResponseEntity<T>> once(Actor actor, IdempotentWrite request, Object body, Class<T> type,
            Supplier<Mono<ResponseEntity<T>>> write) {
        return once(actor, request, body, type, write, UnaryOperator.identity());
    }

    /**
     * As {@link #once(Actor, IdempotentWrite, Object, Class, Supplier)}, but what is kept for replays is
     * {@code kept(answer)}: secrets in the first answer (an agent credential) are never stored, nor replayed.
     */
    <T> Mono<ResponseEntity<T>> once(Actor actor, IdempotentWrite request, Object body, Class<T> type,
            Supplier<Mono<ResponseEntity<T>>> write, UnaryOperator<T> kept) {
        if (request.key().isEmpty()) {
            return Mono.defer(write);
        }
        String key = request.key().get();
        if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return Mono.error(Refusal.IDEMPOTENCY_KEY.with(HEADER));
        }
        String fingerprint = request.method() + " " + request.path() + " " + Hashes.sha256(json.writeValueAsString(body == null ? "" : body));
        Mono<ResponseEntity<T>> work = db.sql("""
                        INSERT INTO idempotent_request (actor_subject, key, fingerprint) VALUES (:subject, :key, :fingerprint)
                        ON CONFLICT DO NOTHING""")
                .bind("subject", actor.subject()).bind("key", key).bind("fingerprint", fingerprint)
                .fetch().rowsUpdated()
                .flatMap(inserted -> inserted == 1
                        ? Mono.defer(write).flatMap(answer -> remember(actor, key, answer, kept))
                        : replay(actor, key, fingerprint, type));
        return tx.transactional(work);
    }

    private <T> Mono<ResponseEntity<T>> remember(Actor actor, String key, ResponseEntity<T> answer, UnaryOperator<T> kept) {
        return db.sql("""
                        UPDATE idempotent_request SET status = :status, location = :location, body = :body
                        WHERE actor_subject = :subject AND key = :key""")
                .bind("status", answer.getStatusCode().value())
                .bind("location", Parameter.fromOrEmpty(
                        answer.getHeaders().getLocation() == null ? null : answer.getHeaders().getLocation().toString(), String.class))
                .bind("body", Parameter.fromOrEmpty(storedBody(answer.getBody(), kept), String.class))
                .bind("subject", actor.subject()).bind("key", key)
                .then().thenReturn(answer);
    }

    private <T> String storedBody(T body, UnaryOperator<T> kept) {
        if (body == null) {
            return null;
        }
        String text = json.writeValueAsString(kept.apply(body));
        return text.getBytes(StandardCharsets.UTF_8).length <= MAX_ANSWER_BYTES ? text : null;
    }

    private record Stored(String fingerprint, int status, String location, String body) {
    }

    private <T> Mono<ResponseEntity<T>> replay(Actor actor, String key, String fingerprint, Class<T> type) {
        return db.sql("SELECT fingerprint, status, location, body FROM idempotent_request WHERE actor_subject = :subject AND key = :key")
                .bind("subject", actor.subject()).bind("key", key)
                .map((row, meta) -> new Stored(row.get("fingerprint", String.class), row.get("status", Integer.class),
                        row.get("location", String.class), row.get("body", String.class)))
                .one()
                .flatMap(stored -> {
                    if (!stored.fingerprint().equals(fingerprint)) {
                        return Mono.error(Refusal.IDEMPOTENCY_KEY_REUSED.with(HEADER, key));
                    }
                    ResponseEntity.BodyBuilder answer = ResponseEntity.status(HttpStatus.valueOf(stored.status()))
                            .header("Idempotent-Replayed", "true");
                    if (stored.location() != null) {
                        answer.location(URI.create(stored.location()));
                    }
                    return Mono.just(stored.body() == null ? answer.<T>build() : answer.body(json.readValue(stored.body(), type)));
                });
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    void forgetOldKeys() {
        db.sql("DELETE FROM idempotent_request WHERE created_at < now() - interval '24 hours'").then().block();
    }

    /** Keeps each caller's newest keys only (V2): a loop with fresh keys cannot fill the table. */
    @Scheduled(fixedDelayString = "${netportal.idempotency.trim-every:PT1M}", initialDelayString = "${netportal.idempotency.trim-every:PT1M}")
    void trimKeysPerCaller() {
        trim().block();
    }

    /** Deletes the keys of each caller beyond its newest {@code keys-per-caller}; answers how many. */
    Mono<Long> trim() {
        return db.sql("""
                        DELETE FROM idempotent_request r USING (
                            SELECT actor_subject, key FROM (
                                SELECT actor_subject, key,
                                       row_number() OVER (PARTITION BY actor_subject ORDER BY created_at DESC, key) AS n
                                FROM idempotent_request
                                WHERE actor_subject IN (SELECT actor_subject FROM idempotent_request
                                                        GROUP BY actor_subject HAVING count(*) > :max)) ranked
                            WHERE n > :max) extra
                        WHERE r.actor_subject = extra.actor_subject AND r.key = extra.key""")
                .bind("max", keysPerCaller)
                .fetch().rowsUpdated();
    }

    // controllers take the request's key as an IdempotentWrite parameter

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == IdempotentWrite.class;
    }

    @Override
    public Mono<Object> resolveArgument(MethodParameter parameter, BindingContext context, ServerWebExchange exchange) {
        var request = exchange.getRequest();
        return Mono.just(new IdempotentWrite(java.util.Optional.ofNullable(request.getHeaders().getFirst(HEADER)),
                request.getMethod().name(), request.getPath().pathWithinApplication().value()));
    }
}
