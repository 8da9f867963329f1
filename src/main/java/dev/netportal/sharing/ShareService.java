package dev.netportal.sharing;

import dev.netportal.audit.AuditLog;
import dev.netportal.common.DomainException;
import dev.netportal.common.InputLimits;
import dev.netportal.common.NatType;
import dev.netportal.common.Refusal;
import dev.netportal.database.Retries;
import dev.netportal.common.Slice;
import dev.netportal.firewall.FirewallConfigs;
import dev.netportal.identity.Access;
import dev.netportal.identity.Actor;
import dev.netportal.identity.ProjectId;
import dev.netportal.identity.ProjectRole;
import dev.netportal.network.NetworkId;
import dev.netportal.network.NetworkService;
import dev.netportal.network.NetworkType;
import dev.netportal.partition.PartitionId;
import dev.netportal.sharing.internal.ShareRepository;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * The one-way promotion of private networks to shared networks (S1-S5): owners file requests, admins decide them
 * (four eyes), requesters withdraw them. Every transition locks the network and then the request, checks
 * {@link ShareRules} on the state it finds, and writes the change and its audit event in one transaction, so two
 * decisions at once end in one outcome and a clear conflict for the other.
 */
@Service
public class ShareService {

    private final ShareRepository requests;
    private final NetworkService networks;
    private final AuditLog audit;
    private final TransactionalOperator tx;
    private final FirewallConfigs configs;

    ShareService(ShareRepository requests, NetworkService networks, AuditLog audit, TransactionalOperator tx,
            FirewallConfigs configs) {
        this.requests = requests;
        this.networks = networks;
        this.audit = audit;
        this.tx = tx;
        this.configs = configs;
    }

    /** Files a request to share a private network of the caller's project (S1); owners only. */
    public Mono<ShareRequest> file(Actor actor, NetworkId networkId, String reason, String natType) {
        UUID network = networkId.value();
        UUID id = UUID.randomUUID();
        Mono<ShareRequest> work = requests.lockNetwork(network)
                .filter(state -> state.project() != null && actor.has(ProjectRole.VIEWER, new ProjectId(state.project())))
                .switchIfEmpty(Mono.error(() -> DomainException.notFound("Network " + network)))
                .flatMap(state -> {
                    ProjectId project = new ProjectId(state.project());
                    NatType nat = ShareRules.checkFiling(actor, project, state.name(), reason, natType);
                    if (!NetworkType.CHILD.name().equals(state.type())) {
                        return Mono.error(Refusal.S1_ALREADY_SHARED.with(state.name()));
                    }
                    return requests.hasPending(network).flatMap(pending -> pending
                            ? Mono.error(Refusal.S1_REQUEST_PENDING.with(state.name()))
                            : requests.insert(id, network, project, actor.subject(), actor.name(), reason.strip(), nat)
                                    .then(requests.find(id)));
                })
                .flatMap(filed -> audit.record(actor, change("share-request.file", filed, null, Map.of(
                        "network", filed.networkName(), "natType", filed.natType(), "reason", filed.reason(),
                        "status", filed.status().name()))).thenReturn(filed));
        return tx.transactional(work);
    }

    public Mono<ShareRequest> approve(Actor actor, ShareRequestId requestId, String comment) {
        UUID id = requestId.value();
        return decide(actor, id, ShareRules.Action.APPROVE, comment);
    }

    public Mono<ShareRequest> reject(Actor actor, ShareRequestId requestId, String comment) {
        UUID id = requestId.value();
        return decide(actor, id, ShareRules.Action.REJECT, comment);
    }

    public Mono<ShareRequest> withdraw(Actor actor, ShareRequestId requestId, String comment) {
        UUID id = requestId.value();
        return decide(actor, id, ShareRules.Action.WITHDRAW, comment);
    }

    private Mono<ShareRequest> decide(Actor actor, UUID id, ShareRules.Action action, String comment) {
        String trimmed = comment == null || comment.isBlank() ? null : comment.strip();
        if (trimmed != null && trimmed.length() > InputLimits.REASON) {
            return Mono.error(Refusal.S2_COMMENT.with());
        }
        Mono<ShareRequest> work = visible(actor, id)
                // an approval renders the network's firewalls: they are locked first, as every path locks a firewall
                // before its networks; then the network, then the request (the order of filing): no deadlock
                .flatMap(seen -> (action == ShareRules.Action.APPROVE ? configs.lockUsing(seen.network()) : Mono.<Void>empty())
                        .then(requests.lockNetwork(seen.network().value())).then(requests.lock(id)))
                .flatMap(before -> {
                    ShareStatus next = ShareRules.next(before, action, actor, trimmed);
                    boolean decision = action != ShareRules.Action.WITHDRAW;
                    Mono<Void> promote = next != ShareStatus.APPROVED ? Mono.empty()
                            : networks.promote(before.network(), before.natType()).flatMap(promoted -> promoted
                                    // the firewalls using the network render again in this transaction (S3, D1)
                                    ? configs.updateUsing(before.network(), "network " + before.networkName() + " shared (NAT "
                                            + before.natType() + ")", actor.name())
                                    : Mono.error(Refusal.S1_ALREADY_SHARED_APPROVE.with(before.networkName())));
                    return requests.decide(id, next, decision ? actor.subject() : null, decision ? actor.name() : null, trimmed)
                            .then(promote)
                            .then(requests.find(id))
                            .flatMap(after -> audit.record(actor, change("share-request." + action.name().toLowerCase(),
                                    after, Map.of("status", before.status().name()), decided(after))).thenReturn(after));
                });
        return Retries.whenBrokenUp(tx.transactional(work));
    }

    /** One request: admins see all, others those of their projects (another project's is "not found"). */
    public Mono<ShareRequest> get(Actor actor, ShareRequestId requestId) {
        UUID id = requestId.value();
        return visible(actor, id);
    }

    /**
     * What approving would do to firewalls (for admins deciding): every firewall that uses the network, rendered
     * as it is and as it would be once shared with the requested NAT; nothing is stored.
     */
    public Mono<java.util.List<FirewallConfigs.Preview>> impact(Actor actor, ShareRequestId requestId) {
        UUID id = requestId.value();
        return Access.admin(actor, "review share requests").then(visible(actor, id)).flatMap(request -> configs.preview(request.network(), NetworkType.CHILD_SHARED, request.natType())
                .collectList());
    }

    private Mono<ShareRequest> visible(Actor actor, UUID id) {
        return requests.find(id)
                .filter(request -> actor.has(ProjectRole.VIEWER, request.project()))
                .switchIfEmpty(Mono.error(() -> DomainException.notFound("Share request " + id)));
    }

    /**
     * Requests, in one status or all: admins see every project's, others their projects'. Pending ones come
     * oldest first (the queue), the others newest first.
     */
    /** A stretch of what {@link #list(Actor, Optional)} answers, read as such from the database. */
    public Mono<Slice<ShareRequest>> list(Actor actor, Optional<ShareStatus> status, long offset, int limit) {
        return Mono.defer(() -> {
            Slice.check(offset, limit);
            return requests.list(actor.roles().keySet(), actor.admin(), status.orElse(null), offset, limit);
        });
    }

    public Mono<List<ShareRequest>> list(Actor actor, Optional<ShareStatus> status) {
        return requests.list(actor.roles().keySet(), actor.admin(), status.orElse(null)).collectList();
    }

    /** The requests for a network the caller may see, newest first. */
    public Mono<List<ShareRequest>> ofNetwork(Actor actor, NetworkId networkId) {
        UUID network = networkId.value();
        return requests.ofNetwork(network).filter(request -> actor.has(ProjectRole.VIEWER, request.project())).collectList();
    }

    /** How many requests wait for a decision; admins only (the navigation badge). */
    public Mono<Long> pendingCount(Actor actor) {
        return Access.admin(actor, "see the approval queue").then(requests.countPending());
    }

    /** The shared networks of a partition (S5), by name, for every signed-in user: a choice list to attach from. */
    public Mono<List<SharedNetwork>> catalogue(PartitionId partition) {
        return requests.shared(partition.value()).collectList();
    }

    /**
     * A stretch of the shared networks of a partition (S5), by name, read as such from the database, and how many
     * there are; for every signed-in user.
     */
    public Mono<Slice<SharedNetwork>> catalogue(PartitionId partition, long offset, int limit) {
        Slice.check(offset, limit);
        return requests.shared(partition.value(), offset, limit);
    }

    private static AuditLog.Change change(String action, ShareRequest request, Map<String, ?> before, Map<String, ?> after) {
        // under the network's id, so that the network's audit trail shows its share requests
        return new AuditLog.Change(action, "share-request", request.network() + "/share-requests/" + request.id(),
                request.project().value(), request.partition().value(), before, after);
    }

    private static Map<String, Object> decided(ShareRequest request) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("status", request.status().name());
        state.put("network", request.networkName());
        if (request.status() == ShareStatus.APPROVED) {
            state.put("networkType", "CHILD_SHARED");
            state.put("natType", request.natType());
        }
        if (request.comment() != null) {
            state.put("comment", request.comment());
        }
        return state;
    }
}
