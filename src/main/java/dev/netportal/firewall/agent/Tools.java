package dev.netportal.firewall.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** Runs the command; {@code tool} is the program that matters (the command may start it through another). */
    static Result run(String tool, List<String> command) throws InterruptedException {
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
                process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            } catch (IOException notInstalled) {
                return new Result(true, -1, notInstalled.getMessage());
            }
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                return new Result(false, -1, String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + " s");
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
