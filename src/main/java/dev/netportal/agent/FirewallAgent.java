package dev.netportal.agent;

import dev.netportal.firewall.dispatch.Agent;
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
    private int appliedRevision;   // guarded by this
    private String appliedHash;    // guarded by this

    /**
     * @param remembers whether the applied revision survives a restart (a state file in the directory); the
     *                  portal's built-in agents start from nothing, as a freshly installed firewall would
     * @param frrReload the path of FRR's {@code frr-reload.py}
     */
    public FirewallAgent(UUID firewall, Path directory, Mode mode, boolean remembers, String frrReload) {
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

    public synchronized int appliedRevision() {
        return appliedRevision;
    }

    /** Takes one revision: answers what became of it. Deliveries are handled one at a time. */
    public synchronized Agent.Answer receive(Agent.Delivery delivery) throws InterruptedException {
        if (delivery.revision() < appliedRevision) {
            return new Agent.Newer(appliedRevision);
        }
        if (delivery.revision() == appliedRevision && delivery.hash().equals(appliedHash)) {
            return new Agent.Applied(appliedRevision, "revision " + appliedRevision + " runs already");
        }
        Path frr;
        Path nft;
        try {
            Files.createDirectories(directory);
            frr = Files.writeString(directory.resolve(delivery.revision() + ".frr.conf"), delivery.frr());
            nft = Files.writeString(directory.resolve(delivery.revision() + ".nft"), delivery.nftables());
        } catch (IOException e) {
            return new Agent.Rejected(delivery.revision(), "could not write the configuration files in " + directory
                    + ": " + e.getMessage());
        }
        List<String> notes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        check(Tools.run("vtysh", List.of("vtysh", "-C", "-f", frr.toString())), "vtysh -C", "vtysh", notes, problems);
        // a user and network namespace of its own: the check needs CAP_NET_ADMIN but must not touch this host
        check(Tools.run("nft", List.of("unshare", "-rn", "nft", "-c", "-f", nft.toString())), "nft -c", "nft", notes, problems);
        if (!problems.isEmpty()) {
            return new Agent.Rejected(delivery.revision(), String.join("; ", problems));
        }
        if (mode == Mode.APPLY) {
            Tools.Result applied = Tools.run("nft", List.of("nft", "-f", nft.toString()));
            if (!applied.ok()) {
                return new Agent.Rejected(delivery.revision(), "nft -f: " + applied.complaint());
            }
            String routing = reloadFrr(frr);
            if (routing != null) {
                notes.add(routing);
            }
        }
        appliedRevision = delivery.revision();
        appliedHash = delivery.hash();
        if (remembers) {
            save();
        }
        return new Agent.Applied(delivery.revision(), notes.isEmpty() ? null : String.join("; ", notes));
    }

    /** Moves a running FRR to the new configuration; answers a note when FRR does not run here. */
    private String reloadFrr(Path frr) throws InterruptedException {
        if (!Tools.run("vtysh", List.of("vtysh", "-c", "show version")).ok()) {
            return "FRR does not run on this host: the routing configuration was checked and kept, not applied";
        }
        Tools.Result reload = Tools.run("frr-reload.py", List.of(frrReload, "--reload", frr.toString()));
        return reload.ok() ? null : "frr-reload.py: " + reload.complaint();
    }

    private static void check(Tools.Result result, String name, String tool, List<String> notes, List<String> problems) {
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
