package dev.netportal;

import dev.netportal.firewall.dispatch.Dispatcher;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Health endpoints for a process without a web context (the dispatcher mode), at the paths the web contexts use,
 * so that probes look the same everywhere: live while the process runs, ready while the dispatcher runs and the
 * database answers.
 */
final class HealthServer implements AutoCloseable {

    private final DisposableServer server;

    HealthServer(ConfigurableApplicationContext core, int port) {
        DatabaseClient db = core.getBean(DatabaseClient.class);
        Dispatcher dispatcher = core.getBean(Dispatcher.class);
        server = HttpServer.create().port(port)
                .route(routes -> routes
                        .get("/actuator/health/liveness", (request, response) -> response.status(HttpResponseStatus.OK)
                                .header("Content-Type", "application/json").sendString(Mono.just("{\"status\":\"UP\"}")))
                        .get("/actuator/health/readiness", (request, response) -> db.sql("SELECT 1").fetch().first()
                                .then(Mono.just(dispatcher.isRunning()))
                                .timeout(Duration.ofSeconds(3))
                                .onErrorReturn(false)
                                .flatMap(ready -> response.status(ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE)
                                        .header("Content-Type", "application/json")
                                        .sendString(Mono.just(ready ? "{\"status\":\"UP\"}" : "{\"status\":\"OUT_OF_SERVICE\"}")).then())))
                .bindNow();
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
