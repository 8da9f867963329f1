package dev.netportal.common;

/**
 * The largest input the portal takes (V2), in characters or items. The API checks them before any other work
 * (a 400 naming the field and its limit); the domain checks the ones the UI can reach too. They are listed in
 * {@code docs/security.md} and, per field, in the OpenAPI document ({@code maxLength}, {@code maxItems}).
 */
public final class InputLimits {

    /** Display names (networks, IPs, machines, firewalls, projects, partitions, external networks). */
    public static final int NAME = 100;
    /** Descriptions of networks, IPs, projects and partitions. */
    public static final int DESCRIPTION = 1000;
    /** A share request's reason and an admin's comment on it. */
    public static final int REASON = 2000;
    /** Ids given as text: projects, partitions, machine sizes. */
    public static final int ID = 63;
    /** One IP address or prefix in text (the longest IPv6 prefix is 43 characters). */
    public static final int ADDRESS = 64;
    /** Words of a fixed vocabulary: NAT types, network types, statuses, audit actions. */
    public static final int WORD = 40;
    /** An audited object's id, as audit filters name it (a share request's is 88 characters). */
    public static final int OBJECT_ID = 200;
    /** A person's subject, as audit filters name it. */
    public static final int SUBJECT = 255;
    /** A proxy's host name. */
    public static final int HOST = 253;
    /** Given addresses per attachment: at most one per family. */
    public static final int ADDRESSES = 2;
    /** Networks one firewall request names. */
    public static final int FIREWALL_NETWORKS = 64;
    /** Pools of a partition, prefixes and destinations of an external network. */
    public static final int PREFIXES = 64;
    /** External networks of a partition. */
    public static final int EXTERNAL_NETWORKS = 64;
    /** Machine sizes in a partition's inventory. */
    public static final int SIZES = 64;
    /** Machines of one size in a partition's inventory. */
    public static final int MACHINES_PER_SIZE = 10_000;
    /** Child prefix lengths: one per family. */
    public static final int FAMILIES = 2;
    /** Labels of a network, and the length of a label's key and value. */
    public static final int LABELS = 32;
    public static final int LABEL_KEY = 63;
    public static final int LABEL_VALUE = 256;

    private InputLimits() {
    }

    /** The description, or the refusal when it is longer than {@link #DESCRIPTION}: for every path, UI included. */
    public static String description(String text) {
        if (text != null && text.length() > DESCRIPTION) {
            throw Refusal.DESCRIPTION_LENGTH.with(DESCRIPTION, text.length());
        }
        return text;
    }
}
