package dev.netportal.firewall.dispatch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The agent of the local run, inside the portal ("record" mode): validates each configuration with
 * {@code vtysh -C} and {@code nft -c} where they are installed (a missing one is reported in the answer, not
 * skipped silently), applies nothing, and keeps the files of every revision in a directory per firewall.
 */
public class RecordingAgent implements Agent {

    private final Path directory;

    public RecordingAgent(Path directory) {
        this.directory = directory;
    }

    @Override
    public Mono<Answer> deliver(Delivery delivery) {
        return Mono.fromCallable(() -> record(delivery)).subscribeOn(Schedulers.boundedElastic());
    }

    private Answer record(Delivery delivery) throws IOException, InterruptedException {
        Path folder = Files.createDirectories(directory.resolve(delivery.firewall().toString()));
        Path frr = Files.writeString(folder.resolve(delivery.revision() + ".frr.conf"), delivery.frr());
        Path nft = Files.writeString(folder.resolve(delivery.revision() + ".nft"), delivery.nftables());
        List<String> missing = new ArrayList<>();
        String frrProblem = validate(missing, "vtysh", "vtysh", "-C", "-f", frr.toString());
        String nftProblem = validate(missing, "nft", "unshare", "-rn", "nft", "-c", "-f", nft.toString());
        if (frrProblem != null || nftProblem != null) {
            return new Rejected(delivery.revision(), (frrProblem == null ? "" : "vtysh -C: " + frrProblem + " ")
                    + (nftProblem == null ? "" : "nft -c: " + nftProblem).strip());
        }
        return new Applied(delivery.revision(), missing.isEmpty() ? null
                : "recorded without checking by " + String.join(" and ", missing) + " (not installed)");
    }

    /** Runs a validator; answers its complaint, or null when it accepts or is not installed (noted in missing). */
    private static String validate(List<String> missing, String tool, String... command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            missing.add(tool);
            return null;
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return "did not finish within 30 s";
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (process.exitValue() == 0) {
            return null;
        }
        if (output.contains("No such file or directory") && output.contains(tool)) {
            missing.add(tool);
            return null;
        }
        return output.isEmpty() ? "exit " + process.exitValue() : output;
    }
}
