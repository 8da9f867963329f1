package dev.netportal.agent;

import dev.netportal.firewall.dispatch.Agent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Checks the revisions of many record-mode agents with one run of each validator: starting {@code vtysh} costs
 * about 0.1 s, which would otherwise bound how fast the portal's built-in agents follow a change that touches
 * hundreds of firewalls. The rendered FRR files are checked together (vtysh -C checks syntax, line by line) and
 * the nftables files together (each replaces the Netportal table, so together they are one valid transaction
 * exactly when each is valid). If the batch fails, every revision is checked on its own, so each rejection
 * carries its own validator message.
 */
public final class BatchCheck {

    /** One revision for one agent. */
    public record Item(FirewallAgent agent, Agent.Delivery delivery) {
    }

    private BatchCheck() {
    }

    /** The answers, in the order of the items. */
    public static List<Agent.Answer> receive(List<Item> items, Path scratch) throws InterruptedException {
        Agent.Answer[] answers = new Agent.Answer[items.size()];
        List<Integer> staged = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            answers[i] = item.agent().screen(item.delivery());
            if (answers[i] == null) {
                try {
                    item.agent().write(item.delivery());
                    staged.add(i);
                } catch (IOException e) {
                    answers[i] = item.agent().unwritable(item.delivery(), e);
                }
            }
        }
        List<String> notes = staged.size() > 1 ? checkTogether(items, staged, scratch) : null;
        for (int i : staged) {
            Item item = items.get(i);
            answers[i] = notes != null ? item.agent().recordChecked(item.delivery(), notes) : item.agent().receive(item.delivery());
        }
        return Arrays.asList(answers);
    }

    /** The notes (missing validators) when all staged revisions pass together; null when they must be checked alone. */
    private static List<String> checkTogether(List<Item> items, List<Integer> staged, Path scratch) throws InterruptedException {
        StringBuilder frr = new StringBuilder();
        StringBuilder nftables = new StringBuilder();
        for (int i : staged) {
            if (items.get(i).agent().mode() != FirewallAgent.Mode.RECORD) {
                return null;
            }
            frr.append(items.get(i).delivery().frr()).append('\n');
            nftables.append(items.get(i).delivery().nftables()).append('\n');
        }
        Path frrFile = null;
        Path nftFile = null;
        try {
            Files.createDirectories(scratch);
            frrFile = Files.writeString(Files.createTempFile(scratch, "batch-", ".frr.conf"), frr);
            nftFile = Files.writeString(Files.createTempFile(scratch, "batch-", ".nft"), nftables);
            List<String> notes = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            FirewallAgent.check(Tools.run("vtysh", List.of("vtysh", "-C", "-f", frrFile.toString())), "vtysh -C", "vtysh",
                    notes, problems);
            FirewallAgent.check(Tools.run("nft", List.of("unshare", "-rn", "nft", "-c", "-f", nftFile.toString())), "nft -c",
                    "nft", notes, problems);
            return problems.isEmpty() ? notes : null;
        } catch (IOException e) {
            return null;
        } finally {
            deleteQuietly(frrFile);
            deleteQuietly(nftFile);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a scratch file left behind is harmless
            }
        }
    }
}
