package dev.netportal.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

    /** Runs the command; {@code tool} is the program that matters (the command may start it through another). */
    static Result run(String tool, List<String> command) throws InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            return new Result(true, -1, notInstalled.getMessage());
        }
        try {
            // the output is read before waiting, so a chatty tool never blocks on a full pipe
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(false, -1, String.join(" ", command) + " did not finish within 30 s");
            }
            // `unshare -rn nft ...` starts, then fails to find nft: that is a missing tool too
            boolean missing = process.exitValue() != 0 && output.contains("No such file or directory") && output.contains(tool);
            return new Result(missing, process.exitValue(), output);
        } catch (IOException e) {
            process.destroyForcibly();
            return new Result(false, -1, "could not read the output of " + command.get(0) + ": " + e.getMessage());
        }
    }
}
