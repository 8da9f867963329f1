package dev.netportal.common;

import dev.netportal.common.DomainException.Kind;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every refusal the portal answers, in one catalogue: its stable code (the end of the API problem's {@code type}),
 * the product rule it enforces (the code's prefix, e.g. {@code S4}), how the edge reports it (HTTP status), the
 * request field it is about (the UI marks that field), and its message template, whose {@code {}} take the
 * object and values the refusal names. {@code docs/errors.md} is generated from it.
 */
public enum Refusal {
    FORBIDDEN("forbidden", Kind.FORBIDDEN, null,
            "{}"),
    NOT_FOUND("not-found", Kind.NOT_FOUND, null,
            "{} does not exist or is not visible to you."),
    F1_ALREADY_ATTACHED("F1-duplicate", Kind.CONFLICT, "networks",
            "Network {} is attached to this firewall already; a network is on a firewall once (F1)."),
    F1_DUPLICATE("F1-duplicate", Kind.INVALID, "networks",
            "Network {} is given twice (F1)."),
    F1_EXTERNAL_REQUIRED("F1-external-required", Kind.RULE, "externals",
            "A firewall needs at least one external network of partition {} (F1)."),
    F1_NETWORK_TYPE("F1-network-type", Kind.RULE, "networks",
            "Network {} is a pool; a firewall joins private, shared and external networks (F1)."),
    F1_PRIMARY_SHARED("F1-primary-shared", Kind.RULE, "networks",
            "Without a private network, a firewall's primary is exactly one shared network of its own project (F1); {} were given."),
    F1_PRIVATE_REQUIRED("F1-private-required", Kind.RULE, "networks",
            "A firewall needs a private network of its project, or a shared one of its own (F1)."),
    F2_DETACH_SHARED_ONLY("F2-detach-shared-only", Kind.RULE, "networks",
            "Network {} is this firewall's {}; only attached shared networks are detached (F2). Free the firewall instead."),
    F2_SHARED_ONLY("F2-shared-only", Kind.RULE, "networks",
            "Network {} is {}; only shared networks are attached to a running firewall (F2)."),
    F3_SECOND_PRIVATE("F3-second-private", Kind.RULE, "networks",
            "A firewall may have only one private network (F3); {} were given."),
    F3_SECOND_PRIVATE_ATTACH("F3-second-private", Kind.RULE, "networks",
            "A firewall may have only one private network (F3): {} is a private network, so it is not attached; only shared networks are."),
    I1_FAMILY("I1-family", Kind.INVALID, "ip",
            "Network {} has no {} prefix."),
    I1_IP_TAKEN("I1-ip-taken", Kind.CONFLICT, "ip",
            "{} is already allocated in network {}."),
    I1_OUTSIDE("I1-outside", Kind.INVALID, "ip",
            "{} is outside network {} ({})."),
    I1_RESERVED("I1-reserved", Kind.INVALID, "ip",
            "{} is {} of network {} and is never handed out."),
    I3_NETWORK_FULL("I3-network-full", Kind.CONFLICT, null,
            "Network {} ({}) has no free address left."),
    M1_NETWORK_TYPE("M1-network-type", Kind.RULE, "network",
            "Network {} is {}; a machine's network is a private or shared network of its project (M1)."),
    M1_NO_FREE_MACHINE("M1-no-free-machine", Kind.CONFLICT, "size",
            "Partition {} has no free machine of size {} left."),
    M1_ONE_NETWORK("M1-one-network", Kind.RULE, "network",
            "A machine has exactly one network, its primary; {} were given (M1)."),
    M1_OTHER_PROJECT("M1-other-project", Kind.RULE, "network",
            "Network {} is not a network of project {}; a machine sits only in its own project's networks (M1)."),
    M1_SIZE("M1-size", Kind.INVALID, "size",
            "Partition {} has no machines of size {}."),
    M2_IPS_COUNT("M2-one-per-family", Kind.INVALID, "ip",
            "At most two addresses per network, one of each family; {} were given (M2)."),
    M2_ONE_PER_FAMILY("M2-one-per-family", Kind.INVALID, "ip",
            "Network {} takes at most one given {} address per machine or firewall (M2)."),
    N1_POOL_EXHAUSTED("N1-pool-exhausted", Kind.CONFLICT, null,
            "Partition {} has no free /{} left in its IPv{} pool."),
    N1_PREFIX_LENGTH("N1-prefix-length", Kind.INVALID, "prefixLength",
            "Partition {} gives private networks {} prefixes of /{} to /{}; /{} was asked for."),
    N1_PREFIX_LENGTH_V6("N1-prefix-length", Kind.INVALID, "prefixLengthV6",
            "Partition {} gives private networks {} prefixes of /{} to /{}; /{} was asked for."),
    N1_NO_IPV6_POOL("N1-no-ipv6-pool", Kind.INVALID, "prefixLengthV6",
            "Partition {} has no IPv6 pool; its networks have no IPv6 prefix to ask a length for."),
    N2_IMMUTABLE("N2-immutable", Kind.RULE, null,
            "Partition, prefix, VRF and type of network {} never change (N2); only name, description and labels do. Sharing goes through a share request."),
    N3_NETWORK_HAS_IPS("N3-network-in-use", Kind.CONFLICT, null,
            "Network {} still has IPs allocated; release them first."),
    N3_NETWORK_IN_USE("N3-network-in-use", Kind.CONFLICT, null,
            "Network {} is used by {}; it can be deleted once nothing uses it (N3)."),
    N3_SHARE_REQUEST_PENDING("N3-share-request-pending", Kind.CONFLICT, null,
            "Network {} has a pending share request; withdraw it first."),
    N4_QUOTA("N4-quota", Kind.INVALID, null,
            "Quotas are 0 or more, or empty for unlimited; got {}."),
    N4_QUOTA_FIREWALLS("N4-quota-firewalls", Kind.CONFLICT, null,
            "Project {} has used its quota of {} firewalls."),
    N4_QUOTA_IPS("N4-quota-ips", Kind.CONFLICT, null,
            "Project {} has used its quota of {} ips."),
    N4_QUOTA_MACHINES("N4-quota-machines", Kind.CONFLICT, null,
            "Project {} has used its quota of {} machines."),
    N4_QUOTA_NETWORKS("N4-quota-networks", Kind.CONFLICT, null,
            "Project {} has used its quota of {} networks."),
    P1_BGP_HOLD_TIME("P1-bgp-timers", Kind.INVALID, "bgpHoldTime",
            "The BGP hold time (bgpHoldTime) of {} s in partition {} is not possible with keepalives every {} s: it is at least three keepalives ({} s) and at most {} s (P1)."),
    P1_BGP_KEEPALIVE("P1-bgp-timers", Kind.INVALID, "bgpKeepalive",
            "The BGP keepalive (bgpKeepalive) of {} s in partition {} is not possible: it is at least 1 s (P1)."),
    P1_CHILD_LENGTH_FAMILY("P1-child-length", Kind.INVALID, "childLength",
            "Child prefix lengths are given per family, as ipv4 and ipv6; {} is neither."),
    P1_CHILD_LENGTH("P1-child-length", Kind.INVALID, "childLength",
            "Partition {}: {} child lengths must satisfy pool length (/{}) <= shortest (/{}) <= default (/{}) <= /{}, so that the pool holds a network of each."),
    P1_EXTERNAL_NAME("P1-external", Kind.INVALID, "externalNetworks",
            "Every external network needs a name."),
    P1_EXTERNAL_PREFIXES("P1-external", Kind.INVALID, "externalNetworks",
            "External network {} needs one prefix per family (IPv4, optionally IPv6), each with room for firewall addresses (at most /30 or /126)."),
    P1_EXTERNAL_CHANGE("P1-external-change", Kind.RULE, "externalNetworks",
            "External network {} of partition {} cannot be changed once created; add a new external network instead."),
    P1_EXTERNAL_REMOVAL("P1-external-removal", Kind.RULE, "externalNetworks",
            "External network {} of partition {} cannot be removed: firewalls use it. External networks are only added."),
    P1_EXTERNAL_EXPORT("P1-external-export", Kind.INVALID, "externalExport",
            "{} is no way of announcing tenant prefixes to external networks (externalExport): NO_EXPORT (marked no-export, the default) or EXPORT (P1)."),
    P1_INVENTORY_COUNT("P1-inventory", Kind.INVALID, "inventory",
            "Inventory of partition {}: size '{}' needs a count of 0 or more (0 removes the size)."),
    P1_INVENTORY_SYNTAX("P1-inventory", Kind.INVALID, "inventory",
            "Inventory entries are size=count, e.g. c1-large=20; '{}' is not."),
    P1_INVENTORY_IN_USE("P1-inventory-in-use", Kind.CONFLICT, "inventory",
            "Partition {} has {} machines of size {} in use; its inventory cannot go below that."),
    P1_INVENTORY_IN_USE_MEANWHILE("P1-inventory-in-use", Kind.CONFLICT, "inventory",
            "Partition {} was not changed: machines of a size were allocated meanwhile; its inventory cannot go below them."),
    P1_NAT_TYPE("P1-nat-type", Kind.INVALID, "externalNetworks",
            "NAT type of external network {} must be NONE or IPV4_MASQUERADE, not {}."),
    P1_PARTITION_ID("P1-partition", Kind.INVALID, null,
            "A partition needs an id (lower-case slug) and a name."),
    P1_PARTITION_NAME("P1-partition", Kind.INVALID, null,
            "Partition {} needs a name of 1 to 100 characters."),
    P1_POOL_REQUIRED("P1-partition", Kind.INVALID, null,
            "Partition {} needs an IPv4 super network."),
    P1_POOL_FAMILY("P1-pool-family", Kind.INVALID, "superNetwork",
            "Partition {}: the IPv4 pool must be IPv4 and the IPv6 pool IPv6."),
    P1_POOL_REMOVAL("P1-pool-removal", Kind.RULE, "superNetwork",
            "Pool {} of partition {} cannot be removed: networks are carved from it. Pools are only added."),
    P1_PROXY("P1-proxy", Kind.INVALID, "proxy",
            "A proxy needs a host and a port from 1 to 65535."),
    P1_PROXY_OR_REMOVE("P1-proxy", Kind.INVALID, "proxy",
            "Give a proxy or removeProxy, not both."),
    P1_PROXY_PORT("P1-proxy", Kind.INVALID, "proxy",
            "The proxy {} needs a port from 1 to 65535."),
    P2_PREFIX_OVERLAP("P2-prefix-overlap", Kind.CONFLICT, null,
            "Partition {} was not changed: a new pool or external prefix overlaps one it already has (P2)."),
    P2_PREFIX_OVERLAP_CREATE("P2-prefix-overlap", Kind.CONFLICT, null,
            "Partition {} cannot be created: its id is taken, or its pools and external prefixes overlap each other (P2)."),
    S1_ALREADY_SHARED("S1-already-shared", Kind.CONFLICT, null,
            "Network {} is shared already; sharing is for private networks."),
    S1_ALREADY_SHARED_APPROVE("S1-already-shared", Kind.CONFLICT, null,
            "Network {} is shared already."),
    S1_NAT_TYPE("S1-nat-type", Kind.INVALID, "natType",
            "The NAT type for consumers of network {} must be NONE or IPV4_MASQUERADE, not {}."),
    S1_OWNER_ONLY("S1-owner-only", Kind.FORBIDDEN, null,
            "Only owners of project {} can request sharing of network {}."),
    S1_REASON_REQUIRED("S1-reason-required", Kind.INVALID, "reason",
            "A share request for network {} needs a reason of 1 to 2000 characters: who should use it, and why."),
    S1_REQUEST_PENDING("S1-request-pending", Kind.CONFLICT, null,
            "Network {} has a pending share request already; wait for the decision, or withdraw it first."),
    S2_ADMIN_ONLY("S2-admin-only", Kind.FORBIDDEN, null,
            "Only platform admins decide share requests; the request for network {} waits for one."),
    S2_COMMENT("S2-comment", Kind.INVALID, "comment",
            "A comment on a share request is at most 2000 characters."),
    S2_COMMENT_REQUIRED("S2-comment-required", Kind.INVALID, "comment",
            "Rejecting the share request for network {} needs a comment that tells the requester why (S2)."),
    S2_FOUR_EYES("S2-four-eyes", Kind.RULE, null,
            "You filed the share request for network {}, so another admin decides it (four eyes, S2)."),
    S2_NOT_PENDING("S2-not-pending", Kind.CONFLICT, null,
            "The share request for network {} is no longer pending: it was {}."),
    S2_REQUESTER_ONLY("S2-requester-only", Kind.FORBIDDEN, null,
            "Only {}, who filed it, can withdraw the share request for network {}."),
    S4_UNSHARE_FORBIDDEN("S4-unshare-forbidden", Kind.RULE, null,
            "A network never goes back from shared to private (S4); the type cannot be set."),
    S5_PARTITION("S5-partition", Kind.RULE, "network",
            "Network {} is in partition {}, not in {}; networks are used only in their own partition (S5)."),
    FIREWALL_NAME("firewall-name", Kind.INVALID, "name",
            "A firewall needs a name of 1 to 100 characters."),
    FIREWALL_NAME_CONTROL("firewall-name", Kind.INVALID, "name",
            "A firewall's name cannot hold line breaks or other control characters."),
    IDEMPOTENCY_KEY("idempotency-key", Kind.INVALID, null,
            "{} must be 1 to 255 visible ASCII characters, e.g. a UUID."),
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", Kind.RULE, null,
            "{} '{}' was used for another request (method, path or body differ); use a new key for a new request."),
    IP_MALFORMED("ip-malformed", Kind.INVALID, "ip",
            "'{}' is not an IP address (e.g. 10.0.0.7 or 2001:db8::7)."),
    DESCRIPTION_LENGTH("description-length", Kind.INVALID, "description",
            "A description is at most {} characters; this one has {} (V2)."),
    IP_NAME("ip-name", Kind.INVALID, "name",
            "An IP's name is at most 100 characters, its description 1000."),
    MACHINE_NAME("machine-name", Kind.INVALID, "name",
            "A machine needs a name of 1 to 100 characters."),
    MACHINE_NAME_CONTROL("machine-name", Kind.INVALID, "name",
            "A machine's name cannot hold line breaks or other control characters."),
    NETWORK_LABELS_COUNT("network-labels", Kind.INVALID, "labels",
            "A network has at most 32 labels; {} were given."),
    NETWORK_LABEL_KEY("network-labels", Kind.INVALID, "labels",
            "Label key '{}' is not allowed: lower-case letters, digits and . _ / -, starting with a letter or digit, at most 63."),
    NETWORK_LABEL_VALUE("network-labels", Kind.INVALID, "labels",
            "Label '{}' needs a value of at most 256 characters."),
    NETWORK_NAME("network-name", Kind.INVALID, "name",
            "A network needs a name of 1 to 100 characters."),
    NETWORK_NAME_CONTROL("network-name", Kind.INVALID, "name",
            "A network's name cannot hold line breaks or other control characters."),
    NETWORK_REQUIRED("network-required", Kind.INVALID, "network",
            "Say which network: {} is missing."),
    NETWORK_REQUIRED_MACHINE("network-required", Kind.INVALID, "network",
            "A machine needs its network (M1)."),
    NETWORK_TYPE("network-type", Kind.INVALID, null,
            "Only shared networks (type=CHILD_SHARED) are listed across projects; a project's networks are at /api/v1/projects/{project}/networks."),
    PAGING("paging", Kind.INVALID, null,
            "page must be 0 or more and size 1 to 500."),
    PAGING_SIZE("paging", Kind.INVALID, null,
            "size must be 1 to 500; got {}."),
    PAGING_VALUES("paging", Kind.INVALID, null,
            "page must be 0 or more and size 1 to 500; got page {}, size {}."),
    PARTITION_MISSING("partition-required", Kind.INVALID, "partition",
            "Say which partition: the partition is missing."),
    PARTITION_REQUIRED("partition-required", Kind.INVALID, null,
            "Say which partition's shared networks to list: ?partition=<id>&type=CHILD_SHARED (S5)."),
    PREFIX_HOST_BITS("prefix-host-bits", Kind.INVALID, null,
            "'{}' has host bits set; the prefix is {}."),
    PREFIX_MALFORMED("prefix-malformed", Kind.INVALID, null,
            "'{}' is not a prefix in CIDR notation (e.g. 10.0.0.0/22)."),
    PROJECT_EXISTS("project-exists", Kind.CONFLICT, "id",
            "Project {} exists already."),
    PROJECT_ID("project-id", Kind.INVALID, "id",
            "'{}' is not a project id: lower-case letters, digits and '-', at most 63."),
    PROJECT_NAME("project-name", Kind.INVALID, "name",
            "A project needs a name of 1 to 100 characters."),
    PROJECT_NAME_CONTROL("project-name", Kind.INVALID, "name",
            "A project's name cannot hold line breaks or other control characters."),
    SHARE_STATUS("share-status", Kind.INVALID, null,
            "status must be PENDING, APPROVED, REJECTED or WITHDRAWN, not {}.");

    private static final Pattern RULE = Pattern.compile("^([A-Z]\\d+)-");

    /** What each refusal is: set once per constant. */
    private record Entry(String code, Kind kind, String field, String template) {
    }

    private final Entry entry;

    Refusal(String code, Kind kind, String field, String template) {
        entry = new Entry(code, kind, field, template);
    }

    public String code() {
        return entry.code();
    }

    public Kind kind() {
        return entry.kind();
    }

    /** The HTTP status the API answers with. */
    public int status() {
        return switch (entry.kind()) {
            case NOT_FOUND -> 404;
            case FORBIDDEN -> 403;
            case CONFLICT -> 409;
            case INVALID -> 400;
            case RULE -> 422;
        };
    }

    /** The product rule it enforces (e.g. {@code F1}, the prefix of its code), if any. */
    public Optional<String> rule() {
        Matcher m = RULE.matcher(entry.code());
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The request field the refusal is about ({@code name}, {@code ip}, {@code networks}, ...), if one. */
    public Optional<String> field() {
        return Optional.ofNullable(entry.field());
    }

    public String template() {
        return entry.template();
    }

    /** The message with each {@code {}} replaced by the next argument, in order. */
    public String message(Object... args) {
        String template = entry.template();
        StringBuilder text = new StringBuilder(template.length() + 32);
        int from = 0;
        for (Object arg : args) {
            int at = template.indexOf("{}", from);
            if (at < 0) {
                throw new IllegalArgumentException(name() + " takes fewer than " + args.length + " values");
            }
            text.append(template, from, at).append(arg);
            from = at + 2;
        }
        if (template.indexOf("{}", from) >= 0) {
            throw new IllegalArgumentException(name() + " needs more than " + args.length + " values");
        }
        return text.append(template, from, template.length()).toString();
    }

    /** The refusal with its message, to throw or to answer with. */
    public DomainException with(Object... args) {
        return new DomainException(this, message(args));
    }
}
