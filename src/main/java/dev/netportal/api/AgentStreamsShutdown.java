package dev.netportal.api;

import dev.netportal.firewall.dispatch.AgentStreams;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Cuts the agents' streams when the API stops, before the web server waits for open connections to end: an
 * agent's stream never ends by itself, and its agent connects to another instance as soon as it is cut.
 */
@Component
class AgentStreamsShutdown implements SmartLifecycle {

    private final AgentStreams streams;
    private volatile boolean running;

    AgentStreamsShutdown(AgentStreams streams) {
        this.streams = streams;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        streams.cutAll();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before the web server's graceful shutdown (a lower phase) begins. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
