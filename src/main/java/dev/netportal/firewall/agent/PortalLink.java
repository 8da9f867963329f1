package dev.netportal.firewall.agent;

import dev.netportal.firewall.protocol.Agent;
import dev.netportal.firewall.protocol.Credentials;
import dev.netportal.firewall.protocol.RevisionCheck;
import dev.netportal.firewall.protocol.StreamMessage;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * A firewall's agent as its own small process ({@code NETPORTAL_MODE=agent}, decision 007): it listens on nothing.
 * It dials out to the portal's API over TLS, authenticates with the firewall's credential and holds one
 * WebSocket stream on which the portal sends the newest revision as soon as it is committed. Every revision is
 * checked ({@link RevisionCheck}: this firewall, this allocation, a trusted signature, the signed texts, not
 * expired, not older than what runs) before the validators see it, and answered on the same stream. A stream
 * that breaks, or stays silent longer than {@link AgentSettings#silence()}, is opened again, to the next portal
 * URL: soon (with jitter) after a stream that served a while, with exponential backoff after attempts that fail
 * or streams that end early. Its status is kept in the file {@code status} in its directory, for whoever is on
 * the firewall.
 */
public final class PortalLink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PortalLink.class);
    /** A stream that served at least this long ended normally; a shorter one counts as a failed attempt. */
    static final Duration SERVED = Duration.ofSeconds(30);
    /** The close codes after which connecting again at once would only repeat what happened. */
    private static final java.util.Set<Integer> BACK_OFF_AFTER = java.util.Set.of(1009, 4401, 4408, 4409);

    private final AgentSettings settings;
    private final FirewallAgent agent;
    private final RevisionCheck check;
    private final Disposable loop;
    private final Sinks.Empty<Void> closed = Sinks.empty();
    private final AtomicInteger attempt = new AtomicInteger();
    // revisions are checked and applied here, one at a time, never interrupted: a stream that ends mid-apply does
    // not leave the firewall half-applied (the result is in the state file, and the next stream's status says it)
    private final ExecutorService worker = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "netportal-agent-apply");
        thread.setDaemon(true);
        return thread;
    });
    private volatile int failures;          // attempts in a row that opened no stream, or one that ended early
    private volatile long openedAt;         // System.nanoTime() when the last stream opened; 0 if none did
    private volatile int closeCode;         // how the portal closed the last stream; 0 if it did not say
    private volatile URI connectedTo;       // null while not connected
    private volatile String lastRefusal;
    private volatile String lastProblem;
    private boolean stopped;                // guarded by this: once closed, the status file stays as close() left it

    private PortalLink(AgentSettings settings, FirewallAgent agent, Clock clock) {
        this.settings = settings;
        this.agent = agent;
        this.check = new RevisionCheck(settings.firewall(), Credentials.allocation(settings.credential()),
                settings.portalKeys(), clock);
        this.loop = Mono.defer(this::session)
                .then(Mono.defer(() -> Mono.delay(pause())))
                .repeat()
                .subscribe();
        log.info("Netportal agent for firewall {} ({} mode) connects to {}; it trusts portal keys {}", settings.firewall(),
                settings.mode().name().toLowerCase(), settings.portalUrls(), check.trustedKeys());
    }

    /** Starts the agent: it connects at once and stays connected until closed. */
    public static PortalLink start(AgentSettings settings) {
        forgetOtherAllocations(settings);
        return new PortalLink(settings, new FirewallAgent(settings.firewall(), settings.directory(), settings.mode(), true,
                settings.frrReload()), Clock.systemUTC());
    }

    /** An agent around the given firewall agent (tests apply inside a network namespace of their own). */
    static PortalLink start(AgentSettings settings, FirewallAgent agent) {
        return new PortalLink(settings, agent, Clock.systemUTC());
    }

    public static PortalLink start(org.springframework.core.env.Environment env) {
        return start(AgentSettings.from(env));
    }

    /**
     * The directory remembers whose revision runs (firewall and allocation): a directory that served another
     * firewall, or an earlier allocation of this one, starts from nothing, so the portal never takes another
     * allocation's revision number for this one's.
     */
    static void forgetOtherAllocations(AgentSettings settings) {
        Path identity = settings.directory().resolve("identity");
        String mine = "firewall " + settings.firewall() + "\nallocation " + Credentials.allocation(settings.credential()) + "\n";
        try {
            Files.createDirectories(settings.directory());
            if (Files.exists(identity) && !Files.readString(identity).equals(mine) && Files.exists(settings.directory().resolve("state"))) {
                Path kept = settings.directory().resolve("state.other-allocation");
                Files.move(settings.directory().resolve("state"), kept, StandardCopyOption.REPLACE_EXISTING);
                log.warn("{} served another firewall or allocation: its state is kept as {}, and this agent starts from nothing",
                        settings.directory(), kept);
            }
            Files.writeString(identity, mine);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the agent's identity in " + settings.directory(), e);
        }
    }

    public int appliedRevision() {
        return agent.appliedRevision();
    }

    /** The portal URL of the open stream; null while there is none. */
    public URI connectedTo() {
        return connectedTo;
    }

    /** The reason of the last revision this agent refused; null if none. */
    public String lastRefusal() {
        return lastRefusal;
    }

    /** Why the last stream ended or could not be opened; null if none did. */
    public String lastProblem() {
        return lastProblem;
    }

    /** Waits until the agent is closed. */
    public void awaitClose() {
        closed.asMono().block();
    }

    /** One stream: connect, take revisions until it ends. Never fails: what went wrong is logged and kept. */
    private Mono<Void> session() {
        openedAt = 0;
        closeCode = 0;
        URI url = settings.portalUrls().get(Math.floorMod(attempt.getAndIncrement(), settings.portalUrls().size()));
        String base = url.toString().replaceAll("/+$", "");
        String stream = base.replaceFirst("^http", "ws") + "/agent/v1/firewalls/" + settings.firewall() + "/stream";
        HttpClient client = HttpClient.create()
                .option(io.netty.channel.ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
        if (url.getScheme().equalsIgnoreCase("https")) {
            client = client.secure(tls -> tls.sslContext(settings.caFile() == null ? Http11SslContextSpec.forClient()
                    : Http11SslContextSpec.forClient().configure(builder -> builder.trustManager(settings.caFile().toFile()))));
        }
        Sinks.One<Boolean> upgraded = Sinks.one();
        Mono<Void> conversation = client
                .headers(headers -> headers.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + settings.credential()))
                .websocket(WebsocketClientSpec.builder().maxFramePayloadLength(StreamMessage.MAX_BYTES).build())
                .uri(stream)
                .handle((in, out) -> {
                    upgraded.tryEmitValue(true);
                    return converse(url, in, out);
                })
                .then();
        // a server that accepts the connection and never answers the upgrade is given up after 15 s
        Mono<Void> handshakeDeadline = upgraded.asMono().timeout(Duration.ofSeconds(15),
                Mono.error(() -> new IllegalStateException("no WebSocket upgrade from " + url + " within 15 s"))).then(Mono.never());
        return Mono.firstWithSignal(conversation, handshakeDeadline)
                .onErrorResume(error -> {
                    lastProblem = problem(error);
                    log.warn("stream to {} failed: {}", url, lastProblem);
                    return Mono.empty();
                })
                .doFinally(signal -> {
                    if (connectedTo != null) {
                        log.info("stream to {} closed", url);
                    }
                    connectedTo = null;
                    Schedulers.boundedElastic().schedule(this::keepStatus);   // the disk, not the event loop
                });
    }

    /** On an open stream: the status first, then one answer per revision, and the heartbeat. */
    private Mono<Void> converse(URI url, WebsocketInbound in, WebsocketOutbound out) {
        connectedTo = url;
        openedAt = System.nanoTime();
        log.info("connected to {}, running revision {}", url, agent.appliedRevision());
        Sinks.Empty<Void> ended = Sinks.empty();
        Flux<String> answers = in.aggregateFrames(StreamMessage.MAX_BYTES).receive().asString(StandardCharsets.UTF_8)
                .timeout(settings.silence())
                // suppressCancel: a stream that ends does not interrupt a revision being applied
                .concatMap(text -> Mono.fromFuture(CompletableFuture.supplyAsync(() -> answer(text), worker), true))
                .doFinally(signal -> ended.tryEmitEmpty());
        in.receiveCloseStatus().subscribe(status -> {
            closeCode = status.code();
            if (status.code() != 1000) {
                lastProblem = "the portal closed the stream: " + status.code() + " " + status.reasonText();
                log.warn("{}", lastProblem);
            }
        });
        Flux<String> heartbeat = Flux.interval(settings.heartbeat()).map(tick -> status()).takeUntilOther(ended.asMono());
        // the status file says "connected" before the portal hears of this agent; written on a worker, as the
        // stream's event loop never waits for the disk
        Mono<String> first = Mono.fromCallable(() -> {
            keepStatus();
            return status();
        }).subscribeOn(Schedulers.boundedElastic());
        return out.sendString(Flux.merge(first, answers, heartbeat), StandardCharsets.UTF_8).then();
    }

    private String status() {
        return StreamMessage.encode(new StreamMessage.Status(agent.appliedRevision(), agent.appliedHash(), settings.mode().name()));
    }

    /** What to say to one message from the portal; nothing (null) to a ping. */
    private String answer(String text) {
        StreamMessage message;
        try {
            message = StreamMessage.decode(text);
        } catch (IllegalArgumentException e) {
            return StreamMessage.encode(new StreamMessage.Answer(refused(new Agent.Refused(0, "a message that is not a "
                    + "revision: " + e.getMessage())), null));
        }
        if (!(message instanceof StreamMessage.Revision(var revision, String delivery))) {
            return null;
        }
        Agent.Refused refusal = check.refusal(revision);
        Agent.Answer answer;
        try {
            answer = refusal != null ? refused(refusal) : agent.receive(revision.delivery());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer = new Agent.Rejected(revision.revision(), "the agent was stopped while it checked the revision");
        } catch (RuntimeException e) {
            answer = new Agent.Rejected(revision.revision(), "the agent failed: " + e.getMessage());
        }
        if (answer instanceof Agent.Newer(int running)) {
            // signed and valid, but older than what runs: an old message played again (or a restored database)
            answer = refused(new Agent.Refused(revision.revision(), "revision " + revision.revision() + " is older than "
                    + "revision " + running + ", which this firewall runs: an old message played again?"));
        }
        switch (answer) {
            case Agent.Applied applied -> log.info("revision {} {}{}", applied.revision(),
                    settings.mode() == FirewallAgent.Mode.APPLY ? "applied" : "recorded",
                    applied.note() == null ? "" : " (" + applied.note() + ")");
            case Agent.Rejected rejected -> log.warn("revision {} rejected: {}", rejected.revision(), rejected.message());
            case Agent.Newer ignored -> {
            }
            case Agent.Refused ignored -> {
            }
        }
        keepStatus();
        return StreamMessage.encode(new StreamMessage.Answer(answer, delivery));
    }

    private Agent.Refused refused(Agent.Refused refusal) {
        lastRefusal = refusal.reason();
        log.warn("refused: {}", refusal.reason());
        return refusal;
    }

    /**
     * After a stream that served a while and ended without a reason to wait: soon, spread between 0.25 and 3 s so
     * that the agents of a stopped instance do not all arrive at once. After a failed attempt, a stream that ended
     * early, or one closed for a reason that would only repeat (credential refused, replaced, no status, too big):
     * exponential backoff from 0.5 s to 30 s, with ±50 % jitter.
     */
    private Duration pause() {
        boolean served = openedAt != 0 && System.nanoTime() - openedAt >= SERVED.toNanos() && !BACK_OFF_AFTER.contains(closeCode);
        if (served) {
            failures = 0;
            return Duration.ofMillis(250 + ThreadLocalRandom.current().nextLong(2750));
        }
        double base = Math.min(30_000, 500 * Math.pow(2, Math.min(failures++, 10)));
        return Duration.ofMillis((long) (base * (0.5 + ThreadLocalRandom.current().nextDouble())));
    }

    private static String problem(Throwable error) {
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        if (message.contains("401")) {
            return "the portal refused the credential (401): is the firewall still allocated, and the credential right?";
        }
        return message.length() > 300 ? message.substring(0, 300) : message;
    }

    /**
     * The agent's status for whoever is on the firewall: a small file, replaced atomically. It touches the disk:
     * never on the stream's event loop.
     */
    private synchronized void keepStatus() {
        if (stopped) {
            return;
        }
        Properties status = new Properties();
        status.setProperty("firewall", settings.firewall().toString());
        status.setProperty("mode", settings.mode().name().toLowerCase());
        status.setProperty("appliedRevision", Integer.toString(agent.appliedRevision()));
        status.setProperty("connectedTo", connectedTo == null ? "" : connectedTo.toString());
        status.setProperty("updatedAt", Instant.now().toString());
        if (lastRefusal != null) {
            status.setProperty("lastRefusal", lastRefusal);
        }
        if (lastProblem != null) {
            status.setProperty("lastProblem", lastProblem);
        }
        try {
            Files.createDirectories(settings.directory());
            Path next = settings.directory().resolve("status.next");
            try (var out = Files.newOutputStream(next)) {
                status.store(out, "Netportal agent status");
            }
            Files.move(next, settings.directory().resolve("status"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.warn("could not keep the status in {}: {}", settings.directory(), e.getMessage());
        }
    }

    @Override
    public void close() {
        loop.dispose();
        worker.shutdown();
        synchronized (this) {
            connectedTo = null;
            keepStatus();
            stopped = true;     // a write still scheduled by the stream ends nothing but the status above
        }
        closed.tryEmitEmpty();
    }
}
