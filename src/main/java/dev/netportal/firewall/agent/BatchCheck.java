package dev.netportal.firewall.agent;

import dev.netportal.firewall.protocol.Agent;
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

    /** nft hands a file to the kernel as one netlink batch, which has a size limit (about 40 rulesets of 1 KB fail). */
    static final int NFT_CHUNK_CHARACTERS = 16_000;

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
    static List<String> checkTogether(List<Item> items, List<Integer> staged, Path scratch) throws InterruptedException {
        StringBuilder frr = new StringBuilder();
        List<StringBuilder> nftables = new ArrayList<>(List.of(new StringBuilder()));
        for (int i : staged) {
            if (items.get(i).agent().mode() != FirewallAgent.Mode.RECORD) {
                return null;
            }
            frr.append(items.get(i).delivery().frr()).append('\n');
            String ruleset = items.get(i).delivery().nftables();
            if (nftables.getLast().length() > 0 && nftables.getLast().length() + ruleset.length() > NFT_CHUNK_CHARACTERS) {
                nftables.add(new StringBuilder());
            }
            nftables.getLast().append(ruleset).append('\n');
        }
        List<Path> files = new ArrayList<>();
        try {
            Files.createDirectories(scratch);
            Path frrFile = Files.writeString(Files.createTempFile(scratch, "batch-", ".frr.conf"), frr);
            files.add(frrFile);
            List<String> notes = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            FirewallAgent.check(Tools.run("vtysh", List.of("vtysh", "-C", "-f", frrFile.toString())), "vtysh -C", "vtysh",
                    notes, problems);
            for (StringBuilder chunk : nftables) {
                Path nftFile = Files.writeString(Files.createTempFile(scratch, "batch-", ".nft"), chunk);
                files.add(nftFile);
                List<String> chunkNotes = new ArrayList<>();
                FirewallAgent.check(Tools.run("nft", List.of("unshare", "-rn", "nft", "-c", "-f", nftFile.toString())), "nft -c",
                        "nft", chunkNotes, problems);
                if (!problems.isEmpty()) {
                    return null;
                }
                if (!notes.containsAll(chunkNotes)) {
                    notes.addAll(chunkNotes);
                }
            }
            return problems.isEmpty() ? notes : null;
        } catch (IOException e) {
            return null;
        } finally {
            files.forEach(BatchCheck::deleteQuietly);
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
