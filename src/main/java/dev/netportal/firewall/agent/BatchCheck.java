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
 * exactly when each is valid), in files of a size the kernel takes at once, all in one namespace
 * ({@link Tools#nftCheckEach}). If the batch fails, every revision is checked on its own, so each rejection
 * carries its own validator message.
 */
public final class BatchCheck {

    /**
     * nft hands a file to the kernel as one netlink batch, which must fit the socket's send buffer: nft cannot raise it
     * in the user namespace it checks in, so it stays at the default 212,992 bytes, about 4.3 bytes of netlink per
     * character of ruleset (51 rulesets of 950 characters pass, 52 fail with "Message too long"). A chunk that is
     * too long all the same is checked again in halves.
     */
    static final int NFT_CHUNK_CHARACTERS = 32_000;

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
        return checkTogether(items, staged, scratch, NFT_CHUNK_CHARACTERS);
    }

    /** As above, with nftables files of at most about {@code chunkCharacters} each. */
    static List<String> checkTogether(List<Item> items, List<Integer> staged, Path scratch, int chunkCharacters)
            throws InterruptedException {
        StringBuilder frr = new StringBuilder();
        List<String> rulesets = new ArrayList<>();
        for (int i : staged) {
            if (items.get(i).agent().mode() != FirewallAgent.Mode.RECORD) {
                return null;
            }
            frr.append(items.get(i).delivery().frr()).append('\n');
            rulesets.add(items.get(i).delivery().nftables());
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
            if (!problems.isEmpty()) {
                return null;
            }
            List<List<String>> chunks = new ArrayList<>();
            int from = 0;
            int characters = 0;
            for (int i = 0; i < rulesets.size(); i++) {
                if (i > from && characters + rulesets.get(i).length() > chunkCharacters) {
                    chunks.add(rulesets.subList(from, i));
                    from = i;
                    characters = 0;
                }
                characters += rulesets.get(i).length() + 1;
            }
            chunks.add(rulesets.subList(from, rulesets.size()));
            return nftAccepts(chunks, scratch, files, notes) ? notes : null;
        } catch (IOException e) {
            return null;
        } finally {
            files.forEach(BatchCheck::deleteQuietly);
        }
    }

    /**
     * Whether {@code nft -c} accepts every chunk of rulesets, each as one file, all checked in one namespace (a
     * missing nft is a note); a file that is too long for one netlink batch is checked again in two halves.
     */
    private static boolean nftAccepts(List<List<String>> chunks, Path scratch, List<Path> files, List<String> notes)
            throws IOException, InterruptedException {
        List<List<String>> pending = chunks;
        while (!pending.isEmpty()) {
            List<Path> chunkFiles = new ArrayList<>();
            for (List<String> chunk : pending) {
                StringBuilder text = new StringBuilder();
                chunk.forEach(ruleset -> text.append(ruleset).append('\n'));
                Path file = Files.writeString(Files.createTempFile(scratch, "batch-", ".nft"), text);
                files.add(file);
                chunkFiles.add(file);
            }
            List<Tools.Result> results = Tools.nftCheckEach(chunkFiles);
            List<List<String>> halves = new ArrayList<>();
            for (int i = 0; i < pending.size(); i++) {
                List<String> chunk = pending.get(i);
                Tools.Result result = results.get(i);
                if (chunk.size() > 1 && !result.ok() && !result.missing() && result.output().contains("Message too long")) {
                    halves.add(chunk.subList(0, chunk.size() / 2));
                    halves.add(chunk.subList(chunk.size() / 2, chunk.size()));
                    continue;
                }
                List<String> chunkNotes = new ArrayList<>();
                List<String> problems = new ArrayList<>();
                FirewallAgent.check(result, "nft -c", "nft", chunkNotes, problems);
                if (!problems.isEmpty()) {
                    return false;
                }
                if (!notes.containsAll(chunkNotes)) {
                    notes.addAll(chunkNotes);
                }
            }
            pending = halves;
        }
        return true;
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
