package dev.netportal.firewall.dispatch;

import dev.netportal.database.Notifications;
import dev.netportal.firewall.protocol.Agent;
import dev.netportal.firewall.protocol.Credentials;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Delivers firewalls' pending configuration revisions to their agents (D2, decision 007). When a revision or an
 * agent's stream is committed anywhere (a database notification), and every half second besides, it leases the
 * firewalls that are due and whose agent's stream this instance holds, or that never had an agent of their own
 * ({@code FOR UPDATE SKIP LOCKED}, so each firewall is delivered by one instance at a time). Each gets the newest
 * revision (intermediate ones are skipped), signed for its allocation, on its stream; the answer is recorded:
 * applied, rejected by the validators or refused by the agent's checks (failing, retried after a backoff), or no
 * answer (retried with exponential backoff and jitter). Deliveries run side by side (up to {@link #IN_FLIGHT}): a
 * slow or silent agent holds up only its own firewall, for at most {@link #DELIVERY_TIMEOUT}. A lease that its
 * instance does not finish expires after 30 seconds (or when the firewall's agent connects elsewhere), so nothing
 * stays stuck when an instance dies; revisions live in the database, so a restart loses nothing.
 */
@Component
@ConditionalOnProperty(name = "netportal.dispatcher.enabled", havingValue = "true", matchIfMissing = true)
public class Dispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    static final Duration LEASE = Duration.ofSeconds(30);
    /** Firewalls leased by one query (a full batch is followed by the next at once, while slots are free). */
    static final int BATCH = 256;
    /**
     * Deliveries under way at once. A firewall is leased only when a slot is free for it, so a lease never waits
     * for a slot and expires under it (the lease outlasts a delivery's timeout). A change that touches a thousand
     * firewalls goes out at once: the built-in agents check what arrives together in a few validator runs.
     */
    static final int IN_FLIGHT = 1024;
    /** The most acknowledgements written by one statement; those that arrive within {@link #ACK_WINDOW} go together. */
    static final int ACK_BATCH = 256;
    static final Duration ACK_WINDOW = Duration.ofMillis(5);
    /** How long one delivery may take, the agent's check included; the lease must outlast it. */
    static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(20);

    /** How long a firewall without an agent waits before it is looked at again (a connecting agent ends the wait). */
    static final Duration NO_AGENT_WAIT = Duration.ofMinutes(10);

    private final DatabaseClient db;
    private final Duration lease;
    private final Agent local;              // null: firewalls wait for their own agents
    private final AgentStreams streams;     // null: only the built-in agents (tests)
    private final RevisionSigner signer;
    private final Flux<String> wakeUps;     // sync rows changed in some instance's transaction; empty in tests
    private final String instance;
    private final Duration tick;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Sinks.Many<Object> freed = Sinks.many().multicast().directBestEffort();
    /** Applied revisions waiting to be recorded, a batch per statement. */
    private final Sinks.Many<Ack> acks = Sinks.many().unicast().onBackpressureBuffer();
    private volatile Disposable running;

    /** An agent's acknowledgement of a revision, and who waits until it is recorded. */
    private record Ack(UUID firewall, int revision, String note, MonoSink<Void> recorded) {
    }

    @Autowired
    Dispatcher(DatabaseClient db,
            @Value("${netportal.dispatcher.record-directory:${java.io.tmpdir}/netportal-agents}") Path records,
            @Value("${netportal.dispatcher.local-agents:true}") boolean localAgents,
            @Value("${netportal.dispatcher.lease:30s}") Duration lease,
            @Value("${netportal.dispatcher.tick:500ms}") Duration tick, Notifications notifications,
            AgentStreams streams, RevisionSigner signer) {
        this(db, localAgents ? new RecordingAgent(records) : null, lease, notifications.on("firewall_sync"), streams, signer, tick);
    }

    /**
     * A dispatcher that delivers to the given agent every firewall whose own agent never connected (tests use
     * agents that fail on purpose); with none, such firewalls wait for their agents.
     */
    Dispatcher(DatabaseClient db, Agent local) {
        this(db, local, LEASE, Flux.empty(), null, null, Duration.ofMillis(500));
    }

    Dispatcher(DatabaseClient db, Agent local, Duration lease, Flux<String> wakeUps, AgentStreams streams, RevisionSigner signer,
            Duration tick) {
        if (lease.compareTo(DELIVERY_TIMEOUT) <= 0) {
            log.warn("netportal.dispatcher.lease ({}) is shorter than a delivery may take ({}): another instance may "
                    + "deliver to a firewall while a slow delivery is still under way", lease, DELIVERY_TIMEOUT);
        }
        this.db = db;
        this.local = local;
        this.lease = lease;
        this.wakeUps = wakeUps;
        this.streams = streams;
        this.signer = signer;
        this.tick = tick;
        this.instance = streams != null ? streams.instance() : UUID.randomUUID().toString();
        // acknowledgements that arrive together (a validator batch of the built-in agents answers hundreds at once)
        // are recorded with one statement; two batches may be written side by side
        acks.asFlux()
                .bufferTimeout(ACK_BATCH, ACK_WINDOW)
                .onBackpressureBuffer()
                .flatMap(batch -> recordApplied(batch)
                        .doOnSuccess(done -> batch.forEach(ack -> ack.recorded().success()))
                        .onErrorResume(error -> {
                            batch.forEach(ack -> ack.recorded().error(error));
                            return Mono.empty();
                        }), 2)
                .subscribe();
    }

    /** Starts delivering once the context is up (the schema is migrated by then). */
    @Override
    public void start() {
        // a new revision (or an agent's stream) is announced on commit: leasing starts at once instead of at the
        // next tick; the ticks stay for retries that come due and for notifications lost while reconnecting; a
        // finished delivery frees a slot, which may take a firewall that waited for one
        Flux<Object> wake = Flux.<Object>merge(Flux.interval(Duration.ofMillis(200), tick),
                wakeUps.sample(Duration.ofMillis(20)), freed.asFlux().sample(Duration.ofMillis(20)));
        running = wake
                .onBackpressureDrop()
                .concatMap(ignored -> leaseFree().onErrorResume(error -> {
                    log.warn("leasing due firewalls failed, trying again: {}", error.toString());
                    return Flux.empty();
                }), 1)
                // each delivery on its own: the next lease does not wait for the slowest agent
                .flatMap(due -> deliver(due)
                        .onErrorResume(error -> {
                            log.warn("recording the delivery to firewall {} failed: {}", due.firewall(), error.toString());
                            return Mono.empty();
                        })
                        .doFinally(signal -> {
                            inFlight.decrementAndGet();
                            freed.tryEmitNext(Boolean.TRUE);
                        }), IN_FLIGHT)
                .subscribe();
    }

    /**
     * Leases as many due firewalls as there are free delivery slots (batch after batch while batches come back
     * full); each one leased holds a slot until its delivery is recorded.
     */
    private Flux<Due> leaseFree() {
        return Flux.defer(() -> {
            int free = Math.min(BATCH, IN_FLIGHT - inFlight.get());
            if (free <= 0) {
                return Flux.empty();
            }
            return lease(free).collectList().flatMapMany(leased -> {
                inFlight.addAndGet(leased.size());
                return Flux.fromIterable(leased).concatWith(leased.size() == free ? leaseFree() : Flux.empty());
            });
        });
    }

    @Override
    public void stop() {
        Disposable current = running;
        if (current != null) {
            current.dispose();
        }
        running = null;
    }

    @Override
    public boolean isRunning() {
        return running != null;
    }

    /**
     * One round, for tests: lease a batch of what is due, deliver it, record the answers; answers how many
     * firewalls it leased.
     */
    Mono<Integer> round() {
        return lease(BATCH).flatMap(due -> deliver(due).thenReturn(due), BATCH).count().map(Long::intValue);
    }

    /** A leased firewall: its newest revision, and the stream of its agent (null: it never had one). */
    private record Due(UUID firewall, int revision, String hash, String frr, String nftables, int attempts,
                       UUID agentStream, String credentialHash) {
    }

    private Flux<Due> lease(int limit) {
        return db.sql("""
                        WITH due AS (
                            SELECT firewall_id FROM firewall_sync
                            WHERE state <> 'IN_SYNC' AND coalesce(next_attempt_at, now()) <= now()
                              AND (lease_until IS NULL OR lease_until < now())
                              -- its agent's stream is here, or it never had an agent (built-in agent, or waiting)
                              AND (agent_instance = :me OR agent_seen_at IS NULL)
                            ORDER BY next_attempt_at NULLS FIRST LIMIT :batch
                            FOR UPDATE SKIP LOCKED)
                        UPDATE firewall_sync s SET leased_by = :me, lease_until = now() + make_interval(secs => :lease)
                        FROM due, firewall_config c, machine m
                        WHERE s.firewall_id = due.firewall_id AND c.firewall_id = s.firewall_id AND c.revision = s.desired_revision
                          AND m.id = s.firewall_id
                        RETURNING s.firewall_id, s.desired_revision, s.attempts, c.hash, c.frr, c.nftables,
                                  CASE WHEN s.agent_instance = :me THEN s.agent_stream END AS agent_stream, m.agent_secret""")
                .bind("batch", limit).bind("me", instance).bind("lease", lease.toMillis() / 1000.0)
                .map((row, meta) -> new Due(row.get("firewall_id", UUID.class), row.get("desired_revision", Integer.class),
                        row.get("hash", String.class), row.get("frr", String.class), row.get("nftables", String.class),
                        row.get("attempts", Integer.class), row.get("agent_stream", UUID.class), row.get("agent_secret", String.class)))
                .all();
    }

    private Mono<Void> deliver(Due due) {
        Agent.Delivery delivery = new Agent.Delivery(due.firewall(), due.revision(), due.hash(), due.frr(), due.nftables());
        Mono<Agent.Answer> sent;
        if (due.agentStream() != null && streams != null && signer != null) {
            // signing takes about half a millisecond of CPU: not on the database driver's event loop
            sent = Mono.fromCallable(() -> signer.sign(delivery, Credentials.allocationOfHash(due.credentialHash())))
                    .subscribeOn(Schedulers.parallel())
                    .flatMap(signed -> streams.deliver(due.agentStream(), signed));
        } else if (due.agentStream() == null && local != null) {
            sent = local.deliver(delivery);
        } else {
            return failed(due, "waiting for the firewall's agent to connect (see the README: running an agent)",
                    NO_AGENT_WAIT, "NO_AGENT", false);
        }
        return sent.timeout(DELIVERY_TIMEOUT, Mono.error(() -> new IllegalStateException("no answer within "
                        + DELIVERY_TIMEOUT.toSeconds() + " s")))
                .flatMap(answer -> switch (answer) {
                    case Agent.Applied applied when applied.revision() != due.revision() -> failed(due, "the agent acknowledged "
                            + "revision " + applied.revision() + ", not revision " + due.revision() + " that was sent",
                            backoff(due.attempts() + 3), "UNREACHABLE", true);
                    case Agent.Applied applied -> applied(due.firewall(), applied.revision(), applied.note());
                    case Agent.Newer newer -> failed(due, "the agent runs revision " + newer.appliedRevision()
                            + ", which is not older than revision " + due.revision() + " sent; it may belong to an earlier "
                            + "firewall on this machine", backoff(due.attempts() + 3), "REJECTED", true);
                    case Agent.Rejected rejected -> failed(due, "rejected revision " + rejected.revision() + ": "
                            + rejected.message(), backoff(due.attempts() + 3), "REJECTED", true);
                    case Agent.Refused refused -> failed(due, "the agent refused revision " + refused.revision() + ": "
                            + refused.reason(), backoff(due.attempts() + 3), "REFUSED", true, refused.reason());
                })
                .onErrorResume(error -> failed(due, "agent unreachable: " + error.getMessage(), backoff(due.attempts()),
                        "UNREACHABLE", true));
    }

    /** Records an applied revision; completes when it is recorded (with others that arrived at about the same time). */
    private Mono<Void> applied(UUID firewall, int revision, String note) {
        return Mono.create(recorded -> acks.emitNext(new Ack(firewall, revision, note, recorded),
                Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1))));
    }

    /**
     * Records applied revisions with one statement, for the firewalls this instance still leases. Their rows are
     * locked in firewall id order first, as a re-rendering locks them, so the two never wait for each other in a circle.
     */
    private Mono<Void> recordApplied(List<Ack> batch) {
        return db.sql("""
                        WITH answered AS (
                            SELECT * FROM unnest(CAST(:ids AS uuid[]), CAST(:revisions AS integer[]), CAST(:notes AS text[]))
                                AS a(firewall_id, revision, note)),
                        locked AS (
                            SELECT s.firewall_id FROM firewall_sync s JOIN answered a ON a.firewall_id = s.firewall_id
                            WHERE s.leased_by = :me ORDER BY s.firewall_id FOR UPDATE OF s)
                        UPDATE firewall_sync s SET applied_revision = greatest(s.applied_revision, least(a.revision, s.desired_revision)),
                               state = CASE WHEN greatest(s.applied_revision, least(a.revision, s.desired_revision)) = s.desired_revision
                                            THEN 'IN_SYNC'::firewall_sync_state ELSE 'PENDING'::firewall_sync_state END,
                               last_error = a.note, last_failure = NULL, attempts = 0, next_attempt_at = now(),
                               leased_by = NULL, lease_until = NULL
                        FROM answered a JOIN locked l ON l.firewall_id = a.firewall_id
                        WHERE s.firewall_id = a.firewall_id AND s.leased_by = :me""")
                .bind("ids", batch.stream().map(Ack::firewall).toArray(UUID[]::new))
                .bind("revisions", batch.stream().map(Ack::revision).toArray(Integer[]::new))
                .bind("notes", batch.stream().map(Ack::note).toArray(String[]::new))
                .bind("me", instance)
                .then();
    }

    /**
     * Records a delivery that did not happen: why ({@code failure}: UNREACHABLE, REJECTED, REFUSED or NO_AGENT,
     * which a connecting agent cuts short) and when to try again; {@code failing} false keeps the state pending (nothing went
     * wrong yet: no agent has connected).
     */
    private Mono<Void> failed(Due due, String error, Duration retryIn, String failure, boolean failing) {
        return failed(due, error, retryIn, failure, failing, null);
    }

    /** As above; for a refusal also the agent's reason, kept as the firewall's last refusal. */
    private Mono<Void> failed(Due due, String error, Duration retryIn, String failure, boolean failing, String refusal) {
        return db.sql("""
                        UPDATE firewall_sync SET state = CASE WHEN applied_revision = desired_revision THEN 'IN_SYNC'::firewall_sync_state
                                                             WHEN :failing THEN 'FAILING'::firewall_sync_state
                                                             ELSE 'PENDING'::firewall_sync_state END,
                               last_error = :error, last_failure = :failure, attempts = attempts + CASE WHEN :failing THEN 1 ELSE 0 END,
                               -- a newer revision stored meanwhile has not been tried yet, and an agent that connected
                               -- (again) meanwhile has not been tried at all: either goes out at once
                               next_attempt_at = CASE WHEN desired_revision > :sent OR agent_stream IS DISTINCT FROM :stream THEN now()
                                                      ELSE now() + make_interval(secs => :retry) END,
                               agent_refusal = coalesce(:refusal, agent_refusal),
                               agent_refused_at = CASE WHEN :refusal IS NOT NULL THEN now() ELSE agent_refused_at END,
                               leased_by = NULL, lease_until = NULL
                        WHERE firewall_id = :id AND leased_by = :me""")
                .bind("id", due.firewall()).bind("error", error.length() > 2000 ? error.substring(0, 2000) : error)
                .bind("retry", retryIn.toMillis() / 1000.0).bind("me", instance).bind("sent", due.revision())
                .bind("stream", org.springframework.r2dbc.core.Parameter.fromOrEmpty(due.agentStream(), UUID.class))
                .bind("failing", failing).bind("failure", failure)
                .bind("refusal", org.springframework.r2dbc.core.Parameter.fromOrEmpty(refusal, String.class))
                .then();
    }

    /** Exponential backoff with jitter: about 0.5 s, 1 s, 2 s, ... up to a minute, each between half and 1.5 times. */
    static Duration backoff(int attempts) {
        double base = Math.min(60_000, 500 * Math.pow(2, Math.min(attempts, 16)));
        return Duration.ofMillis((long) (base * (0.5 + ThreadLocalRandom.current().nextDouble())));
    }
}
