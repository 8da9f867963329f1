package dev.netportal.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netportal.common.DomainException;
import dev.netportal.identity.ProjectId;
import dev.netportal.network.Network;
import dev.netportal.network.NetworkId;
import dev.netportal.network.NetworkType;
import dev.netportal.partition.PartitionId;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The placement rules as a table: which networks a machine or firewall of project "own" in fra-1 may have. */
class PlacementTest {

    private static final ProjectId OWN = new ProjectId("own");
    private static final ProjectId OTHER = new ProjectId("other");

    private static Network network(String name, NetworkType type, ProjectId project, String partition) {
        return new Network(new NetworkId(UUID.nameUUIDFromBytes(name.getBytes())), name, project, new PartitionId(partition), type, dev.netportal.common.NatType.NONE, dev.netportal.ipam.Prefix.parse("10.0.0.0/24"),
                List.of(dev.netportal.ipam.Prefix.parse("10.0.0.0/24")), 100, "", Map.of(), 0, 253, 0, java.math.BigInteger.ZERO, OffsetDateTime.now());
    }

    private static final Network PRIVATE = network("private", NetworkType.CHILD, OWN, "fra-1");
    private static final Network PRIVATE_2 = network("private-2", NetworkType.CHILD, OWN, "fra-1");
    private static final Network OTHER_PRIVATE = network("other-private", NetworkType.CHILD, OTHER, "fra-1");
    private static final Network OWN_SHARED = network("own-shared", NetworkType.CHILD_SHARED, OWN, "fra-1");
    private static final Network OWN_SHARED_2 = network("own-shared-2", NetworkType.CHILD_SHARED, OWN, "fra-1");
    private static final Network OTHER_SHARED = network("other-shared", NetworkType.CHILD_SHARED, OTHER, "fra-1");
    private static final Network INTERNET = network("internet", NetworkType.EXTERNAL, null, "fra-1");
    private static final Network POOL = network("pool", NetworkType.SUPER, null, "fra-1");
    private static final Network ELSEWHERE = network("elsewhere", NetworkType.CHILD, OWN, "nbg-1");

    static Stream<Arguments> machines() {
        return Stream.of(
                Arguments.of(List.of(PRIVATE), "private"),
                Arguments.of(List.of(OWN_SHARED), "own-shared"),
                Arguments.of(List.of(), "M1-one-network"),
                Arguments.of(List.of(PRIVATE, PRIVATE_2), "M1-one-network"),
                // another project's private network is not found (V1), not named by a rule
                Arguments.of(List.of(OTHER_PRIVATE), "not-found"),
                Arguments.of(List.of(OTHER_SHARED), "M1-other-project"),
                Arguments.of(List.of(INTERNET), "M1-network-type"),
                Arguments.of(List.of(ELSEWHERE), "S5-partition"));
    }

    @ParameterizedTest(name = "machine in {0} -> {1}")
    @MethodSource("machines")
    void machine(List<Network> networks, String expected) {
        check(() -> Placement.machine(OWN, new PartitionId("fra-1"), networks), expected);
    }

    static Stream<Arguments> firewalls() {
        return Stream.of(
                Arguments.of(List.of(PRIVATE, INTERNET), "private"),
                Arguments.of(List.of(PRIVATE, OTHER_SHARED, OWN_SHARED, INTERNET), "private"),
                Arguments.of(List.of(OWN_SHARED, INTERNET), "own-shared"),
                Arguments.of(List.of(OWN_SHARED, OTHER_SHARED, INTERNET), "own-shared"),
                Arguments.of(List.of(PRIVATE, PRIVATE_2, INTERNET), "F3-second-private"),
                Arguments.of(List.of(OTHER_PRIVATE, INTERNET), "not-found"),
                Arguments.of(List.of(PRIVATE, OTHER_PRIVATE, INTERNET), "not-found"),
                Arguments.of(List.of(PRIVATE), "F1-external-required"),
                Arguments.of(List.of(INTERNET), "F1-private-required"),
                Arguments.of(List.of(OTHER_SHARED, INTERNET), "F1-primary-shared"),
                Arguments.of(List.of(OWN_SHARED, OWN_SHARED_2, INTERNET), "F1-primary-shared"),
                Arguments.of(List.of(PRIVATE, INTERNET, INTERNET), "F1-duplicate"),
                Arguments.of(List.of(PRIVATE, POOL, INTERNET), "F1-network-type"),
                Arguments.of(List.of(ELSEWHERE, INTERNET), "S5-partition"));
    }

    @ParameterizedTest(name = "firewall with {0} -> {1}")
    @MethodSource("firewalls")
    void firewall(List<Network> networks, String expected) {
        check(() -> Placement.firewall(OWN, new PartitionId("fra-1"), networks), expected);
    }

    static Stream<Arguments> attaches() {
        return Stream.of(
                Arguments.of(OTHER_SHARED, List.of(), "ok"),
                Arguments.of(OTHER_SHARED, List.of(attachment(OTHER_SHARED)), "F1-duplicate"),
                // one rule, one answer (F3): a firewall without a private network keeps exactly one own shared one
                Arguments.of(OWN_SHARED_2, List.of(attachment(OWN_SHARED), attachment(INTERNET)), "F1-primary-shared"),
                Arguments.of(OWN_SHARED_2, List.of(attachment(PRIVATE), attachment(OWN_SHARED), attachment(INTERNET)), "ok"),
                Arguments.of(PRIVATE_2, List.of(), "F3-second-private"),
                Arguments.of(INTERNET, List.of(), "F2-shared-only"),
                Arguments.of(OTHER_PRIVATE, List.of(), "not-found"),
                Arguments.of(network("far-private", NetworkType.CHILD, OTHER, "nbg-1"), List.of(), "not-found"),
                Arguments.of(network("far-shared", NetworkType.CHILD_SHARED, OTHER, "nbg-1"), List.of(), "S5-partition"));
    }

    @ParameterizedTest(name = "attach {0} to a firewall with {1} -> {2}")
    @MethodSource("attaches")
    void attach(Network network, List<Machine.Attachment> attached, String expected) {
        check(() -> {
            Placement.attachable(OWN, new PartitionId("fra-1"), attached, network);
            return null;
        }, expected);
    }

    private static Machine.Attachment attachment(Network network) {
        return new Machine.Attachment(network.id(), network.name(), network.type(),
                network.project() == null ? null : network.project().value(), network.natType(), List.of("10.0.0.9"), false);
    }

    private static void check(java.util.function.Supplier<Network> rule, String expected) {
        if (expected.equals("not-found")) {
            assertThatThrownBy(rule::get).isInstanceOfSatisfying(DomainException.class, e -> {
                assertThat(e.code()).isEqualTo("not-found");
                assertThat(e.getMessage()).as("nothing of the other project's network but its id")
                        .doesNotContain("other-private").doesNotContain("far-private").doesNotContain("nbg-1");
            });
            return;
        }
        if (expected.contains("-") && Character.isUpperCase(expected.charAt(0))) {
            assertThatThrownBy(rule::get).isInstanceOfSatisfying(DomainException.class, e -> {
                assertThat(e.code()).isEqualTo(expected);
                assertThat(e.getMessage()).containsPattern("\\((M1|F1|F2|F3|S5)\\)");
            });
        } else if (expected.equals("ok")) {
            rule.get();
        } else {
            assertThat(rule.get().name()).as("the primary network").isEqualTo(expected);
        }
    }
}
