package dev.netportal.firewall.dispatch;

import dev.netportal.database.Notifications;
import dev.netportal.firewall.protocol.Agent;
import dev.netportal.firewall.protocol.Credentials;
import dev.netportal.firewall.protocol.SignedRevision;
import dev.netportal.firewall.protocol.StreamMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The agents' streams held by this instance (decision 007). An agent authenticates with its firewall's
 * credential ({@link #open}), says what it runs, and from then on this instance's {@link Dispatcher} delivers the
 * firewall's revisions on the stream and reads the answers from it. A stream is cut as soon as its credential
 * stops being the firewall's (the firewall was freed, or allocated again): every change of a sync row is
 * announced by the database, and all streams are looked at again every half minute besides.
 */
@Component
public class AgentStreams implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(AgentStreams.class);
    /** Longest text kept from an agent's answer. */
    static final int MAX_MESSAGE = 2000;
    /** The close code of a stream whose credential is no longer the firewall's. */
    public static final int CREDENTIAL_REVOKED = 4401;
    /** The close code of a stream replaced by a newer one of the same firewall. */
    public static final int REPLACED = 4409;
    /** The close code of a stream whose agent did not say what it runs in time. */
    public static final int NO_STATUS = 4408;

    /** The close code of a stream whose agent fell silent. */
    public static final int SILENT = 4410;

    private final DatabaseClient db;
    private final String instance = UUID.randomUUID().toString();
    private final Map<UUID, Stream> byFirewall = new ConcurrentHashMap<>();
    private final Duration ping;
    /** How long a new stream may stay without the agent's status. */
    private final Duration statusWithin;
    /** How long an agent may stay silent (it sends its status every 20 s) before its stream is cut as dead. */
    private final Duration silence;
    private final Disposable watching;
    /** Firewalls whose credential must be checked again (their sync row changed); drained a few times a second. */
    private final java.util.Set<UUID> toCheck = ConcurrentHashMap.newKeySet();
    private final Disposable listening;

    AgentStreams(DatabaseClient db, Notifications notifications,
            @Value("${netportal.agent-streams.ping:20s}") Duration ping,
            @Value("${netportal.agent-streams.status-within:30s}") Duration statusWithin,
            @Value("${netportal.agent-streams.silence:90s}") Duration silence) {
        this.db = db;
        this.ping = ping;
        this.statusWithin = statusWithin;
        this.silence = silence;
        // notifications only mark firewalls; the checks drain the marks, so a burst of notifications (or a slow
        // database) coalesces instead of piling up, and nothing here can stop the checking for good
        this.listening = notifications.on("firewall_sync")
                .subscribe(id -> {
                    try {
                        UUID firewall = UUID.fromString(id);
                        if (byFirewall.containsKey(firewall)) {
                            toCheck.add(firewall);
                        }
                    } catch (IllegalArgumentException ignored) {
                        // not a firewall id
                    }
                });
        this.watching = Flux.interval(Duration.ofMillis(200))
                .onBackpressureDrop()
                .concatMap(tick -> {
                    if (tick % 5 == 0) {
                        cutSilent();
                    }
                    if (tick % 150 == 0) {      // every 30 s: every stream, in case a notification was lost
                        toCheck.addAll(byFirewall.keySet());
                    }
                    if (toCheck.isEmpty()) {
                        return Mono.empty();
                    }
                    List<UUID> ids = List.copyOf(toCheck);
                    toCheck.removeAll(ids);
                    return revoke(ids).onErrorResume(error -> {
                        log.warn("could not check the agents' credentials, trying again: {}", error.toString());
                        toCheck.addAll(ids);
                        return Mono.empty();
                    });
                }, 1)
                .doOnError(error -> log.warn("checking the agents' streams failed, starting again: {}", error.toString()))
                .retry()
                .subscribe();
    }

    /** Cuts the streams whose agents fell silent (a hung agent, or a connection that died without closing). */
    private void cutSilent() {
        long now = System.nanoTime();
        byFirewall.values().forEach(stream -> {
            if (now - stream.heardAt > silence.toNanos()) {
                stream.cut(SILENT, "nothing from the agent for " + silence.toSeconds() + " s");
            }
        });
    }

    /** This instance, as the sync rows of the firewalls whose streams it holds name it. */
    String instance() {
        return instance;
    }

    /** How many streams this instance holds. */
    public int size() {
        return byFirewall.size();
    }

    /**
     * A stream for the firewall's agent, if the credential is the firewall's and the firewall is allocated; empty
     * otherwise (an unknown firewall and a wrong credential look the same).
     */
    public Mono<Stream> open(UUID firewall, String credential) {
        if (credential == null || credential.isBlank() || credential.length() > 200) {
            return Mono.empty();
        }
        String hash = Credentials.hash(credential);
        return db.sql("""
                        SELECT m.id FROM machine m JOIN firewall_sync s ON s.firewall_id = m.id
                        WHERE m.id = :id AND m.role = 'FIREWALL' AND m.state = 'ALLOCATED' AND m.agent_secret = :secret""")
                .bind("id", firewall).bind("secret", hash)
                .map((row, meta) -> new Stream(firewall, hash))
                .one();
    }

    /** Sends the signed revision on the firewall's stream and answers what the agent said to this sending of it. */
    Mono<Agent.Answer> deliver(UUID streamId, SignedRevision revision) {
        Stream stream = byFirewall.get(revision.firewall());
        if (stream == null || !stream.id.equals(streamId)) {
            // the row names a stream this instance no longer holds (it closed while it was being registered):
            // the firewall waits for its agent to connect again instead of being tried here again and again
            return left(revision.firewall(), streamId).then(Mono.error(new IllegalStateException("the agent's stream closed")));
        }
        return stream.deliver(revision);
    }

    /** Records that the stream left: the firewall is no longer served by it (only if the row still names it). */
    private Mono<Void> left(UUID firewall, UUID stream) {
        return db.sql("""
                        UPDATE firewall_sync SET agent_instance = NULL, agent_stream = NULL, agent_seen_at = now()
                        WHERE firewall_id = :id AND agent_stream = :stream""")
                .bind("id", firewall).bind("stream", stream).then()
                .onErrorResume(error -> {
                    log.warn("firewall {}: could not record that its agent left: {}", firewall, error.toString());
                    return Mono.empty();
                });
    }

    /** Cuts the streams whose credential is no longer their firewall's. */
    private Mono<Void> revoke(List<UUID> firewalls) {
        List<UUID> ids = List.copyOf(new java.util.LinkedHashSet<>(firewalls));
        return db.sql("SELECT id, agent_secret FROM machine WHERE id = ANY(:ids) AND role = 'FIREWALL' AND state = 'ALLOCATED'")
                .bind("ids", ids.toArray(UUID[]::new))
                .map((row, meta) -> Map.entry(row.get("id", UUID.class), String.valueOf(row.get("agent_secret", String.class))))
                .all().collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .doOnNext(secrets -> ids.forEach(id -> {
                    Stream stream = byFirewall.get(id);
                    if (stream != null && !stream.credentialHash.equals(secrets.get(id))) {
                        stream.cut(CREDENTIAL_REVOKED, "the firewall's credential is no longer valid (the firewall was freed)");
                    }
                }))
                .then();
    }

    /** Cuts every stream (the instance stops: its agents connect to another at once, not at a timeout). */
    public void cutAll() {
        byFirewall.values().forEach(stream -> stream.cut(1001, "the portal instance is stopping"));
    }

    @Override
    public void destroy() {
        listening.dispose();
        watching.dispose();
        cutAll();
    }

    /**
     * One agent's stream, whatever carries it: the API's WebSocket handler sends {@link #outbound()}, feeds every
     * message it receives to {@link #inbound}, closes the connection with the status {@link #cut()} gives, and
     * calls {@link #closed()} when the connection is gone.
     */
    public final class Stream {

        private final UUID id = UUID.randomUUID();
        private final UUID firewall;
        private final String credentialHash;
        private final Sinks.Many<String> outbound = Sinks.many().unicast().onBackpressureBuffer();
        private final Sinks.One<Map.Entry<Integer, String>> cut = Sinks.one();
        private final AtomicReference<Pending> pending = new AtomicReference<>();
        private volatile boolean registered;
        private volatile boolean ended;
        private volatile long seenAt;
        private volatile long heardAt = System.nanoTime();

        private Stream(UUID firewall, String credentialHash) {
            this.firewall = firewall;
            this.credentialHash = credentialHash;
        }

        public UUID firewall() {
            return firewall;
        }

        /** What to send to the agent: revisions, and a ping now and then. */
        public Flux<String> outbound() {
            return Flux.merge(outbound.asFlux(), Flux.interval(ping).map(tick -> StreamMessage.encode(new StreamMessage.Ping())));
        }

        /**
         * The close status and reason when the stream must end (freed firewall, newer stream, no status from the
         * agent in time, a silent agent); never otherwise.
         */
        public Mono<Map.Entry<Integer, String>> cut() {
            return Mono.firstWithValue(cut.asMono(), Mono.delay(statusWithin).filter(tick -> !registered)
                    .map(tick -> Map.entry(NO_STATUS, "no status from the agent within " + statusWithin.toSeconds() + " s")));
        }

        /** One message from the agent. */
        public Mono<Void> inbound(String text) {
            heardAt = System.nanoTime();
            StreamMessage message;
            try {
                message = StreamMessage.decode(text);
            } catch (IllegalArgumentException e) {
                log.debug("firewall {}: a message that is not one: {}", firewall, e.getMessage());
                return Mono.empty();
            }
            return switch (message) {
                case StreamMessage.Status status -> registered ? heartbeat() : register(status);
                case StreamMessage.Answer(Agent.Answer answer, String delivery) -> answered(bounded(answer), delivery);
                default -> Mono.empty();
            };
        }

        /** The connection is gone: the firewall is no longer served here. */
        public Mono<Void> closed() {
            ended = true;
            cut.tryEmitEmpty();
            Pending waiting = pending.getAndSet(null);
            if (waiting != null) {
                waiting.answer().tryEmitError(new IllegalStateException("the agent's stream closed"));
            }
            byFirewall.remove(firewall, this);
            // also when the registration is still under way: the statement only touches this stream's row
            return left(firewall, id);
        }

        private Mono<Void> register(StreamMessage.Status status) {
            // The agent's word on what it runs is taken only for a revision of this allocation with the same hash
            // (a reinstalled firewall, or a directory that served another, runs nothing as far as the portal
            // knows), never above the desired one. The credential is checked again in the same statement: a
            // firewall freed since the handshake is not served. A waiting delivery goes out at once, to this
            // stream, unless its last attempt was rejected or refused: that one keeps its backoff, so an agent
            // that connects again and again does not make the portal send it again and again.
            return db.sql("""
                            WITH runs AS (
                                SELECT coalesce(max(c.revision), 0) AS revision FROM firewall_config c JOIN machine m ON m.id = c.firewall_id
                                WHERE c.firewall_id = :id AND c.revision = :applied AND c.hash = :hash AND c.created_at >= m.allocated_at)
                            UPDATE firewall_sync s SET agent_instance = :me, agent_stream = :stream, agent_seen_at = now(),
                                applied_revision = least(runs.revision, s.desired_revision),
                                state = CASE WHEN least(runs.revision, s.desired_revision) = s.desired_revision
                                             THEN 'IN_SYNC'::firewall_sync_state
                                             WHEN s.state = 'IN_SYNC' THEN 'PENDING'::firewall_sync_state
                                             ELSE s.state END,
                                next_attempt_at = CASE WHEN s.last_failure IN ('REJECTED', 'REFUSED') THEN s.next_attempt_at ELSE now() END,
                                leased_by = NULL, lease_until = NULL
                            FROM machine m, runs
                            WHERE s.firewall_id = :id AND m.id = s.firewall_id AND m.role = 'FIREWALL'
                              AND m.state = 'ALLOCATED' AND m.agent_secret = :secret
                            RETURNING s.desired_revision, s.applied_revision""")
                    .bind("me", instance).bind("stream", id).bind("applied", status.appliedRevision())
                    .bind("hash", status.appliedHash() == null ? "" : status.appliedHash())
                    .bind("id", firewall).bind("secret", credentialHash)
                    .map((row, meta) -> Map.entry(row.get("desired_revision", Integer.class), row.get("applied_revision", Integer.class)))
                    .one()
                    .map(java.util.Optional::of)
                    .defaultIfEmpty(java.util.Optional.empty())
                    .flatMap(registeredRow -> {
                        if (registeredRow.isEmpty()) {
                            cut(CREDENTIAL_REVOKED, "the firewall's credential is no longer valid (the firewall was freed)");
                            return Mono.<Void>empty();
                        }
                        Map.Entry<Integer, Integer> revisions = registeredRow.get();
                        if (ended) {
                            return left(firewall, id);     // the connection went while this was recorded
                        }
                        registered = true;
                        seenAt = System.nanoTime();
                        Stream before = byFirewall.put(firewall, this);
                        if (before != null && before != this) {
                            before.cut(REPLACED, "the firewall's agent connected again");
                        }
                        log.info("firewall {}: agent connected (says it runs revision {}, taken as {}; desired {})", firewall,
                                status.appliedRevision(), revisions.getValue(), revisions.getKey());
                        return Mono.<Void>empty();
                    });
        }

        /** The agent is alive: noted at most every half minute (the fleet view shows when it was last seen). */
        private Mono<Void> heartbeat() {
            if (System.nanoTime() - seenAt < Duration.ofSeconds(30).toNanos()) {
                return Mono.empty();
            }
            seenAt = System.nanoTime();
            return db.sql("UPDATE firewall_sync SET agent_seen_at = now() WHERE firewall_id = :id AND agent_stream = :stream")
                    .bind("id", firewall).bind("stream", id).fetch().rowsUpdated()
                    .doOnNext(updated -> {
                        if (updated == 0) {
                            cut(REPLACED, "another stream serves the firewall now");
                        }
                    })
                    .then();
        }

        private Mono<Agent.Answer> deliver(SignedRevision revision) {
            Pending sending = new Pending(UUID.randomUUID().toString(), Sinks.one());
            if (!pending.compareAndSet(null, sending)) {
                return Mono.error(new IllegalStateException("a delivery is already under way on the agent's stream"));
            }
            outbound.tryEmitNext(StreamMessage.encode(new StreamMessage.Revision(revision, sending.delivery())));
            return sending.answer().asMono().doFinally(signal -> pending.compareAndSet(sending, null));
        }

        /**
         * The answer to the delivery under way, if it names it. A refusal answers it too, whatever it names: what
         * the agent refused while a revision was on its way is what reached it instead (a message changed or
         * played in on the way). Any other answer is late or stray; a refusal nobody waits for is recorded.
         */
        private Mono<Void> answered(Agent.Answer answer, String delivery) {
            Pending waiting = pending.get();
            if (waiting != null && (waiting.delivery().equals(delivery) || answer instanceof Agent.Refused)
                    && pending.compareAndSet(waiting, null)) {
                waiting.answer().tryEmitValue(answer);
                return Mono.empty();
            }
            if (answer instanceof Agent.Refused refused) {
                return db.sql("""
                                UPDATE firewall_sync SET agent_refusal = :reason, agent_refused_at = now()
                                WHERE firewall_id = :id AND agent_stream = :stream""")
                        .bind("reason", "(while the portal was not sending this firewall anything) " + refused.reason())
                        .bind("id", firewall).bind("stream", id).then();
            }
            return Mono.empty();
        }

        private void cut(int code, String reason) {
            if (cut.tryEmitValue(Map.entry(code, reason)).isSuccess()) {
                log.info("firewall {}: stream cut: {}", firewall, reason);
            }
        }
    }

    /** A delivery on its way: its name, and where its answer goes. */
    private record Pending(String delivery, Sinks.One<Agent.Answer> answer) {
    }

    /** An agent's words, bounded, without control or format characters (they are shown in the portal). */
    static Agent.Answer bounded(Agent.Answer answer) {
        return switch (answer) {
            case Agent.Applied(int revision, String note) -> new Agent.Applied(revision, note == null ? null : bounded(note));
            case Agent.Rejected(int revision, String message) -> new Agent.Rejected(revision, bounded(message));
            case Agent.Refused(int revision, String reason) -> new Agent.Refused(revision, bounded(reason));
            case Agent.Newer newer -> newer;
        };
    }

    static String bounded(String text) {
        String clean = text.replaceAll("[\\p{Cntrl}\\p{Cf}&&[^\n\t]]", "?");
        return clean.length() > MAX_MESSAGE ? clean.substring(0, MAX_MESSAGE - 1) + "…" : clean;
    }
}
