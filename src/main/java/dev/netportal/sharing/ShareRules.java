package dev.netportal.sharing;

import dev.netportal.common.DomainException;
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
                    throw new DomainException(DomainException.Kind.FORBIDDEN, "S2-admin-only",
                            "Only platform admins decide share requests; the request for network " + request.networkName()
                                    + " waits for one.");
                }
                if (requester) {
                    throw new DomainException(DomainException.Kind.RULE, "S2-four-eyes", "You filed the share request for "
                            + "network " + request.networkName() + ", so another admin decides it (four eyes, S2).");
                }
                if (action == Action.REJECT && (comment == null || comment.isBlank())) {
                    throw DomainException.invalid("S2-comment-required", "Rejecting the share request for network "
                            + request.networkName() + " needs a comment that tells the requester why (S2).");
                }
            }
            case WITHDRAW -> {
                if (!requester) {
                    throw new DomainException(DomainException.Kind.FORBIDDEN, "S2-requester-only",
                            "Only " + request.requestedByName() + ", who filed it, can withdraw the share request for network "
                                    + request.networkName() + ".");
                }
            }
        }
        if (request.status() != ShareStatus.PENDING) {
            throw new DomainException(DomainException.Kind.CONFLICT, "S2-not-pending", "The share request for network "
                    + request.networkName() + " is no longer pending: it was " + describe(request) + ".");
        }
        return switch (action) {
            case APPROVE -> ShareStatus.APPROVED;
            case REJECT -> ShareStatus.REJECTED;
            case WITHDRAW -> ShareStatus.WITHDRAWN;
        };
    }

    /** Checks a new request (S1): owners only, a reason, a known NAT type. */
    public static void checkFiling(Actor actor, ProjectId project, String networkName,
            String reason, String natType) {
        if (!actor.has(ProjectRole.OWNER, project)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "S1-owner-only", "Only owners of project "
                    + project + " can request sharing of network " + networkName + ".");
        }
        if (reason == null || reason.isBlank() || reason.length() > 2000) {
            throw DomainException.invalid("S1-reason-required", "A share request for network " + networkName
                    + " needs a reason of 1 to 2000 characters: who should use it, and why.");
        }
        if (!"NONE".equals(natType) && !"IPV4_MASQUERADE".equals(natType)) {
            throw DomainException.invalid("S1-nat-type", "The NAT type for consumers of network " + networkName
                    + " must be NONE or IPV4_MASQUERADE, not " + natType + ".");
        }
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
