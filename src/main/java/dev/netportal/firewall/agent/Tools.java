package dev.netportal.firewall.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the firewall tools (nft, vtysh, frr-reload.py) and tells a missing tool from a complaint. */
final class Tools {

    /** What a tool said: {@code missing} when it is not installed, else its exit code and output. */
    record Result(boolean missing, int exit, String output) {

        boolean ok() {
            return !missing && exit == 0;
        }

        /** The output, or the exit code when the tool said nothing. */
        String complaint() {
            return output.isEmpty() ? "exit " + exit : output;
        }
    }

    private Tools() {
    }

    /** How long a tool may take; a hung one (e.g. vtysh waiting for a stuck daemon) is killed after this. */
    static final long TIMEOUT_SECONDS = 30;

    /**
     * glibc's allocator settings for the tools, unless the environment has its own: nft builds its netlink batch in
     * blocks of 132 KB that glibc maps and unmaps one by one, page fault by page fault, which cost more than the
     * check itself (273 ms of CPU for 50 rulesets, 5.5 ms each). On the heap, on huge pages where the kernel allows
     * them ({@code madvise}), the same check takes 60-75 ms; vtysh gains a third. Other C libraries ignore it.
     */
    static final String MALLOC_TUNABLES = "glibc.malloc.mmap_threshold=4194304:glibc.malloc.hugetlb=1";

    /**
     * Checks each nftables file with {@code nft -c -f}, one after the other, in one user and network namespace of
     * their own (the checks need CAP_NET_ADMIN but must not touch this host): one process start and one namespace
     * for all of them. The namespace first gets a table of its own with a filter, a NAT and a conntrack hook, which
     * the checked rulesets never name: while a hook stays registered, a check that registers and drops the same
     * hooks does not switch the kernel's static keys on and off, which patches kernel code and costs about a sixth
     * of a check's CPU on this kind of virtual machine. Answers one result per file, in their order.
     */
    static List<Result> nftCheckEach(List<Path> files) throws InterruptedException {
        Path hooks;
        try {
            hooks = Files.createTempFile("netportal-nft-hooks-", ".nft");
            Files.writeString(hooks, HOOKS);
        } catch (IOException e) {
            Result failed = new Result(false, -1, "could not write a file for nft: " + e.getMessage());
            return files.stream().map(file -> failed).toList();
        }
        try {
            List<String> command = new ArrayList<>(List.of("unshare", "-rn", "sh", "-c", """
                    nft -f "$1" >/dev/null 2>&1
                    shift
                    for file in "$@"; do
                        nft -c -f "$file" >"$file.out" 2>&1
                        echo $? >"$file.exit"
                    done""", "sh", hooks.toString()));
            files.forEach(file -> command.add(file.toString()));
            Result all = run("unshare", command);
            List<Result> results = new ArrayList<>();
            for (Path file : files) {
                Path out = Path.of(file + ".out");
                Path exit = Path.of(file + ".exit");
                try {
                    if (all.missing() || !Files.exists(exit)) {
                        results.add(all.missing() ? new Result(true, -1, all.output())
                                : new Result(false, -1, "nft -c did not run: " + all.complaint()));
                        continue;
                    }
                    int code = Integer.parseInt(Files.readString(exit).strip());
                    String text = Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8).strip() : "";
                    // the shell's "nft: not found" (exit 127): nft is not installed
                    results.add(new Result(code == 127, code, text));
                } catch (IOException | NumberFormatException e) {
                    results.add(new Result(false, -1, "could not read what nft -c said: " + e.getMessage()));
                } finally {
                    deleteQuietly(out);
                    deleteQuietly(exit);
                }
            }
            return results;
        } finally {
            deleteQuietly(hooks);
        }
    }

    /** The hooks held while rulesets are checked (see {@link #nftCheckEach}); a name the rulesets never use. */
    private static final String HOOKS = """
            table inet netportal_check_hooks {
            	chain forward { type filter hook forward priority 100; policy accept; ct state established accept; }
            	chain postrouting { type nat hook postrouting priority 200; policy accept; }
            }
            """;

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temporary file left behind is harmless
        }
    }

    /** Runs the command; {@code tool} is the program that matters (the command may start it through another). */
    static Result run(String tool, List<String> command) throws InterruptedException {
        return run(tool, command, TIMEOUT_SECONDS);
    }

    /** Runs the command, giving up after the timeout. */
    static Result run(String tool, List<String> command, long timeoutSeconds) throws InterruptedException {
        Path output;
        try {
            // the output goes to a file, so waiting (with a timeout) never depends on the tool closing a pipe
            output = Files.createTempFile("netportal-tool-", ".out");
        } catch (IOException e) {
            return new Result(false, -1, "could not create a file for the output of " + command.get(0) + ": " + e.getMessage());
        }
        Process process = null;
        try {
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
                builder.environment().putIfAbsent("GLIBC_TUNABLES", MALLOC_TUNABLES);
                process = builder.start();
            } catch (IOException notInstalled) {
                return new Result(true, -1, notInstalled.getMessage());
            }
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                return new Result(false, -1, String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
            }
            String text = Files.readString(output, StandardCharsets.UTF_8).strip();
            // `unshare -rn nft ...` starts, then fails to find nft: that is a missing tool too
            boolean missing = process.exitValue() != 0 && text.contains("No such file or directory") && text.contains(tool);
            return new Result(missing, process.exitValue(), text);
        } catch (IOException e) {
            return new Result(false, -1, "could not read the output of " + command.get(0) + ": " + e.getMessage());
        } finally {
            // also when interrupted or timed out: no tool outlives the question asked of it
            if (process != null && process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            try {
                Files.deleteIfExists(output);
            } catch (IOException ignored) {
                // a temporary file left behind is harmless
            }
        }
    }
}
