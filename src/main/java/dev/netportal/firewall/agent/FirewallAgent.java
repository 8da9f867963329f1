package dev.netportal.firewall.agent;

import dev.netportal.firewall.protocol.Agent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * What runs on one firewall (D3): receives configuration revisions, never goes back to an older one, validates
 * each ({@code vtysh -C}, {@code nft -c}; a validator that is not installed is named in the answer), and then
 * either applies it atomically ({@link Mode#APPLY}: {@code nft -f} replaces the Netportal table in one
 * transaction, {@code frr-reload.py} moves a running FRR to the new configuration) or only keeps the files
 * ({@link Mode#RECORD}). The files of every revision stay in the firewall's directory.
 */
public final class FirewallAgent {

    /** What the agent does with a valid configuration. */
    public enum Mode {
        /** Validate and keep the files: the local run, and a dry run on a real firewall. */
        RECORD,
        /** Validate, keep the files and apply them to this host's nftables and FRR. */
        APPLY
    }

    private final UUID firewall;
    private final Path directory;
    private final Mode mode;
    private final boolean remembers;
    private final String frrReload;
    private final List<String> nft;
    private final List<String> frrRunning;
    private final long toolTimeoutSeconds;
    private volatile int appliedRevision;   // written under this; read without it (the status on the stream never waits for a check)
    private volatile String appliedHash;    // written under this

    /**
     * @param remembers whether the applied revision survives a restart (a state file in the directory); the
     *                  portal's built-in agents start from nothing, as a freshly installed firewall would
     * @param frrReload the path of FRR's {@code frr-reload.py}
     */
    public FirewallAgent(UUID firewall, Path directory, Mode mode, boolean remembers, String frrReload) {
        this(firewall, directory, mode, remembers, frrReload, List.of("nft"), List.of("vtysh", "-c", "show version"));
    }

    /**
     * @param nft        how nft is started to apply (tests apply inside a network namespace of their own)
     * @param frrRunning a command that succeeds when FRR runs here
     */
    FirewallAgent(UUID firewall, Path directory, Mode mode, boolean remembers, String frrReload, List<String> nft,
            List<String> frrRunning) {
        this(firewall, directory, mode, remembers, frrReload, nft, frrRunning, Tools.TIMEOUT_SECONDS);
    }

    /**
     * @param toolTimeoutSeconds how long each tool may take (the datapath bench's emulated machine needs longer
     *                           than a firewall)
     */
    FirewallAgent(UUID firewall, Path directory, Mode mode, boolean remembers, String frrReload, List<String> nft,
            List<String> frrRunning, long toolTimeoutSeconds) {
        this.toolTimeoutSeconds = toolTimeoutSeconds;
        this.nft = List.copyOf(nft);
        this.frrRunning = List.copyOf(frrRunning);
        this.firewall = firewall;
        this.directory = directory;
        this.mode = mode;
        this.remembers = remembers;
        this.frrReload = frrReload;
        Properties state = remembers ? load(directory.resolve("state")) : new Properties();
        this.appliedRevision = Integer.parseInt(state.getProperty("revision", "0"));
        this.appliedHash = state.getProperty("hash");
    }

    public UUID firewall() {
        return firewall;
    }

    public Mode mode() {
        return mode;
    }

    public int appliedRevision() {
        return appliedRevision;
    }

    /** The hash of the revision it runs; null while it runs none. */
    public String appliedHash() {
        return appliedHash;
    }

    /** Takes one revision: answers what became of it. Deliveries are handled one at a time. */
    public synchronized Agent.Answer receive(Agent.Delivery delivery) throws InterruptedException {
        Agent.Answer early = screen(delivery);
        if (early != null) {
            return early;
        }
        Written written;
        try {
            written = write(delivery);
        } catch (IOException e) {
            return unwritable(delivery, e);
        }
        List<String> notes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        check(Tools.run("vtysh", List.of("vtysh", "-C", "-f", written.frr().toString()), toolTimeoutSeconds), "vtysh -C", "vtysh",
                notes, problems);
        // a user and network namespace of its own: the check needs CAP_NET_ADMIN but must not touch this host
        check(Tools.run("nft", List.of("unshare", "-rn", "nft", "-c", "-f", written.nftables().toString()), toolTimeoutSeconds),
                "nft -c", "nft",
                notes, problems);
        if (!problems.isEmpty()) {
            return new Agent.Rejected(delivery.revision(), String.join("; ", problems));
        }
        if (mode == Mode.APPLY) {
            Tools.Result applied = Tools.run("nft", withFile(nft, written.nftables()), toolTimeoutSeconds);
            if (!applied.ok()) {
                return new Agent.Rejected(delivery.revision(), "nft -f: " + applied.complaint());
            }
            String reload = reloadFrr(written.frr(), notes);
            if (reload != null) {
                // filtering and routing go together: the rules of the revision that runs come back
                return new Agent.Rejected(delivery.revision(), "frr-reload.py: " + reload + "; " + restoreRules());
            }
        }
        return applied(delivery, notes);
    }

    /** The files of one revision, written in the firewall's directory. */
    public record Written(Path frr, Path nftables) {
    }

    /**
     * The answer a revision gets without looking at it: "newer" when it is older than the one running, "applied"
     * when it is the one running; null when it must be checked.
     */
    public synchronized Agent.Answer screen(Agent.Delivery delivery) {
        if (delivery.revision() < appliedRevision) {
            return new Agent.Newer(appliedRevision);
        }
        if (delivery.revision() == appliedRevision && delivery.hash().equals(appliedHash)) {
            return new Agent.Applied(appliedRevision, "revision " + appliedRevision + " runs already");
        }
        return null;
    }

    /** Keeps the revision's files. */
    public synchronized Written write(Agent.Delivery delivery) throws IOException {
        Files.createDirectories(directory);
        return new Written(Files.writeString(directory.resolve(delivery.revision() + ".frr.conf"), delivery.frr()),
                Files.writeString(directory.resolve(delivery.revision() + ".nft"), delivery.nftables()));
    }

    Agent.Answer unwritable(Agent.Delivery delivery, IOException e) {
        return new Agent.Rejected(delivery.revision(), "could not write the configuration files in " + directory + ": "
                + e.getMessage());
    }

    /**
     * Records a revision that was checked elsewhere as the one running (record mode only: the portal's built-in
     * agents check many firewalls' revisions in one run of each validator).
     */
    public synchronized Agent.Answer recordChecked(Agent.Delivery delivery, List<String> notes) {
        if (mode != Mode.RECORD) {
            throw new IllegalStateException("only a record-mode agent takes a revision checked elsewhere");
        }
        return applied(delivery, notes);
    }

    private Agent.Answer applied(Agent.Delivery delivery, List<String> notes) {
        if (delivery.revision() < appliedRevision) {
            // a newer revision was taken while this one was being checked (a batch that outlived its delivery)
            return new Agent.Newer(appliedRevision);
        }
        appliedRevision = delivery.revision();
        appliedHash = delivery.hash();
        if (remembers) {
            save();
        }
        return new Agent.Applied(delivery.revision(), notes.isEmpty() ? null : String.join("; ", notes));
    }

    /**
     * Moves a running FRR to the new configuration; answers its complaint, or null when it reloaded or when FRR
     * does not run on this host (then a note says so: nothing to apply the routing to).
     */
    private String reloadFrr(Path frr, List<String> notes) throws InterruptedException {
        if (!Tools.run("vtysh", frrRunning, toolTimeoutSeconds).ok()) {
            notes.add("FRR does not run on this host: the routing configuration was checked and kept, not applied");
            return null;
        }
        Tools.Result reload = Tools.run("frr-reload.py", List.of(frrReload, "--reload", frr.toString()), toolTimeoutSeconds);
        return reload.ok() ? null : reload.complaint();
    }

    /** Applies the nftables rules of the revision that runs again (after a half-applied revision). */
    private String restoreRules() throws InterruptedException {
        Path previous = directory.resolve(appliedRevision + ".nft");
        if (appliedRevision == 0 || !Files.exists(previous)) {
            return "no earlier revision to restore the nftables rules from; the new rules stay until the next revision";
        }
        Tools.Result restored = Tools.run("nft", withFile(nft, previous), toolTimeoutSeconds);
        return restored.ok() ? "the nftables rules of revision " + appliedRevision + " were restored"
                : "restoring the nftables rules of revision " + appliedRevision + " failed too: " + restored.complaint();
    }

    private static List<String> withFile(List<String> command, Path file) {
        List<String> full = new ArrayList<>(command);
        full.addAll(List.of("-f", file.toString()));
        return full;
    }

    /** Sorts a validator's result: a missing tool becomes a note, a complaint a problem. */
    static void check(Tools.Result result, String name, String tool, List<String> notes, List<String> problems) {
        if (result.missing()) {
            notes.add(tool + " is not installed: " + name + " was not run");
        } else if (!result.ok()) {
            problems.add(name + ": " + result.complaint());
        }
    }

    private void save() {
        Properties state = new Properties();
        state.setProperty("revision", Integer.toString(appliedRevision));
        state.setProperty("hash", appliedHash);
        try {
            Path next = directory.resolve("state.next");
            try (var out = Files.newOutputStream(next)) {
                state.store(out, "Netportal agent: the revision this firewall runs");
            }
            Files.move(next, directory.resolve("state"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not keep the applied revision in " + directory, e);
        }
    }

    private static Properties load(Path file) {
        Properties state = new Properties();
        if (Files.exists(file)) {
            try (var in = Files.newInputStream(file)) {
                state.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("could not read the agent's state " + file, e);
            }
        }
        return state;
    }
}
