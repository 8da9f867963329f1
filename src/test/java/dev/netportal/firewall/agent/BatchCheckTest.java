package dev.netportal.firewall.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.firewall.protocol.Agent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Revisions checked together: all pass together, or each is checked alone and only the broken one is rejected. */
class BatchCheckTest {

    @TempDir
    Path directory;

    private static String golden(String name) throws Exception {
        return Files.readString(Path.of("src/test/resources/render", name));
    }

    private BatchCheck.Item item(String shape, int revision, String nftables) throws Exception {
        UUID firewall = UUID.randomUUID();
        FirewallAgent agent = new FirewallAgent(firewall, directory.resolve(firewall.toString()), FirewallAgent.Mode.RECORD,
                false, "frr-reload.py");
        return new BatchCheck.Item(agent, new Agent.Delivery(firewall, revision, "h" + revision, golden(shape + ".frr"),
                nftables == null ? golden(shape + ".nft") : nftables));
    }

    @Test
    void validRevisionsPassTogetherAndAreRecorded() throws Exception {
        List<BatchCheck.Item> items = List.of(item("two-shared", 1, null), item("shared-with-nat", 1, null),
                item("private-internet", 1, null));
        List<Agent.Answer> answers = BatchCheck.receive(items, directory.resolve("scratch"));
        assertThat(answers).allSatisfy(answer -> assertThat(answer).isInstanceOf(Agent.Applied.class));
        for (BatchCheck.Item item : items) {
            assertThat(item.agent().appliedRevision()).isEqualTo(1);
            assertThat(directory.resolve(item.delivery().firewall() + "/1.nft")).exists();
        }
        assertThat(directory.resolve("scratch")).isEmptyDirectory();
    }

    @Test
    void aBrokenRevisionIsRejectedWithItsOwnMessageAndTheOthersStillPass() throws Exception {
        List<BatchCheck.Item> items = List.of(item("two-shared", 4, null),
                item("shared-with-nat", 2, golden("shared-with-nat.nft").replace("policy drop;", "policy sometimes;")),
                item("private-internet", 7, null));
        List<Agent.Answer> answers = BatchCheck.receive(items, directory.resolve("scratch"));
        assertThat(answers.get(0)).isInstanceOf(Agent.Applied.class);
        assertThat(answers.get(2)).isInstanceOf(Agent.Applied.class);
        assertThat(answers.get(1)).isInstanceOfSatisfying(Agent.Rejected.class, rejected -> {
            assertThat(rejected.revision()).isEqualTo(2);
            assertThat(rejected.message()).startsWith("nft -c:").contains("sometimes").doesNotContain("two-shared");
        });
        assertThat(items.get(1).agent().appliedRevision()).isZero();
        assertThat(items.get(2).agent().appliedRevision()).isEqualTo(7);
    }

    @Test
    void manyRevisionsAreCheckedInChunksThatTheKernelTakes() throws Exception {
        List<BatchCheck.Item> items = new java.util.ArrayList<>();
        for (int i = 0; i < 80; i++) {
            items.add(item("two-shared", 1, null));
        }
        assertThat(items.stream().mapToInt(item -> item.delivery().nftables().length()).sum())
                .as("more than one chunk").isGreaterThan(2 * BatchCheck.NFT_CHUNK_CHARACTERS);
        assertThat(BatchCheck.checkTogether(items, java.util.stream.IntStream.range(0, 80).boxed().toList(),
                directory.resolve("scratch"))).as("passed together, not each alone").isNotNull().isEmpty();
    }

    @Test
    void aChunkTooLongForOneNetlinkBatchIsCheckedInHalves() throws Exception {
        List<BatchCheck.Item> items = new java.util.ArrayList<>();
        for (int i = 0; i < 120; i++) {
            items.add(item("two-shared", 1, null));
        }
        // 120 rulesets in one file are more than the kernel takes at once ("Message too long")
        java.nio.file.Path whole = java.nio.file.Files.writeString(directory.resolve("whole.nft"),
                String.join("\n", items.stream().map(item -> item.delivery().nftables()).toList()));
        assertThat(Tools.nftCheckEach(List.of(whole)).getFirst().output()).as("one file is too long for one batch")
                .contains("Message too long");
        assertThat(BatchCheck.checkTogether(items, java.util.stream.IntStream.range(0, 120).boxed().toList(),
                directory.resolve("scratch"), Integer.MAX_VALUE)).as("passed in halves, not each alone").isNotNull().isEmpty();
        assertThat(directory.resolve("scratch")).isEmptyDirectory();
    }

    @Test
    void aRevisionCheckedWhileANewerOneWasTakenIsNotRecorded() throws Exception {
        BatchCheck.Item newer = item("two-shared", 6, null);
        Agent.Delivery older = new Agent.Delivery(newer.delivery().firewall(), 5, "h5", newer.delivery().frr(),
                newer.delivery().nftables());
        assertThat(newer.agent().screen(older)).as("not yet: nothing runs").isNull();
        BatchCheck.receive(List.of(newer), directory.resolve("scratch"));
        assertThat(newer.agent().recordChecked(older, List.of())).isEqualTo(new Agent.Newer(6));
        assertThat(newer.agent().appliedRevision()).isEqualTo(6);
    }

    @Test
    void anOlderRevisionIsAnsweredWithoutChecking() throws Exception {
        BatchCheck.Item first = item("two-shared", 5, null);
        BatchCheck.receive(List.of(first), directory.resolve("scratch"));
        Agent.Delivery older = new Agent.Delivery(first.delivery().firewall(), 3, "h3", "garbage", "garbage");
        assertThat(BatchCheck.receive(List.of(new BatchCheck.Item(first.agent(), older)), directory.resolve("scratch")))
                .containsExactly(new Agent.Newer(5));
    }
}
