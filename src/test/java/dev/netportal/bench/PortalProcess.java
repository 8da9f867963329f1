package dev.netportal.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The production jar started as its own process, the way the README runs it ({@code java -jar}), in development
 * mode (embedded PostgreSQL with its data in {@code data}, development sign-in) on free ports, with the rate limits
 * off: a benchmark sends thousands of requests per second as one user from one address.
 */
final class PortalProcess implements AutoCloseable {

    private final Process process;
    private final int apiPort;
    private final int idpPort;
    private final double startSeconds;

    private PortalProcess(Process process, int apiPort, int idpPort, double startSeconds) {
        this.process = process;
        this.apiPort = apiPort;
        this.idpPort = idpPort;
        this.startSeconds = startSeconds;
    }

    static PortalProcess start(Path jar, Path data, Path log, List<String> jvmOptions) throws Exception {
        int ui = freePort();
        int api = freePort();
        int idp = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "--spring.profiles.active=dev",
                "--netportal.ui.port=" + ui, "--netportal.api.port=" + api, "--netportal.idp.port=" + idp,
                "--netportal.database.embedded.data-directory=" + data, "--netportal.rate-limits.enabled=false"));
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        PortalProcess portal = null;
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest liveness = HttpRequest.newBuilder(URI.create("http://localhost:" + api + "/actuator/health/liveness"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = started + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                // the API answers before the sign-in provider and the UI are up: ready is the portal's own log line
                if (Files.readString(log).contains("Netportal started in")
                        && http.send(liveness, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    portal = new PortalProcess(process, api, idp, (System.nanoTime() - started) / 1e9);
                    break;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        if (portal == null) {
            process.destroy();
            throw new IllegalStateException("the portal did not start within 180 s; see " + log + ":\n"
                    + String.join("\n", lastLines(log, 40)));
        }
        return portal;
    }

    String apiUrl() {
        return "http://localhost:" + apiPort;
    }

    String issuer() {
        return "http://localhost:" + idpPort;
    }

    double startSeconds() {
        return startSeconds;
    }

    long pid() {
        return process.pid();
    }

    /** The process's resident memory ({@code VmRSS}), in kilobytes. */
    long residentKilobytes() throws IOException {
        return Files.readAllLines(Path.of("/proc/" + process.pid() + "/status")).stream()
                .filter(line -> line.startsWith("VmRSS:"))
                .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
                .findFirst().orElseThrow();
    }

    /** Stops the portal as a service manager does (SIGTERM) and waits for it, so a JFR recording is written. */
    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static List<String> lastLines(Path log, int n) {
        try {
            List<String> lines = Files.readAllLines(log);
            return lines.subList(Math.max(0, lines.size() - n), lines.size());
        } catch (IOException e) {
            return List.of(e.toString());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
