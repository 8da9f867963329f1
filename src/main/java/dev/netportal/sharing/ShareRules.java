package dev.netportal.sharing;

import dev.netportal.common.NatType;
import dev.netportal.common.Refusal;
import dev.netportal.identity.Actor;
import dev.netportal.identity.ProjectId;
import dev.netportal.identity.ProjectRole;

/**
 * The share request state machine (S1, S2), without storage: who may do what to a request in which state. Every
 * refusal names the rule. {@code PENDING} goes to {@code APPROVED}, {@code REJECTED} or {@code WITHDRAWN}; those
 * are final.
 */
public final class ShareRules {

    /** What someone does to a request. */
    public enum Action {
        APPROVE, REJECT, WITHDRAW
    }

    private ShareRules() {
    }

    /** Checks that {@code actor} may take {@code action} on {@code request}, and answers the status it leads to. */
    public static ShareStatus next(ShareRequest request, Action action, Actor actor, String comment) {
        boolean requester = actor.subject().equals(request.requestedBy());
        switch (action) {
            case APPROVE, REJECT -> {
                if (!actor.admin()) {
                    throw Refusal.S2_ADMIN_ONLY.with(request.networkName());
                }
                if (requester) {
                    throw Refusal.S2_FOUR_EYES.with(request.networkName());
                }
                if (action == Action.REJECT && (comment == null || comment.isBlank())) {
                    throw Refusal.S2_COMMENT_REQUIRED.with(request.networkName());
                }
            }
            case WITHDRAW -> {
                if (!requester) {
                    throw Refusal.S2_REQUESTER_ONLY.with(request.requestedByName(), request.networkName());
                }
            }
        }
        if (request.status() != ShareStatus.PENDING) {
            throw Refusal.S2_NOT_PENDING.with(request.networkName(), describe(request));
        }
        return switch (action) {
            case APPROVE -> ShareStatus.APPROVED;
            case REJECT -> ShareStatus.REJECTED;
            case WITHDRAW -> ShareStatus.WITHDRAWN;
        };
    }

    /** Checks a new request (S1): owners only, a reason, a known NAT type (answered). */
    public static NatType checkFiling(Actor actor, ProjectId project, String networkName,
            String reason, String natType) {
        if (!actor.has(ProjectRole.OWNER, project)) {
            throw Refusal.S1_OWNER_ONLY.with(project, networkName);
        }
        if (reason == null || reason.isBlank() || reason.length() > 2000) {
            throw Refusal.S1_REASON_REQUIRED.with(networkName);
        }
        return NatType.parse(natType).orElseThrow(() -> Refusal.S1_NAT_TYPE.with(networkName, natType));
    }

    static String describe(ShareRequest request) {
        return switch (request.status()) {
            case PENDING -> "pending";
            case APPROVED -> "approved by " + request.decidedByName();
            case REJECTED -> "rejected by " + request.decidedByName();
            case WITHDRAWN -> "withdrawn by " + request.requestedByName();
        };
    }
}
