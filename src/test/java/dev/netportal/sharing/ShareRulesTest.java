package dev.netportal.sharing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netportal.common.DomainException;
import dev.netportal.identity.Actor;
import dev.netportal.identity.ProjectId;
import dev.netportal.identity.ProjectRole;
import dev.netportal.network.NetworkId;
import dev.netportal.partition.PartitionId;
import dev.netportal.sharing.ShareRequestId;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The share request state machine: every action in every state by every kind of caller, allowed or refused. */
class ShareRulesTest {

    private static final ProjectId STORAGE = new ProjectId("storage");
    private static final Actor ALICE = new Actor("alice", "Alice", false, Map.of(STORAGE, ProjectRole.OWNER));
    private static final Actor ADA = new Actor("ada", "Ada", true, Map.of());
    private static final Actor ADMIN_REQUESTER = new Actor("alice", "Alice", true, Map.of(STORAGE, ProjectRole.OWNER));
    private static final Actor MEMBER = new Actor("carl", "Carl", false, Map.of(STORAGE, ProjectRole.MEMBER));

    private static ShareRequest request(ShareStatus status) {
        boolean decided = status == ShareStatus.APPROVED || status == ShareStatus.REJECTED;
        return new ShareRequest(new ShareRequestId(UUID.randomUUID()), new NetworkId(UUID.randomUUID()), "backup", java.util.List.of("10.0.4.0/22"), new PartitionId("fra-1"), STORAGE, "Storage",
                "alice", "Alice", "backups for everyone", dev.netportal.common.NatType.IPV4_MASQUERADE, status, decided ? "ada" : null,
                decided ? "Ada" : null, null, OffsetDateTime.now(), status == ShareStatus.PENDING ? null : OffsetDateTime.now());
    }

    static Stream<Arguments> transitions() {
        return Stream.of(
                // status, action, actor, comment, expected status or refusal code
                Arguments.of(ShareStatus.PENDING, ShareRules.Action.APPROVE, ADA, null, "APPROVED"),
                Arguments.of(ShareStatus.PENDING, ShareRules.Action.APPROVE, ADA, "ok", "APPROVED"),
                Arguments.of(ShareStatus.PENDING, ShareRules.Action.REJECT, ADA, "use a firewall", "REJECTED"),
                Arguments.of(ShareStatus.PENDING, ShareRules.Action.REJECT, ADA, null, "S2-comment-required"),
                Arguments.of(ShareStatus.PENDING, ShareRules.Action.REJECT, ADA, "  ", "S2-comment-required"),
                Arguments.of(ShareStatus.PENDING, ShareRules.Action.WITHDRAW, ALICE, null, "WITHDRAWN"),
                Arguments.of(ShareStatus.PENDING, ShareRules.Action.APPROVE, ALICE, null, "S2-admin-only"),
                Arguments.of(ShareStatus.PENDING, ShareRules.Action.REJECT, MEMBER, "no", "S2-admin-only"),
                Arguments.of(ShareStatus.PENDING, ShareRules.Action.APPROVE, ADMIN_REQUESTER, null, "S2-four-eyes"),
                Arguments.of(ShareStatus.PENDING, ShareRules.Action.REJECT, ADMIN_REQUESTER, "no", "S2-four-eyes"),
                Arguments.of(ShareStatus.PENDING, ShareRules.Action.WITHDRAW, ADA, null, "S2-requester-only"),
                Arguments.of(ShareStatus.PENDING, ShareRules.Action.WITHDRAW, MEMBER, null, "S2-requester-only"),
                Arguments.of(ShareStatus.APPROVED, ShareRules.Action.APPROVE, ADA, null, "S2-not-pending"),
                Arguments.of(ShareStatus.APPROVED, ShareRules.Action.REJECT, ADA, "late", "S2-not-pending"),
                Arguments.of(ShareStatus.APPROVED, ShareRules.Action.WITHDRAW, ALICE, null, "S2-not-pending"),
                Arguments.of(ShareStatus.REJECTED, ShareRules.Action.APPROVE, ADA, null, "S2-not-pending"),
                Arguments.of(ShareStatus.REJECTED, ShareRules.Action.WITHDRAW, ALICE, null, "S2-not-pending"),
                Arguments.of(ShareStatus.WITHDRAWN, ShareRules.Action.APPROVE, ADA, null, "S2-not-pending"),
                Arguments.of(ShareStatus.WITHDRAWN, ShareRules.Action.REJECT, ADA, "x", "S2-not-pending"),
                Arguments.of(ShareStatus.WITHDRAWN, ShareRules.Action.WITHDRAW, ALICE, null, "S2-not-pending"));
    }

    @ParameterizedTest(name = "{1} of a {0} request by {2} -> {4}")
    @MethodSource("transitions")
    void everyActionInEveryState(ShareStatus status, ShareRules.Action action, Actor actor, String comment, String expected) {
        ShareRequest request = request(status);
        if (expected.equals(expected.toUpperCase())) {
            assertThat(ShareRules.next(request, action, actor, comment)).isEqualTo(ShareStatus.valueOf(expected));
        } else {
            assertThatThrownBy(() -> ShareRules.next(request, action, actor, comment))
                    .isInstanceOfSatisfying(DomainException.class, e -> {
                        assertThat(e.code()).isEqualTo(expected);
                        assertThat(e.getMessage()).contains("backup");
                    });
        }
    }

    @ParameterizedTest(name = "filing by {0} with reason ''{1}'' and NAT {2} -> {3}")
    @MethodSource("filings")
    void filingNeedsAnOwnerAReasonAndAKnownNatType(Actor actor, String reason, String nat, String expected) {
        if (expected.equals("ok")) {
            ShareRules.checkFiling(actor, STORAGE, "backup", reason, nat);
        } else {
            assertThatThrownBy(() -> ShareRules.checkFiling(actor, STORAGE, "backup", reason, nat))
                    .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.code()).isEqualTo(expected));
        }
    }

    static Stream<Arguments> filings() {
        return Stream.of(
                Arguments.of(ALICE, "backups", "IPV4_MASQUERADE", "ok"),
                Arguments.of(ALICE, "backups", "NONE", "ok"),
                Arguments.of(ADA, "backups", "NONE", "ok"),
                Arguments.of(MEMBER, "backups", "NONE", "S1-owner-only"),
                Arguments.of(new Actor("x", "X", false, Map.of(STORAGE, ProjectRole.VIEWER)), "b", "NONE", "S1-owner-only"),
                Arguments.of(ALICE, " ", "NONE", "S1-reason-required"),
                Arguments.of(ALICE, null, "NONE", "S1-reason-required"),
                Arguments.of(ALICE, "backups", "SNAT", "S1-nat-type"),
                Arguments.of(ALICE, "backups", null, "S1-nat-type"));
    }
}
