package dev.netportal.testing;

import dev.netportal.Netportal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * A running Netportal for tests: development mode (demo users, sign-in provider), a fresh database and free
 * random ports, so it never clashes with a portal running on the default ports; rate limits are off unless a test
 * turns them on ({@code --netportal.rate-limits.enabled=true}). {@link #shared()} starts one
 * per test JVM; tests that need other settings start their own and close it.
 */
public final class TestPortal implements AutoCloseable {

    private static TestPortal shared;

    private final Netportal portal;
    private final int uiPort;
    private final int apiPort;
    private final int idpPort;
    private final TestDatabase.Coordinates database;

    private TestPortal(Netportal portal, int uiPort, int apiPort, int idpPort, TestDatabase.Coordinates database) {
        this.portal = portal;
        this.uiPort = uiPort;
        this.apiPort = apiPort;
        this.idpPort = idpPort;
        this.database = database;
    }

    /** The portal shared by the tests of this JVM (all modes, development sign-in). */
    public static synchronized TestPortal shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    /** Starts a portal of its own in development mode; extra arguments such as {@code --netportal.mode=api} come last. */
    public static TestPortal start(String... extraArguments) {
        List<String> args = new ArrayList<>(List.of("--spring.profiles.active=dev"));
        args.addAll(List.of(extraArguments));
        return startWith(args);
    }

    /** Starts a portal of its own with exactly these arguments (plus ports and database), e.g. without development mode. */
    public static TestPortal startWith(List<String> arguments) {
        return startOn(TestDatabase.fresh(), arguments);
    }

    /** Starts a second instance on an existing database, as a deployment with several replicas does. */
    public static TestPortal startOn(TestDatabase.Coordinates database, List<String> arguments) {
        int ui = freePort();
        int api = freePort();
        int idp = freePort();
        List<String> args = new ArrayList<>(List.of(
                "--netportal.ui.port=" + ui, "--netportal.api.port=" + api, "--netportal.idp.port=" + idp));
        args.addAll(database.springArguments());
        if (arguments.stream().noneMatch(a -> a.startsWith("--netportal.rate-limits.enabled="))) {
            // tests send many requests as few users from one address; the rate limits have tests of their own
            args.add("--netportal.rate-limits.enabled=false");
        }
        args.addAll(arguments);
        return new TestPortal(Netportal.start(args.toArray(String[]::new)), ui, api, idp, database);
    }

    public Netportal portal() {
        return portal;
    }

    public int uiPort() {
        return uiPort;
    }

    public String uiUrl() {
        return "http://localhost:" + uiPort;
    }

    public String apiUrl() {
        return "http://localhost:" + apiPort;
    }

    public int apiPort() {
        return apiPort;
    }

    public int idpPort() {
        return idpPort;
    }

    public String issuer() {
        return "http://localhost:" + idpPort;
    }

    public TestDatabase.Coordinates database() {
        return database;
    }

    @Override
    public void close() {
        portal.close();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
